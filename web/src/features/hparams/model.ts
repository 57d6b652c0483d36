/**
 * The HParams dashboard's data: one *session* per run that recorded hparams (TensorBoard's
 * definition: a run holding a session start), and one *axis* per hparam and metric. A metric
 * (group, tag) of session S is the last value of scalar `tag` in run `S/group` (the session run
 * itself when the group is empty), as TensorBoard reads it; values come from the run summaries of
 * `/api/v1/runs`, so building the model never reads points.
 */
import type { Experiment } from "../../api/hparams";
import type { HParam, RunRow } from "../../api/runs";
import { compareTags as naturalCompare } from "../../lib/naturalSort";

export type Value = number | string | boolean;

export interface Axis {
  id: string;
  kind: "hparam" | "metric";
  label: string;
  /** Numbers on a numeric axis, anything else on a categorical one. */
  numeric: boolean;
  /** The run holding a metric, relative to the session ("" = the session run). */
  group: string;
  tag: string;
  /** Categories in axis order (categorical axes). */
  categories: string[];
  /** The values' extent, widened by a declared interval (numeric axes); null without values. */
  extent: [number, number] | null;
  /** The median of the finite values (numeric axes), for the log-or-linear default. */
  median: number | null;
}

export interface Session {
  name: string;
  /** Axis id → value; missing when the session has none. */
  values: ReadonlyMap<string, Value>;
}

export interface Model {
  axes: Axis[];
  sessions: Session[];
}

/** "a" + "eval" → "a/eval"; the logdir root "." has its sub-runs directly below. */
export function joinRun(session: string, group: string): string {
  if (group === "") return session;
  return session === "." ? group : `${session}/${group}`;
}

export function categoryOf(value: Value): string {
  return typeof value === "number" ? String(value) : typeof value === "boolean" ? (value ? "true" : "false") : value;
}

export function metricId(group: string, tag: string): string {
  return group === "" ? `m:${tag}` : `m:${group}:${tag}`;
}

/** Every metric tag the model needs from `/api/v1/runs` (`metric=`). */
export function metricTags(experiment: Experiment): string[] {
  return [...new Set(experiment.metrics.map((m) => m.tag))];
}

/**
 * Sessions and axes from the experiment and every run's summary. Hparams are the experiment's
 * (in its order: those that differ first); a run list with hparams but an empty experiment (an
 * old server) falls back to the hparams found on the runs.
 */
export function buildModel(experiment: Experiment, rows: readonly RunRow[]): Model {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const sessionRows = rows.filter((r) => Object.keys(r.hparams).length > 0);
  sessionRows.sort((a, b) => naturalCompare(a.name, b.name));

  const hparamDefs =
    experiment.hparams.length > 0
      ? experiment.hparams
      : [...new Set(sessionRows.flatMap((r) => Object.keys(r.hparams)))].sort().map((name) => ({
          name, displayName: "", type: "unknown" as const, domainDiscrete: null, domainInterval: null,
        }));

  const sessions: Session[] = sessionRows.map((row) => {
    const values = new Map<string, Value>();
    for (const hp of hparamDefs) {
      const v: HParam | undefined = row.hparams[hp.name];
      if (v !== undefined) values.set(`h:${hp.name}`, v);
    }
    for (const m of experiment.metrics) {
      const holder = byName.get(joinRun(row.name, m.group));
      const last = holder?.metrics[m.tag]?.last;
      if (last !== undefined && !Number.isNaN(last)) values.set(metricId(m.group, m.tag), last);
    }
    return { name: row.name, values };
  });

  const axes: Axis[] = [];
  for (const hp of hparamDefs) {
    const id = `h:${hp.name}`;
    const values = sessions.map((s) => s.values.get(id)).filter((v): v is Value => v !== undefined);
    const numeric = hp.type === "number" || (hp.type === "unknown" && values.length > 0 && values.every((v) => typeof v === "number"));
    const axis = makeAxis(id, "hparam", hp.displayName || hp.name, numeric, "", hp.name, values);
    if (numeric && hp.domainInterval && Number.isFinite(hp.domainInterval.min) && Number.isFinite(hp.domainInterval.max)) {
      axis.extent = widen(axis.extent, [hp.domainInterval.min, hp.domainInterval.max]);
    }
    if (!numeric && hp.domainDiscrete) {
      // Declared values keep their declared order; values outside the domain follow.
      const declared = hp.domainDiscrete.map(categoryOf);
      axis.categories = [...new Set([...declared, ...axis.categories])];
    }
    axes.push(axis);
  }
  for (const m of experiment.metrics) {
    const id = metricId(m.group, m.tag);
    const values = sessions.map((s) => s.values.get(id)).filter((v): v is Value => v !== undefined);
    const label = m.displayName || (m.group ? `${m.tag} (${m.group})` : m.tag);
    axes.push(makeAxis(id, "metric", label, true, m.group, m.tag, values));
  }
  return { axes, sessions };
}

function widen(a: [number, number] | null, b: [number, number]): [number, number] {
  return a === null ? b : [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

function makeAxis(id: string, kind: Axis["kind"], label: string, numeric: boolean, group: string, tag: string, values: Value[]): Axis {
  let extent: [number, number] | null = null;
  const categories = new Set<string>();
  for (const v of values) {
    if (numeric) {
      if (typeof v === "number" && Number.isFinite(v)) extent = widen(extent, [v, v]);
    } else {
      categories.add(categoryOf(v));
    }
  }
  const finite = numeric ? values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b) : [];
  const median = finite.length === 0 ? null : (finite[Math.floor((finite.length - 1) / 2)] as number);
  return { id, kind, label, numeric, group, tag, extent, median, categories: [...categories].sort(naturalCompare) };
}

/** A session's value on an axis as a number (numeric axes) or category (others), else null. */
export function numberOn(session: Session, axis: Axis): number | null {
  const v = session.values.get(axis.id);
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
