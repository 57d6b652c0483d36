/**
 * Per-run scalar columns → the aligned table uPlot draws (one x column, then per run a raw column
 * and, when smoothing, a smoothed one). Pure, so the envelope handling is unit-tested.
 *
 * The server's downsampled answer is the min/max envelope (each bucket's lowest and highest real
 * point, in step order). Drawing every returned point as one line makes the line sweep the whole
 * envelope, so a one-step spike among a million points still reaches its true height.
 */
import { applySmoother, type Smoother } from "./smoothing";
import type { XAxis } from "./urlState";

export interface RunColumns {
  run: string;
  steps: readonly number[];
  wallTimes: readonly number[];
  values: readonly number[];
}

export interface ChartTable {
  /** x, then for each run: raw (and smoothed when ``smoothed``). */
  columns: (number | null)[][];
  runs: string[];
  smoothed: boolean;
  /** Per run, per row of the table: the point's step and wall time (for tooltips). */
  steps: (number | null)[][];
  wallTimes: (number | null)[][];
}

export function xValues(run: RunColumns, axis: XAxis): number[] {
  if (axis === "step") return run.steps.slice();
  if (axis === "wall") return run.wallTimes.slice();
  const first = run.wallTimes[0] ?? 0;
  return run.wallTimes.map((t) => t - first);
}

/** Log scales cannot show values ≤ 0: those become gaps rather than breaking the axis. */
function forLog(values: readonly number[]): (number | null)[] {
  return values.map((v) => (v > 0 ? v : null));
}

export function buildTable(
  runs: readonly RunColumns[],
  options: { axis: XAxis; smoothing: number; smoother?: Smoother; logY: boolean; logX?: boolean },
): ChartTable {
  const perRun = runs.map((r) => ({ run: r, xs: xValues(r, options.axis) }));
  const keepX = (x: number): boolean => !options.logX || x > 0;
  const all = new Set<number>();
  // On a log x axis, x ≤ 0 (step 0, the first point of relative time) has no place: left out.
  for (const { xs } of perRun) for (const x of xs) if (keepX(x)) all.add(x);
  const xs = [...all].sort((a, b) => a - b);
  const rowOf = new Map<number, number>();
  xs.forEach((x, i) => rowOf.set(x, i));

  const smoothed = options.smoothing > 0;
  const columns: (number | null)[][] = [xs];
  const steps: (number | null)[][] = [];
  const wallTimes: (number | null)[][] = [];
  for (const { run, xs: runXs } of perRun) {
    const raw = new Array<number | null>(xs.length).fill(null);
    const sm = smoothed ? new Array<number | null>(xs.length).fill(null) : null;
    const st = new Array<number | null>(xs.length).fill(null);
    const wt = new Array<number | null>(xs.length).fill(null);
    const values = options.logY ? forLog(run.values) : run.values;
    const smoothValues = sm ? applySmoother(run.values, options.smoothing, options.smoother ?? "ema") : null;
    const smoothShown = smoothValues && options.logY ? forLog(smoothValues) : smoothValues;
    runXs.forEach((x, i) => {
      const row = rowOf.get(x);
      if (row === undefined) return;
      const v = values[i];
      raw[row] = v === undefined || v === null || Number.isNaN(v) ? null : v;
      if (sm && smoothShown) {
        const s = smoothShown[i];
        sm[row] = s === undefined || s === null || Number.isNaN(s) ? null : s;
      }
      st[row] = run.steps[i] ?? null;
      wt[row] = run.wallTimes[i] ?? null;
    });
    columns.push(raw);
    if (sm) columns.push(sm);
    steps.push(st);
    wallTimes.push(wt);
  }
  return { columns, runs: runs.map((r) => r.run), smoothed, steps, wallTimes };
}

/** Finite min and max over the value columns (everything but x), or null when empty. */
export function valueExtent(table: ChartTable): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let c = 1; c < table.columns.length; c++) {
    for (const v of table.columns[c] as (number | null)[]) {
      if (v !== null && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}
