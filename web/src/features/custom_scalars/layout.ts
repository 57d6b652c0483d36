/**
 * Pure logic of the custom-scalars dashboard: which scalar series a chart of the layout draws, and
 * a margin chart's band. Multiline charts name tags by regular expressions matched from the start
 * of the tag (Python's `re.match`, as TensorBoard): `loss` matches `loss/train`, not `val/loss`.
 */
import type { LayoutCategory, LayoutChart, MarginSeries } from "../../api/customScalars";
import { sortTags } from "../../lib/naturalSort";
import type { RunPredicate } from "../../lib/runCount";

/** ``source`` anchored at the start of the text, or null when it is no valid JavaScript regex. */
export function anchored(source: string): RegExp | null {
  if (source === "") return null;
  try {
    return new RegExp(`^(?:${source})`);
  } catch {
    return null;
  }
}

/** The tags (naturally sorted) that match at least one of the chart's patterns. */
export function matchingTags(patterns: readonly string[], tags: Iterable<string>): string[] {
  const regexes = patterns.map(anchored).filter((r): r is RegExp => r !== null);
  const out: string[] = [];
  for (const tag of tags) if (regexes.some((r) => r.test(tag))) out.push(tag);
  return sortTags(out);
}

/** The patterns of a chart that are not valid regexes (shown on the card, never thrown). */
export function invalidPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => anchored(p) === null);
}

/** One line of a multiline chart: a (run, tag) pair and the label it is drawn and listed under. */
export interface ChartLine {
  run: string;
  tag: string;
  label: string;
}

/**
 * The lines of a multiline chart: each shown run's tags that match. With a single matching tag a
 * line is labelled (and coloured) by its run alone, as on the scalars dashboard; with several,
 * by run and tag, so each line gets its own colour.
 */
export function multilineLines(
  patterns: readonly string[],
  scalarTags: ReadonlyMap<string, readonly string[]>,
  shown: RunPredicate,
): ChartLine[] {
  const tags = matchingTags(patterns, scalarTags.keys()).filter((t) => (scalarTags.get(t) ?? []).some((r) => shown.has(r)));
  const lines: ChartLine[] = [];
  for (const tag of tags) {
    for (const run of [...(scalarTags.get(tag) ?? [])].sort()) {
      if (!shown.has(run)) continue;
      lines.push({ run, tag, label: tags.length === 1 ? run : `${run}: ${tag}` });
    }
  }
  return lines;
}

/** The shown runs having a margin series' value tag (a band needs its value; bounds may lack). */
export function marginRuns(
  series: MarginSeries,
  scalarTags: ReadonlyMap<string, readonly string[]>,
  shown: RunPredicate,
): string[] {
  return [...(scalarTags.get(series.value) ?? [])].filter((r) => shown.has(r)).sort();
}

/** Does the tag filter keep this chart? Its title or any of its tag patterns may match. */
export function chartMatches(chart: LayoutChart, test: (text: string) => boolean): boolean {
  if (test(chart.title)) return true;
  if (chart.kind === "multiline") return chart.tags.some(test);
  return chart.series.some((s) => test(s.value) || test(s.lower) || test(s.upper));
}

/** Categories with the charts the filter keeps (empty categories are dropped). */
export function filterLayout(layout: readonly LayoutCategory[], test: (text: string) => boolean): LayoutCategory[] {
  return layout
    .map((c) => ({ ...c, charts: c.charts.filter((chart) => chartMatches(chart, test)) }))
    .filter((c) => c.charts.length > 0);
}

export interface Points {
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** A run's margin band: the value's steps, with the lower and upper bound at each (null where absent). */
export interface Band {
  steps: number[];
  value: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
}

function byStep(points: Points | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!points) return out;
  for (let i = 0; i < points.steps.length; i++) {
    const v = points.values[i] as number;
    if (Number.isFinite(v)) out.set(points.steps[i] as number, v);
  }
  return out;
}

/** The band of one run from its three series, on the steps of the value (non-finite values left out). */
export function marginBand(value: Points, lower: Points | undefined, upper: Points | undefined): Band {
  const lo = byStep(lower);
  const hi = byStep(upper);
  const band: Band = { steps: [], value: [], lower: [], upper: [] };
  for (let i = 0; i < value.steps.length; i++) {
    const step = value.steps[i] as number;
    const v = value.values[i] as number;
    band.steps.push(step);
    band.value.push(Number.isFinite(v) ? v : null);
    band.lower.push(lo.get(step) ?? null);
    band.upper.push(hi.get(step) ?? null);
  }
  return band;
}
