/**
 * The HParams dashboard: the sessions of the logdir (runs that recorded hparams) as a table,
 * parallel coordinates and a scatter-plot matrix, all filtered by one set of brushes and
 * coloured by one metric. Values come from `/api/v1/runs` (run summaries, paged 10,000 at a
 * time, a few pages at once: load.ts) and the hparams experiment (types, domains, metric names); no points are read.
 *
 * The brushes never change the app's run selection by themselves: "Select these N" makes the
 * matching sessions (and the runs holding their metrics) the selection, and a session's details
 * open its curves on Scalars.
 */
import { effect } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Experiment, fetchExperiment } from "../../api/hparams";
import * as s from "../../state/store";
import { colorFor } from "./colors";
import { matching as matchingSessions } from "./filter";
import { HParamsTable } from "./HParamsTable";
import { fetchAllRows, QueuedLoader } from "./load";
import { syncHParamsWithUrl } from "./hparamsUrl";
import { type Axis, buildModel, joinRun, type Model, metricTags, type Session } from "./model";
import { ParallelCoords, valueText } from "./ParallelCoords";
import { prefersLog, type Scale, scaleFor } from "./scales";
import { ScatterMatrix } from "./ScatterMatrix";
import * as h from "./state";
import "./hparams.css";

interface Loaded {
  experiment: Experiment;
  model: Model;
}

/** The runs that show a session's curves: the session run and the runs holding its metrics. */
function curveRuns(session: string, axes: readonly Axis[], known: ReadonlySet<string>): string[] {
  const out = new Set([session]);
  for (const axis of axes) {
    if (axis.kind !== "metric") continue;
    const run = joinRun(session, axis.group);
    if (known.has(run)) out.add(run);
  }
  return [...out];
}

function Details({ session, axes, known }: { session: Session; axes: Axis[]; known: ReadonlySet<string> }): JSX.Element {
  const runs = curveRuns(session.name, axes, known);
  useEffect(() => {
    const close = (e: KeyboardEvent): void => {
      if (e.key === "Escape") h.pinned.value = null;
    };
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, []);
  return (
    <aside class="hp-details" data-testid="hp-details" data-run={session.name}>
      <header>
        <b title={session.name}>{session.name}</b>
        <button class="icon-button" onClick={() => (h.pinned.value = null)} aria-label="Close details">
          ×
        </button>
      </header>
      <table>
        <tbody>
          {axes.map((axis) => (
            <tr key={axis.id}>
              <td class="muted">{axis.label}</td>
              <td>{valueText(session, axis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="hp-details-actions select-buttons">
        <button
          class="primary"
          data-testid="hp-open-curves"
          title={`Select only ${runs.join(", ")} and open Scalars`}
          onClick={() => {
            s.selection.value = { kind: "only", runs: new Set(runs) };
            s.tab.value = "scalars";
          }}
        >
          Show curves
        </button>
        <button onClick={() => s.toggleRun(session.name)}>{s.isSelected(session.name) ? "Unselect" : "Select"}</button>
      </div>
    </aside>
  );
}

/** Live updates: refetch at most every few seconds, only when runs or a metric tag changed. */
const REFRESH_MS = 3000;

/**
 * A counter bumped when the sessions' data may have changed: on reload, when runs appear or
 * disappear, or when a metric tag gets points. Other tags streaming in (a training loop's loss
 * every step) do not refetch every run's summary.
 */
function useSessionsVersion(metricTags: ReadonlySet<string>): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: string | null = null;
    const dispose = effect(() => {
      const versions = s.tagVersions.value;
      // Session starts and ends are hparams-plugin tags; before any session exists, no metric
      // is known, so any change may be the first session's.
      let metrics = 0;
      for (const [tag, v] of versions) {
        if (metricTags.size === 0 || metricTags.has(tag) || tag.startsWith("_hparams_/")) metrics += v;
      }
      const key = `${s.reloadTick.value}|${s.runsVersion.value}|${metrics}`;
      if (last === null || key === last) {
        last = key;
        return;
      }
      last = key;
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, REFRESH_MS);
    });
    return () => {
      dispose();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [metricTags]);
  return version;
}

const NO_TAGS: ReadonlySet<string> = new Set();

export function HParamsDashboard(): JSX.Element {
  useEffect(syncHParamsWithUrl, []);
  const [watched, setWatched] = useState<ReadonlySet<string>>(NO_TAGS);
  const version = useSessionsVersion(watched);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [known, setKnown] = useState<ReadonlySet<string>>(new Set());
  // One loader for the dashboard's life: a reload asked for mid-load waits for it (load.ts).
  const loader = useRef<QueuedLoader | null>(null);
  useEffect(() => {
    const queued = new QueuedLoader(async (signal) => {
      try {
        const experiment = await fetchExperiment(signal);
        const rows = await fetchAllRows(metricTags(experiment), signal);
        if (signal.aborted) return;
        setKnown(new Set(rows.map((r) => r.name)));
        setWatched((current) => {
          const tags = metricTags(experiment);
          return tags.length === current.size && tags.every((t) => current.has(t)) ? current : new Set(tags);
        });
        setLoaded({ experiment, model: buildModel(experiment, rows) });
        setError(null);
      } catch (e: unknown) {
        if (!signal.aborted) setError(e instanceof Error ? e.message : String(e));
      }
    });
    loader.current = queued;
    return () => queued.abort();
  }, []);
  useEffect(() => loader.current?.request(), [version]);

  const filters = h.filters.value;
  const overrides = h.logOverrides.value;
  const axes = loaded?.model.axes ?? [];
  const sessions = loaded?.model.sessions ?? [];
  const scales = useMemo(
    () => axes.map((a): Scale => scaleFor(a, overrides.get(a.id) ?? (a.kind === "hparam" && prefersLog(a.extent, a.median)))),
    [axes, overrides],
  );
  const matching = useMemo(() => matchingSessions(sessions, axes, filters), [sessions, axes, filters]);
  const numericAxes = axes.filter((a) => a.numeric);
  // The chosen axis while it exists (a link may name one this logdir lacks), else the first metric.
  const chosen = h.colorBy.value;
  const colorAxisId =
    chosen !== null && numericAxes.some((a) => a.id === chosen)
      ? chosen
      : (numericAxes.find((a) => a.kind === "metric")?.id ?? numericAxes[0]?.id ?? null);
  const colorIndex = axes.findIndex((a) => a.id === colorAxisId);
  const dark = s.dark.value;
  const colors = useMemo(() => {
    const out = new Map<string, string>();
    const axis = axes[colorIndex];
    const scale = scales[colorIndex];
    for (const session of sessions) {
      const v = axis ? session.values.get(axis.id) : undefined;
      out.set(session.name, colorFor(axis && scale && typeof v === "number" ? scale.position(v) : null, dark));
    }
    return out;
  }, [sessions, axes, scales, colorIndex, dark]);

  if (error !== null) return <div class="empty error">{error}</div>;
  if (loaded === null) return <div class="empty">Loading…</div>;
  if (sessions.length === 0) {
    return (
      <div class="empty" data-testid="hp-empty">
        <h2>No hparams sessions</h2>
        <p>
          Log hyperparameters with <code>writer.add_hparams(hparams, metrics)</code> (Heron, PyTorch, tensorboardX) or TensorFlow's{" "}
          <code>hp.hparams(...)</code>; each run that records them is a session here.
        </p>
      </div>
    );
  }

  const view = h.view.value;
  const props = { axes, scales, sessions, matching, colors, filters };
  const filtered = filters.size > 0;
  const matchingNames = sessions.filter((x) => matching.has(x.name)).map((x) => x.name);
  const pinned = h.pinned.value === null ? undefined : sessions.find((x) => x.name === h.pinned.value);
  const colorAxis = axes[colorIndex];
  const colorScale = scales[colorIndex];
  return (
    <div class="hp-dashboard" data-testid="hp-dashboard">
      <div class="hp-toolbar">
        <div class="seg" role="tablist" aria-label="HParams view">
          {(["table", "parallel", "scatter"] as const).map((v) => (
            <button key={v} role="tab" aria-selected={view === v} class={view === v ? "active" : ""} onClick={() => (h.view.value = v)} data-testid={`hp-view-${v}`}>
              {v === "table" ? "Table" : v === "parallel" ? "Parallel coordinates" : "Scatter matrix"}
            </button>
          ))}
        </div>
        {view !== "table" && (
          <label class="hp-color">
            Colour by
            <select class="select" value={colorAxisId ?? ""} onChange={(e) => (h.colorBy.value = e.currentTarget.value)} data-testid="hp-color-by">
              {numericAxes.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {view !== "table" && colorAxis && colorScale && (
          <span class="hp-legend" title={`${colorAxis.label}: colour scale`}>
            <span>{colorScale.kind === "log" ? "log " : ""}{colorAxis.extent ? valueLabel(colorAxis.extent[0]) : ""}</span>
            <i class={`hp-ramp ${dark ? "dark" : ""}`} />
            <span>{colorAxis.extent ? valueLabel(colorAxis.extent[1]) : ""}</span>
          </span>
        )}
        <span class="count" data-testid="hp-count">
          {filtered
            ? `${matching.size.toLocaleString("en-US")} of ${sessions.length.toLocaleString("en-US")} sessions`
            : `${sessions.length.toLocaleString("en-US")} ${sessions.length === 1 ? "session" : "sessions"}`}
        </span>
        <div class="select-buttons">
          <button
            data-testid="hp-select-matching"
            disabled={matching.size === 0}
            title="Make these sessions (and the runs holding their metrics) the run selection"
            onClick={() => {
              const runs = matchingNames.flatMap((name) => curveRuns(name, axes, known));
              s.selection.value = { kind: "only", runs: new Set(runs) };
            }}
          >
            Select these {matching.size.toLocaleString("en-US")}
          </button>
          <button data-testid="hp-clear-filters" disabled={!filtered} onClick={() => (h.filters.value = new Map())}>
            Clear filters
          </button>
        </div>
      </div>
      {view !== "table" && (
        <div class="muted hp-hint">
          {view === "parallel"
            ? "Drag along an axis to filter; click an axis to clear its brush; click a line for its details."
            : "Drag a rectangle in a cell to filter on both of its axes; click empty space to clear them; click a point for its details."}
        </div>
      )}
      <div class="hp-main">
        <div class="hp-view">
          {view === "table" && <HParamsTable {...props} />}
          {view === "parallel" && <ParallelCoords {...props} />}
          {view === "scatter" && <ScatterMatrix {...props} />}
        </div>
        {pinned && <Details session={pinned} axes={axes} known={known} />}
      </div>
    </div>
  );
}

function valueLabel(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
