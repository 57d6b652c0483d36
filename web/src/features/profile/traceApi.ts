/**
 * The trace viewer's reads: binary level-of-detail windows (`/trace/window`, viewed as typed
 * arrays without parsing), one span with its flow arrows, a range summary and search. The
 * server holds the trace; the browser only ever holds a screenful (docs/http-api.md).
 */
import { getBytes, getJson } from "../../api/client";
import type { ProfileKey } from "../../api/profile";

const BASE = "data/plugin/profile";
export const WINDOW_MEDIA_TYPE = "application/vnd.heron.trace-window";

export interface TrackInfo {
  pid: string;
  tid: string;
  process: string;
  thread: string;
  /** Nesting levels of the whole trace on this track: rows stay put while panning. */
  depths: number;
}

/** One window's blocks as columns: block `i` is `start[i]`, `duration[i]`, ... */
export interface WindowColumns {
  start: number;
  end: number;
  extent: number;
  pixelUs: number;
  spans: number;
  tracks: TrackInfo[];
  names: string[];
  count: number;
  blockStart: Float64Array;
  blockDuration: Float64Array;
  track: Int32Array;
  depth: Int32Array;
  /** Into `names`; -1: a merged block of several names. */
  name: Int32Array;
  /** How many spans the block holds (1: a real span). */
  spanCount: Int32Array;
  /** The span's id for `fetchSpan`, -1 for a merged block. */
  span: Int32Array;
  /** Instant markers: time, thread track (-1: global, drawn on the ruler), name (-1: several),
   * how many instants merged, and the instant's id for `fetchInstant` (-1 when merged). */
  instants: { count: number; time: Float64Array; track: Int32Array; name: Int32Array; merged: Int32Array; id: Int32Array };
  /** Counter tracks (one per process, counter and series) and their points (the pixel's
   * largest value), each drawn as a filled step area. */
  counterTracks: CounterTrack[];
  counters: { count: number; time: Float64Array; value: Float64Array; track: Int32Array };
  /** Every process with threads or counters, in display order: a block of rows each. */
  processes: ProcessInfo[];
}

export interface ProcessInfo {
  pid: string;
  name: string;
}

export interface CounterTrack {
  pid: string;
  process: string;
  name: string;
  series: string;
  min: number;
  max: number;
}

interface WindowHeader {
  start: number;
  end: number;
  extent: number;
  pixel_us: number;
  count: number;
  spans: number;
  tracks: TrackInfo[];
  names: string[];
  instants?: number;
  counter_points?: number;
  counter_tracks?: CounterTrack[];
  processes?: ProcessInfo[];
}

/** Processes in order of first appearance (threads, then counters): for an older server's
 * windows, whose header does not list them. */
export function processesOf(tracks: readonly TrackInfo[], counters: readonly CounterTrack[]): ProcessInfo[] {
  const seen = new Map<string, string>();
  for (const t of tracks) if (!seen.has(t.pid)) seen.set(t.pid, t.process);
  for (const c of counters) if (!seen.has(c.pid)) seen.set(c.pid, c.process);
  return [...seen].map(([pid, name]) => ({ pid, name }));
}

/** Decode an `HTW1` body: magic, header length, JSON header padded to 8, seven span columns,
 * then (padded to 8 each) the instant and counter sections; older bodies have neither. */
export function decodeWindow(buffer: ArrayBuffer): WindowColumns {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== "HTW1") throw new Error(`not a trace window (magic ${JSON.stringify(magic)})`);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength))) as WindowHeader;
  let n = header.count;
  let offset = 8 + headerLength;
  // Views of no element are made apart: an older body ends before the (absent) sections.
  const f64 = (): Float64Array => {
    const out = n === 0 ? new Float64Array(0) : new Float64Array(buffer, offset, n);
    offset += 8 * n;
    return out;
  };
  const i32 = (): Int32Array => {
    const out = n === 0 ? new Int32Array(0) : new Int32Array(buffer, offset, n);
    offset += 4 * n;
    return out;
  };
  const align = (): void => {
    offset += (8 - (offset % 8)) % 8;
  };
  const blockStart = f64();
  const blockDuration = f64();
  const track = i32();
  const depth = i32();
  const name = i32();
  const spanCount = i32();
  const span = i32();
  align();
  n = header.instants ?? 0;
  const instants = { count: n, time: f64(), track: i32(), name: i32(), merged: i32(), id: i32() };
  align();
  n = header.counter_points ?? 0;
  const counters = { count: n, time: f64(), value: f64(), track: i32() };
  return {
    start: header.start,
    end: header.end,
    extent: header.extent,
    pixelUs: header.pixel_us,
    spans: header.spans,
    tracks: header.tracks,
    names: header.names,
    count: header.count,
    blockStart,
    blockDuration,
    track,
    depth,
    name,
    spanCount,
    span,
    instants,
    counterTracks: header.counter_tracks ?? [],
    counters,
    processes: header.processes ?? processesOf(header.tracks, header.counter_tracks ?? []),
  };
}

const keyParams = (key: ProfileKey): Record<string, string | undefined> => ({
  run: key.run,
  session: key.session,
  host: key.host,
  format: key.format,
});

export async function fetchWindow(
  key: ProfileKey,
  window: { start: number; end: number } | null,
  width: number,
  signal?: AbortSignal,
): Promise<WindowColumns> {
  const range = window === null ? {} : { start: window.start, end: window.end };
  const params = { ...keyParams(key), ...range, width: Math.max(1, Math.round(width)) };
  return decodeWindow(await getBytes(`${BASE}/trace/window`, params, signal, WINDOW_MEDIA_TYPE));
}

export interface SpanBrief {
  id: number;
  track: number;
  depth: number;
  start: number;
  duration: number;
  name: string;
}

export interface SpanDetails extends SpanBrief {
  category: string;
  self: number;
  args: Record<string, unknown>;
  flows: { id: string; from: SpanBrief; to: SpanBrief }[];
}

export function fetchSpan(key: ProfileKey, id: number, signal?: AbortSignal): Promise<SpanDetails> {
  return getJson<SpanDetails>(`${BASE}/trace/event`, { ...keyParams(key), id }, signal);
}

export interface InstantDetails {
  id: number;
  track: number;
  time: number;
  name: string;
  args: Record<string, unknown>;
}

export function fetchInstant(key: ProfileKey, id: number, signal?: AbortSignal): Promise<InstantDetails> {
  return getJson<InstantDetails>(`${BASE}/trace/event`, { ...keyParams(key), instant: id }, signal);
}

export interface RangeSummary {
  start: number;
  end: number;
  spans: number;
  names: number;
  ops: { name: string; count: number; total_us: number; self_us: number }[];
  /** Per counter series with a value in the range: samples inside it and the value's min,
   * max and time-weighted mean there (absent from older servers). */
  counters?: CounterRange[];
}

export interface CounterRange {
  track: number;
  pid: string;
  process: string;
  name: string;
  series: string;
  samples: number;
  min: number;
  max: number;
  mean: number;
}

/** Which rows a range covers: thread tracks and counter tracks (null: all; []: none). */
export interface RangeRows {
  tracks: number[] | null;
  counters: number[] | null;
}

export function fetchSummary(
  key: ProfileKey,
  range: { start: number; end: number } & RangeRows,
  signal?: AbortSignal,
): Promise<RangeSummary> {
  const tracks = range.tracks === null ? undefined : range.tracks.join(",");
  const counters = range.counters === null ? undefined : range.counters.join(",");
  return getJson<RangeSummary>(`${BASE}/trace/summary`, { ...keyParams(key), start: range.start, end: range.end, tracks, counters }, signal);
}

export interface SearchAnswer {
  total: number;
  match: SpanBrief | null;
}

export function fetchSearch(
  key: ProfileKey,
  query: string,
  from: { after: number } | { before: number },
  signal?: AbortSignal,
): Promise<SearchAnswer> {
  return getJson<SearchAnswer>(`${BASE}/trace/search`, { ...keyParams(key), q: query, ...from }, signal);
}
