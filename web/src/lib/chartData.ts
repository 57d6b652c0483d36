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

/** A run's points: plain arrays, or the typed columns the binary scalars answer decodes into. */
export interface RunColumns {
  run: string;
  steps: ArrayLike<number>;
  wallTimes: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface ChartTable {
  /** x, then for each run: raw (and smoothed when ``smoothed``). */
  columns: (number | null)[][];
  runs: string[];
  smoothed: boolean;
  /**
   * Per run, the rows of the table where it has a point, ascending. A chart of 1,000 runs has
   * millions of cells but only ~100,000 points: drawing (charts/sparsePaths.ts), tooltips and
   * the drawn extent walk these instead of every cell.
   */
  rows: Int32Array[];
  /** Per run, the index of its point (in ``sources``) on each of its ``rows``. */
  points: Int32Array[];
  /** The runs' own columns, which ``points`` indexes. */
  sources: readonly RunColumns[];
}

/** Position of ``row`` in ``rows`` (ascending), or -1. */
function findRow(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as number) < row) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] === row ? lo : -1;
}

/** Run ``r``'s step and wall time on ``row``, or null where it has no point. */
export function pointAt(table: ChartTable, r: number, row: number): { step: number; wall: number } | null {
  const rows = table.rows[r];
  const source = table.sources[r];
  if (!rows || !source) return null;
  const k = findRow(rows, row);
  if (k < 0) return null;
  const i = table.points[r]?.[k] ?? -1;
  return { step: source.steps[i] ?? 0, wall: source.wallTimes[i] ?? 0 };
}

export function xValues(run: RunColumns, axis: XAxis): number[] {
  if (axis === "step") return Array.from(run.steps);
  if (axis === "wall") return Array.from(run.wallTimes);
  const first = run.wallTimes[0] ?? 0;
  return Array.from(run.wallTimes, (t) => t - first);
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

/**
 * ``rows`` / ``points`` pairs sorted by row, a later point winning a shared row (as it wins the
 * cell): steps are sorted already, wall times may go back after a restart.
 */
function sortedRows(rows: Int32Array, points: Int32Array): [Int32Array, Int32Array] {
  let ascending = true;
  for (let k = 1; k < rows.length && ascending; k++) ascending = (rows[k] as number) > (rows[k - 1] as number);
  if (ascending) return [rows, points];
  const order = Array.from(rows.keys()).sort((a, b) => (rows[a] as number) - (rows[b] as number) || a - b);
  const outRows: number[] = [];
  const outPoints: number[] = [];
  for (const k of order) {
    if (outRows.length > 0 && outRows[outRows.length - 1] === rows[k]) {
      outPoints[outPoints.length - 1] = points[k] as number;
    } else {
      outRows.push(rows[k] as number);
      outPoints.push(points[k] as number);
    }
  }
  return [Int32Array.from(outRows), Int32Array.from(outPoints)];
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
  const allRows: Int32Array[] = [];
  const allPoints: Int32Array[] = [];
  runs.forEach((run, r) => {
    const runXs = perRun[r] ?? [];
    const raw = gaps(xs.length);
    const sm = smoothed ? gaps(xs.length) : null;
    const rows = new Int32Array(runXs.length);
    const points = new Int32Array(runXs.length);
    let n = 0;
    const smoothValues = sm ? applySmoother(Array.from(run.values), options.smoothing, options.smoother ?? "ema") : null;
    for (let i = 0; i < runXs.length; i++) {
      const row = rowOf.get(runXs[i] as number);
      if (row === undefined) continue;
      raw[row] = shown(run.values[i], options.logY);
      if (sm && smoothValues) sm[row] = shown(smoothValues[i], options.logY);
      rows[n] = row;
      points[n] = i;
      n += 1;
    }
    columns.push(raw);
    if (sm) columns.push(sm);
    const [sortedR, sortedP] = sortedRows(rows.subarray(0, n), points.subarray(0, n));
    allRows.push(sortedR);
    allPoints.push(sortedP);
  });
  return { columns, runs: runs.map((r) => r.run), smoothed, rows: allRows, points: allPoints, sources: runs };
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
