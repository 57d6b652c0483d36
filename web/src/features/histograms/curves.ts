/**
 * Buckets → drawable curves. Writers bucket each step differently (TensorFlow's exponential
 * buckets are 1e-12 wide near zero and wide far out; PyTorch's are uniform over that step's
 * range), so raw counts of different steps are not comparable. Every step is re-binned onto one
 * uniform grid over the card's whole value range, spreading a bucket's count over the grid bins
 * it overlaps in proportion to the overlap: heights then mean "count per grid bin" everywhere.
 */
import type { Bucket, HistogramStep } from "../../api/histograms";

export interface Curves {
  /** Value range of the grid (the smallest and largest value of any step, padded if equal). */
  min: number;
  max: number;
  bins: number;
  /** counts[i][j]: step i's count in grid bin j. */
  counts: Float64Array[];
  /** The highest grid count of any step (1 when every step is empty, to avoid dividing by 0). */
  maxCount: number;
}

/** The value extent of the buckets that hold data; null when no step has any. */
export function valueRange(steps: readonly HistogramStep[]): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { buckets } of steps) {
    for (const [left, right, count] of buckets) {
      if (!(count > 0) || !Number.isFinite(left) || !Number.isFinite(right)) continue;
      if (left < min) min = left;
      if (right > max) max = right;
    }
  }
  if (min > max) return null;
  if (min === max) {
    // One value everywhere (all-equal data): a small window around it.
    const pad = Math.abs(min) * 0.1 || 0.5;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** One step's buckets on a uniform grid of ``bins`` bins over [min, max]. */
export function rebin(buckets: readonly Bucket[], min: number, max: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  const width = (max - min) / bins;
  const binOf = (v: number): number => Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)));
  for (const [left, right, count] of buckets) {
    if (!(count > 0) || !Number.isFinite(left) || !Number.isFinite(right)) continue;
    if (right <= left) {
      // A zero-width bucket (all-equal data) is a point mass.
      out[binOf(left)] = (out[binOf(left)] ?? 0) + count;
      continue;
    }
    const first = binOf(left);
    const last = binOf(right);
    for (let j = first; j <= last; j++) {
      const lo = Math.max(left, min + j * width);
      const hi = Math.min(right, min + (j + 1) * width);
      if (hi > lo) out[j] = (out[j] ?? 0) + (count * (hi - lo)) / (right - left);
    }
  }
  return out;
}

export function buildCurves(steps: readonly HistogramStep[], bins: number): Curves | null {
  const range = valueRange(steps);
  if (range === null) return null;
  const counts = steps.map((s) => rebin(s.buckets, range.min, range.max, bins));
  let maxCount = 0;
  for (const row of counts) for (const c of row) if (c > maxCount) maxCount = c;
  return { ...range, bins, counts, maxCount: maxCount || 1 };
}

/** The original bucket of ``buckets`` that holds ``value`` (for the tooltip), or null. */
export function bucketAt(buckets: readonly Bucket[], value: number): Bucket | null {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    const isLast = i === buckets.length - 1;
    if (value >= b[0] && (value < b[1] || (isLast && value <= b[1]))) return b;
  }
  return null;
}

/**
 * The grid count of one step at ``value``, linearly interpolated between bin centres (the curve
 * is drawn through the centres, so this is the height the eye sees at that x).
 */
export function countAt(row: Float64Array, min: number, max: number, value: number): number {
  const bins = row.length;
  if (bins === 0 || value < min || value > max) return 0;
  const pos = ((value - min) / (max - min)) * bins - 0.5;
  if (pos <= 0) return row[0] ?? 0;
  if (pos >= bins - 1) return row[bins - 1] ?? 0;
  const j = Math.floor(pos);
  const t = pos - j;
  return (row[j] ?? 0) * (1 - t) + (row[j + 1] ?? 0) * t;
}
