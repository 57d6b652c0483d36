/**
 * Zoomed in, a card asks the server for the steps in view only (`start_step` / `end_step`), at
 * about one point per pixel: the window is drawn at full resolution, down to every real point.
 */

export interface StepRange {
  /** First step asked for (inclusive). */
  start: number;
  /** Last step asked for (inclusive). */
  end: number;
}

/** Each side of the window gets this share of its width more, so lines reach the chart's edges. */
export const EDGE_PAD = 0.02;

function padded(lo: number, hi: number): StepRange | null {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) return null;
  const pad = Math.max(1, (hi - lo) * EDGE_PAD);
  return { start: Math.max(0, Math.floor(lo - pad)), end: Math.ceil(hi + pad) };
}

/** The step axis: the window itself, padded and rounded out to whole steps. */
export function stepRangeOfWindow(min: number, max: number): StepRange | null {
  return padded(min, max);
}

/**
 * Time axes: the lowest and highest step of the rows whose x is in the window. ``stepAt(r, row)``
 * is run r's step on that row of the chart's table (null where that run has no point).
 */
export function stepRangeOfRows(
  xs: readonly number[],
  runs: number,
  stepAt: (run: number, row: number) => number | null,
  min: number,
  max: number,
): StepRange | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  xs.forEach((x, row) => {
    if (x < min || x > max) return;
    for (let r = 0; r < runs; r++) {
      const step = stepAt(r, row);
      if (step === null) continue;
      if (step < lo) lo = step;
      if (step > hi) hi = step;
    }
  });
  return padded(lo, hi);
}

export function sameRange(a: StepRange | null, b: StepRange | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);
}

/** Points a chart asks for over all its runs at most: many runs get fewer points each. */
export const CHART_POINT_BUDGET = 100_000;
/** …but never fewer than this per run. */
export const MIN_POINTS_PER_RUN = 64;

/**
 * Points to ask for per run: about one per pixel of ``width``, fewer when the chart has so many
 * runs that the budget would be exceeded. The min/max envelope keeps every bucket's extremes, so
 * fewer points lose horizontal detail (zoom restores it), never a spike.
 */
export function pointsPerRun(width: number, runs: number): number {
  const share = Math.floor(CHART_POINT_BUDGET / Math.max(1, runs));
  return Math.max(MIN_POINTS_PER_RUN, Math.min(Math.round(width), share));
}
