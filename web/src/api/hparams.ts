/**
 * The hparams plugin's experiment (TensorBoard's `/data/plugin/hparams/experiment`): the declared
 * (or, without an experiment summary, inferred) hparams with their types and domains, and the
 * metrics as (group, tag). Per-run values come from `/api/v1/runs` (api/runs.ts), which pages
 * and scales; the experiment is one small answer whatever the number of sessions.
 */
import { getJson } from "./client";

export type HParamType = "number" | "string" | "boolean" | "unknown";

export interface ExperimentHParam {
  name: string;
  displayName: string;
  type: HParamType;
  /** Declared discrete values (`domainDiscrete`), else null. */
  domainDiscrete: readonly (number | string | boolean)[] | null;
  /** Declared interval (`domainInterval`), else null. */
  domainInterval: { min: number; max: number } | null;
}

export interface ExperimentMetric {
  tag: string;
  /** The run below the session that holds the scalar ("" for the session run itself). */
  group: string;
  displayName: string;
}

export interface Experiment {
  hparams: ExperimentHParam[];
  metrics: ExperimentMetric[];
}

interface WireHParamInfo {
  name: string;
  displayName?: string;
  type?: string;
  domainDiscrete?: unknown[];
  domainInterval?: { minValue?: number | string; maxValue?: number | string };
}

interface WireExperiment {
  hparamInfos?: WireHParamInfo[];
  metricInfos?: { name?: { tag?: string; group?: string }; displayName?: string }[];
}

const TYPES: Record<string, HParamType> = {
  DATA_TYPE_FLOAT64: "number",
  DATA_TYPE_STRING: "string",
  DATA_TYPE_BOOL: "boolean",
};

/** proto3 JSON writes non-finite doubles as strings ("Infinity"). */
function toNumber(value: number | string | undefined): number {
  return typeof value === "number" ? value : Number(value ?? NaN);
}

export function parseExperiment(wire: WireExperiment): Experiment {
  const hparams = (wire.hparamInfos ?? []).map((h): ExperimentHParam => {
    const discrete = (h.domainDiscrete ?? []).filter(
      (v): v is number | string | boolean => typeof v === "number" || typeof v === "string" || typeof v === "boolean",
    );
    const interval = h.domainInterval;
    return {
      name: h.name,
      displayName: h.displayName ?? "",
      type: TYPES[h.type ?? ""] ?? "unknown",
      domainDiscrete: h.domainDiscrete ? discrete : null,
      domainInterval: interval ? { min: toNumber(interval.minValue), max: toNumber(interval.maxValue) } : null,
    };
  });
  const metrics = (wire.metricInfos ?? [])
    .filter((m) => m.name?.tag)
    .map((m): ExperimentMetric => ({ tag: m.name?.tag ?? "", group: m.name?.group ?? "", displayName: m.displayName ?? "" }));
  return { hparams, metrics };
}

export async function fetchExperiment(signal?: AbortSignal): Promise<Experiment> {
  const request = JSON.stringify({ experimentName: "", includeMetrics: true });
  return parseExperiment(await getJson<WireExperiment>("data/plugin/hparams/experiment", { request }, signal));
}
