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
  environment: ProfileEnvironment;
}

export interface MemoryDevice {
  device: string;
  times_us: number[];
  allocated_bytes: number[];
  reserved_bytes: number[];
  peak: { time_us: number; bytes: number };
}

export interface TraceTrack {
  pid: string;
  tid: string;
  process: string;
  thread: string;
}

export interface TraceEvent {
  track: number;
  depth: number;
  start: number;
  duration: number;
  /** Index into `TraceWindow.names`. */
  name: number;
  /** More than 1: this many spans shorter than a pixel, merged. */
  count: number;
  category?: string;
  args?: Record<string, unknown>;
}

export interface TraceWindow {
  start: number;
  end: number;
  extent: number;
  pixel_us: number;
  tracks: TraceTrack[];
  names: string[];
  events: TraceEvent[];
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

export async function fetchMemory(key: ProfileKey, signal?: AbortSignal): Promise<MemoryDevice[]> {
  return (await getJson<{ devices: MemoryDevice[] }>(`${BASE}/memory`, keyParams(key), signal)).devices;
}

export function fetchTraceWindow(
  key: ProfileKey,
  window: { start: number; end: number; width: number } | null,
  signal?: AbortSignal,
): Promise<TraceWindow> {
  const params = window === null ? { width: 1000 } : { start: window.start, end: window.end, width: Math.max(1, Math.round(window.width)) };
  return getJson<TraceWindow>(`${BASE}/trace`, { ...keyParams(key), ...params }, signal);
}
