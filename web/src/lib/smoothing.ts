/**
 * TensorBoard's "classic" smoothing: a debiased exponential moving average over the points as
 * drawn (reference §7.1). Kept bit-for-bit with TensorBoard so curves look the same in both tools.
 */
export const SMOOTHING_MIN = 0;
export const SMOOTHING_MAX = 0.999;
export const SMOOTHING_DEFAULT = 0.6;

export function smooth(values: readonly number[], weight: number): number[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0;
  if (values.length === 0) return [];
  const first = values[0];
  // A constant series stays as it is (also avoids debiasing noise on flat lines).
  if (values.every((y) => y === first || (Number.isNaN(y) && Number.isNaN(first)))) {
    return values.slice();
  }
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i] as number;
    if (!Number.isFinite(y)) {
      // NaN / ±Infinity are shown as they are and do not poison the average.
      out[i] = y;
      continue;
    }
    last = last * w + (1 - w) * y;
    n += 1;
    const debias = w === 1 ? 1 : 1 - Math.pow(w, n);
    out[i] = last / debias;
  }
  return out;
}

/**
 * Heron's extra smoothers. Unlike the EMA they look both ways, so they do not lag behind the
 * data. They take the same slider: weight w means a window radius of w / (1 − w) points, the
 * EMA's mean lag (0.6 → 2 points, 0.9 → 9, 0.99 → 99). Non-finite values are passed through and
 * left out of their neighbours' averages, as the EMA does.
 */
export type Smoother = "ema" | "centered" | "gaussian";
export const SMOOTHERS: readonly Smoother[] = ["ema", "centered", "gaussian"];

export function windowRadius(weight: number): number {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), SMOOTHING_MAX) : 0;
  return Math.round(w / (1 - w) + 1e-9); // 0.6 / 0.4 is 1.4999… in floating point
}

/** Mean of the finite values within ``radius`` points on each side (prefix sums: O(n)). */
export function centeredAverage(values: readonly number[], radius: number): number[] {
  const n = values.length;
  const sum = new Float64Array(n + 1);
  const count = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const y = values[i] as number;
    const ok = Number.isFinite(y);
    sum[i + 1] = (sum[i] as number) + (ok ? y : 0);
    count[i + 1] = (count[i] as number) + (ok ? 1 : 0);
  }
  return values.map((y, i) => {
    if (!Number.isFinite(y)) return y;
    const lo = Math.max(0, i - radius);
    const hi = Math.min(n, i + radius + 1);
    return ((sum[hi] as number) - (sum[lo] as number)) / ((count[hi] as number) - (count[lo] as number));
  });
}

/** Gaussian-weighted mean with σ = radius / 2, truncated at 3σ. */
export function gaussianSmooth(values: readonly number[], radius: number): number[] {
  if (radius <= 0) return values.slice();
  const sigma = radius / 2;
  const reach = Math.min(values.length, Math.ceil(3 * sigma));
  const kernel = Array.from({ length: reach + 1 }, (_, d) => Math.exp(-(d * d) / (2 * sigma * sigma)));
  return values.map((y, i) => {
    if (!Number.isFinite(y)) return y;
    let total = 0;
    let weights = 0;
    const lo = Math.max(0, i - reach);
    const hi = Math.min(values.length - 1, i + reach);
    for (let j = lo; j <= hi; j++) {
      const v = values[j] as number;
      if (!Number.isFinite(v)) continue;
      const k = kernel[Math.abs(j - i)] as number;
      total += k * v;
      weights += k;
    }
    return total / weights;
  });
}

export function applySmoother(values: readonly number[], weight: number, smoother: Smoother): number[] {
  if (smoother === "ema") return smooth(values, weight);
  const radius = windowRadius(weight);
  return smoother === "centered" ? centeredAverage(values, radius) : gaussianSmooth(values, radius);
}
