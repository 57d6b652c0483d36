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
  /**
   * Per run, per row of the table: the index of the run's point on that row, or -1 (for
   * tooltips: see pointAt). One typed array per run, not two arrays of boxed steps and times:
   * a chart of 1,000 runs has millions of cells.
   */
  pointIndex: Int32Array[];
  /** The runs' own columns, which pointIndex indexes. */
  sources: readonly RunColumns[];
}

/** Run ``r``'s step and wall time on ``row``, or null where it has no point. */
export function pointAt(table: ChartTable, r: number, row: number): { step: number; wall: number } | null {
  const i = table.pointIndex[r]?.[row] ?? -1;
  const source = table.sources[r];
  if (i < 0 || !source) return null;
  return { step: source.steps[i] ?? 0, wall: source.wallTimes[i] ?? 0 };
}

export function xValues(run: RunColumns, axis: XAxis): number[] {
  if (axis === "step") return run.steps.slice();
  if (axis === "wall") return run.wallTimes.slice();
  const first = run.wallTimes[0] ?? 0;
  return run.wallTimes.map((t) => t - first);
}

/** Log scales cannot show values ≤ 0: those become gaps rather than breaking the axis. */
function shown(v: number | undefined, log: boolean): number | null {
  return v === undefined || Number.isNaN(v) || (log && !(v > 0)) ? null : v;
}

/**
 * A column of gaps. Left as holes (undefined), not filled with null: uPlot skips both alike with
 * spanGaps, and filling millions of cells for a chart of 1,000 runs costs more than drawing it.
 */
function gaps(length: number): (number | null)[] {
  return new Array<number | null>(length);
}

export function buildTable(
  runs: readonly RunColumns[],
  options: { axis: XAxis; smoothing: number; smoother?: Smoother; logY: boolean; logX?: boolean },
): ChartTable {
  const perRun = runs.map((r) => xValues(r, options.axis));
  const keepX = (x: number): boolean => !options.logX || x > 0;
  // On a log x axis, x ≤ 0 (step 0, the first point of relative time) has no place: left out.
  const all = new Set<number>();
  for (const xs of perRun) for (const x of xs) if (keepX(x)) all.add(x);
  const xs = Float64Array.from(all).sort();
  const rowOf = new Map<number, number>();
  xs.forEach((x, i) => rowOf.set(x, i));

  const smoothed = options.smoothing > 0;
  const columns: (number | null)[][] = [Array.from(xs)];
  const pointIndex: Int32Array[] = [];
  runs.forEach((run, r) => {
    const runXs = perRun[r] ?? [];
    const raw = gaps(xs.length);
    const sm = smoothed ? gaps(xs.length) : null;
    const index = new Int32Array(xs.length).fill(-1);
    const smoothValues = sm ? applySmoother(run.values, options.smoothing, options.smoother ?? "ema") : null;
    for (let i = 0; i < runXs.length; i++) {
      const row = rowOf.get(runXs[i] as number);
      if (row === undefined) continue;
      raw[row] = shown(run.values[i], options.logY);
      if (sm && smoothValues) sm[row] = shown(smoothValues[i], options.logY);
      index[row] = i;
    }
    columns.push(raw);
    if (sm) columns.push(sm);
    pointIndex.push(index);
  });
  return { columns, runs: runs.map((r) => r.run), smoothed, pointIndex, sources: runs };
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
