/**
 * Smoothing a margin chart's series with the scalar dashboard's smoother and weight (lib/smoothing),
 * so a margin chart reads like a scalar card at the same setting. The value and both bounds are
 * smoothed alike (a band smoothed differently from its line could leave the line outside it);
 * missing points (null) are skipped, not taken as zeros, and stay missing.
 */
import { applySmoother, type Smoother } from "../../lib/smoothing";
import type { Band } from "./layout";

function smoothColumn(column: readonly (number | null)[], weight: number, smoother: Smoother): (number | null)[] {
  const at: number[] = [];
  const values: number[] = [];
  column.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      at.push(i);
      values.push(v);
    }
  });
  const out: (number | null)[] = column.map(() => null);
  applySmoother(values, weight, smoother).forEach((v, k) => (out[at[k] as number] = v));
  return out;
}

/** The band smoothed, or the band itself at weight 0. */
export function smoothBand(band: Band, weight: number, smoother: Smoother): Band {
  if (weight <= 0) return band;
  return {
    steps: band.steps,
    value: smoothColumn(band.value, weight, smoother),
    lower: smoothColumn(band.lower, weight, smoother),
    upper: smoothColumn(band.upper, weight, smoother),
  };
}
