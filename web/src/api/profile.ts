/**
 * Profiler reads (Heron's `/data/plugin/profile` routes, docs/http-api.md): sessions per run, the
 * overview of one trace, its op table, memory series and a level-of-detail window of its spans.
 * Times on the wire are microseconds from the trace's earliest event.
 */
import { getJson } from "./client";

export interface ProfileHost {
  host: string;
  format: "trace_json" | "xplane";
  readable: boolean;
  size: number;
}

export interface ProfileSession {
  session: string;
  hosts: ProfileHost[];
}

export interface ProfileRun {
  run: string;
  sessions: ProfileSession[];
}

/** What a request names: one host's file of one session of one run. */
export interface ProfileKey {
  run: string;
  session: string;
  host?: string | undefined;
  /** Which of the host's files; the server's choice (trace-event first) when absent. */
  format?: "trace_json" | "xplane" | undefined;
}

export type BreakdownCategory = "input" | "compute" | "optimizer" | "other";

export interface ProfileStep {
  step: number;
  name: string;
  start_us: number;
  duration_us: number;
  parts_us: Record<BreakdownCategory, number>;
}

export interface OpRow {
  name: string;
  category: string;
  device: "host" | "device";
  calls: number;
  self_us: number;
  total_us: number;
  self_percent: number;
  /** Self time inside steps as a share of all step time; null without steps. */
  step_percent: number | null;
}

/** One GPU kernel name: calls, durations (µs), share of device time, launch shape when known. */
export interface KernelRow {
  name: string;
  calls: number;
  total_us: number;
  mean_us: number;
  min_us: number;
  max_us: number;
  device_percent: number;
  grid: string | null;
  block: string | null;
  registers: number | null;
  occupancy: number | null;
  /** The host op around the kernel's launch (most frequent), when correlation ids join them. */
  launched_by: string | null;
}

/** A slice of an op-type pie: an op name (or "other") and its self time. */
export interface OpTypeSlice {
  name: string;
  self_us: number;
  percent: number;
}

export interface OpStats {
  ops: OpRow[];
  total_self_us: number;
  host_device: { host_us: number; device_us: number };
  op_types: { host: OpTypeSlice[]; device: OpTypeSlice[] };
  kernels: KernelRow[];
  device_total_us: number;
}

export interface InputPipeline {
  steps: { step: number; duration_us: number; wait_us: number; percent: number }[];
  wait_us: number;
  step_us: number;
  percent: number;
  kind: "input_bound" | "not_input_bound" | "no_input_events" | "no_steps";
  verdict: string;
}

export interface Recommendation {
  kind: string;
  text: string;
  percent?: number;
}

export interface ProfileEnvironment {
  host_name: string | null;
  devices: Record<string, unknown>[];
  distributed: unknown;
  schema_version: number | null;
  record_shapes: boolean;
  profile_memory: boolean;
  processes: string[];
  threads: number;
  spans: number;
  duration_us: number;
  skipped_events: number;
}

export interface ProfileOverview {
  steps: ProfileStep[];
  breakdown: Record<BreakdownCategory, { time_us: number; percent: number }>;
  average_step_us: number | null;
  top_ops: OpRow[];
  recommendations: Recommendation[];
  input_pipeline: InputPipeline;
  environment: ProfileEnvironment;
}

export interface MemoryDevice {
  device: string;
  times_us: number[];
  allocated_bytes: number[];
  reserved_bytes: number[];
  peak: { time_us: number; bytes: number };
  /** Allocations live at the peak (largest first, at most 200 listed of `count`). */
  peak_live: {
    allocations: { address: string; bytes: number; time_us: number; op: string | null }[];
    count: number;
    live_bytes: number;
    unattributed_bytes: number;
  };
}

const BASE = "data/plugin/profile";

export function fetchProfileRuns(signal?: AbortSignal): Promise<ProfileRun[]> {
  return getJson<ProfileRun[]>(`${BASE}/runs`, {}, signal);
}

const keyParams = (key: ProfileKey): Record<string, string | undefined> => ({
  run: key.run,
  session: key.session,
  host: key.host,
  format: key.format,
});

export function fetchOverview(key: ProfileKey, signal?: AbortSignal): Promise<ProfileOverview> {
  return getJson<ProfileOverview>(`${BASE}/overview`, keyParams(key), signal);
}

export async function fetchOps(key: ProfileKey, signal?: AbortSignal): Promise<OpRow[]> {
  return (await getJson<{ ops: OpRow[] }>(`${BASE}/ops`, keyParams(key), signal)).ops;
}

export function fetchOpStats(key: ProfileKey, signal?: AbortSignal): Promise<OpStats> {
  return getJson<OpStats>(`${BASE}/ops`, keyParams(key), signal);
}

export async function fetchMemory(key: ProfileKey, signal?: AbortSignal): Promise<MemoryDevice[]> {
  return (await getJson<{ devices: MemoryDevice[] }>(`${BASE}/memory`, keyParams(key), signal)).devices;
}
