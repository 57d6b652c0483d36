/**
 * A card's data table: per run, the last point and the extremes. Computed from the min/max
 * envelope the chart drew, which keeps every bucket's extremes and the last point, so the
 * minimum, maximum and last value are those of the full series.
 */
import { applySmoother, type Smoother } from "./smoothing";

export interface RunSummary {
  run: string;
  lastStep: number | null;
  last: number | null;
  smoothed: number | null;
  min: number | null;
  max: number | null;
}

export function summarize(
  series: { run: string; steps: ArrayLike<number>; values: ArrayLike<number> },
  smoothing: number,
  smoother: Smoother,
): RunSummary {
  let min: number | null = null;
  let max: number | null = null;
  for (let i = 0; i < series.values.length; i++) {
    const v = series.values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  const n = series.values.length;
  const smoothedValues = smoothing > 0 ? applySmoother(Array.from(series.values), smoothing, smoother) : series.values;
  return {
    run: series.run,
    lastStep: n > 0 ? (series.steps[n - 1] ?? null) : null,
    last: n > 0 ? (series.values[n - 1] ?? null) : null,
    smoothed: n > 0 ? (smoothedValues[n - 1] ?? null) : null,
    min,
    max,
  };
}
