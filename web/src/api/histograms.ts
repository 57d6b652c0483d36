/**
 * Histogram and distribution reads (TensorBoard's `/data/plugin/histograms|distributions` routes,
 * docs/http-api.md). Wire shapes stay in this file; callers get plain view values with step and
 * wall time named, so nothing outside api/ indexes into wire tuples.
 */
import { getJson } from "./client";
import { decodeFloat } from "./endpoints";
import type { WireFloat } from "./types";

/** `{run: {tag: {displayName, description}}}`, the same for both plugins. */
type HistogramTagsWire = Record<string, Record<string, { displayName: string; description: string }>>;
/** `[wall_time, step, [[left, right, count], ...]]` per step, sorted by step. */
type HistogramsWire = [number, number, [WireFloat, WireFloat, WireFloat][]][];
/** `[wall_time, step, [[basis_point, value] x 9]]` per step, sorted by step. */
type DistributionsWire = [number, number, [number, WireFloat][]][];

export type HistogramPlugin = "histograms" | "distributions";

/** One bucket: values in [left, right) were counted `count` times (the last bucket is closed). */
export type Bucket = readonly [left: number, right: number, count: number];

export interface HistogramStep {
  step: number;
  wallTime: number;
  buckets: readonly Bucket[];
}

export interface DistributionStep {
  step: number;
  wallTime: number;
  /** The values at the nine basis points, lowest (0 = min) to highest (10000 = max). */
  values: readonly number[];
}

/** run → tags that plugin has for it. */
export async function fetchHistogramTags(
  plugin: HistogramPlugin,
  signal?: AbortSignal,
): Promise<Map<string, string[]>> {
  const wire = await getJson<HistogramTagsWire>(`data/plugin/${plugin}/tags`, {}, signal);
  return new Map(Object.entries(wire).map(([run, tags]) => [run, Object.keys(tags)]));
}

export async function fetchHistograms(
  run: string,
  tag: string,
  maxPoints: number | undefined,
  signal?: AbortSignal,
): Promise<HistogramStep[]> {
  const wire = await getJson<HistogramsWire>(
    "data/plugin/histograms/histograms",
    { run, tag, max_points: maxPoints },
    signal,
  );
  return wire.map(([wallTime, step, buckets]) => ({
    step,
    wallTime,
    buckets: buckets.map(([l, r, c]) => [decodeFloat(l), decodeFloat(r), decodeFloat(c)] as const),
  }));
}

export async function fetchDistributions(
  run: string,
  tag: string,
  maxPoints: number | undefined,
  signal?: AbortSignal,
): Promise<DistributionStep[]> {
  const wire = await getJson<DistributionsWire>(
    "data/plugin/distributions/distributions",
    { run, tag, max_points: maxPoints },
    signal,
  );
  return wire.map(([wallTime, step, points]) => ({
    step,
    wallTime,
    values: [...points].sort((a, b) => a[0] - b[0]).map(([, v]) => decodeFloat(v)),
  }));
}
