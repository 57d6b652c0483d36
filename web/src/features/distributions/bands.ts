/**
 * Distribution bands: the nine basis-point values of each step (reference §5.7: min, ±1.5σ,
 * ±1σ, ±0.5σ of a normal, median, max) as uPlot columns, and which pairs of them bound the
 * nested bands, outermost (min–max) first, so that each inner band is drawn over the outer ones.
 */
import type { DistributionStep } from "../../api/histograms";
import type { XAxis } from "../../lib/urlState";
import { timeValues } from "../histograms/timeAxis";

export const BASIS_POINTS = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000] as const;
export const MEDIAN = 4;

/** [lower, upper] indices into the nine values, outermost band first. */
export const BAND_PAIRS: readonly (readonly [number, number])[] = [
  [0, 8],
  [1, 7],
  [2, 6],
  [3, 5],
];

export const BAND_LABELS: readonly string[] = ["min – max", "±1.5σ", "±1σ", "±0.5σ"];

export const VALUE_LABELS: readonly string[] = [
  "min",
  "−1.5σ",
  "−1σ",
  "−0.5σ",
  "median",
  "+0.5σ",
  "+1σ",
  "+1.5σ",
  "max",
];

export interface BandColumns {
  /** Positions on the chosen x axis, ascending. */
  x: number[];
  /** values[k][i]: basis point k at step i (null where a step lacks it). */
  values: (number | null)[][];
  steps: number[];
  wallTimes: number[];
}

export function bandColumns(points: readonly DistributionStep[], axis: XAxis): BandColumns {
  const times = timeValues(points, axis);
  // Relative and wall time may disagree with step order (a restarted run); uPlot needs x sorted.
  const order = points.map((_, i) => i).sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  const values: (number | null)[][] = BASIS_POINTS.map(() => []);
  for (const i of order) {
    const row = (points[i] as DistributionStep).values;
    values.forEach((col, k) => {
      const v = row[k];
      col.push(v === undefined || !Number.isFinite(v) ? null : v);
    });
  }
  return {
    x: order.map((i) => times[i] ?? 0),
    values,
    steps: order.map((i) => (points[i] as DistributionStep).step),
    wallTimes: order.map((i) => (points[i] as DistributionStep).wallTime),
  };
}
