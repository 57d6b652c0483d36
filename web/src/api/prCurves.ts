/**
 * PR-curve reads (TensorBoard's `/data/plugin/pr_curves` routes, docs/http-api.md). The wire's
 * parallel arrays become one view value per step; non-finite numbers arrive as strings.
 */
import { getJson } from "./client";
import { chunkRuns, decodeFloat } from "./endpoints";
import type { WireFloat } from "./types";

type PrTagsWire = Record<string, Record<string, { displayName: string; description: string }>>;

interface PrStepWire {
  wall_time: number;
  step: number;
  precision: WireFloat[];
  recall: WireFloat[];
  true_positives: WireFloat[];
  false_positives: WireFloat[];
  true_negatives: WireFloat[];
  false_negatives: WireFloat[];
  thresholds: WireFloat[];
}

export type PrCurvesWire = Record<string, PrStepWire[]>;

/** One step of one run: the curve at each kept threshold (all arrays the same length). */
export interface PrCurveStep {
  step: number;
  wallTime: number;
  thresholds: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  tn: Float64Array;
  fn: Float64Array;
}

/** run → tags with PR curves. */
export async function fetchPrCurveTags(signal?: AbortSignal): Promise<Map<string, string[]>> {
  const wire = await getJson<PrTagsWire>("data/plugin/pr_curves/tags", {}, signal);
  return new Map(Object.entries(wire).map(([run, tags]) => [run, Object.keys(tags)]));
}

function column(values: readonly WireFloat[], length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = decodeFloat(values[i] ?? "NaN");
  return out;
}

/** The wire answer as view values; every array of a step is cut to the shortest one. */
export function decodePrCurves(wire: PrCurvesWire): Map<string, PrCurveStep[]> {
  const out = new Map<string, PrCurveStep[]>();
  for (const [run, steps] of Object.entries(wire)) {
    out.set(
      run,
      steps.map((w) => {
        const n = Math.min(
          w.thresholds.length,
          w.precision.length,
          w.recall.length,
          w.true_positives.length,
          w.false_positives.length,
          w.true_negatives.length,
          w.false_negatives.length,
        );
        return {
          step: w.step,
          wallTime: w.wall_time,
          thresholds: column(w.thresholds, n),
          precision: column(w.precision, n),
          recall: column(w.recall, n),
          tp: column(w.true_positives, n),
          fp: column(w.false_positives, n),
          tn: column(w.true_negatives, n),
          fn: column(w.false_negatives, n),
        };
      }),
    );
  }
  return out;
}

/** One tag's curves of several runs (each must have the tag), every step of each. */
export async function fetchPrCurves(
  tag: string,
  runs: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, PrCurveStep[]>> {
  // Many runs: several requests, so that no URL grows past common limits.
  const answers = await Promise.all(
    chunkRuns(runs, tag).map((chunk) =>
      getJson<PrCurvesWire>("data/plugin/pr_curves/pr_curves", { tag, run: chunk }, signal),
    ),
  );
  return decodePrCurves(Object.assign({}, ...answers) as PrCurvesWire);
}
