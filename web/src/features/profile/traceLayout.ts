/**
 * The trace viewer's pure geometry: a block per process (a header, its counter tracks, then a
 * row per (thread, nesting depth)), laid out from the whole trace's processes, counters and
 * depths — never from a window's contents — so rows stay put while panning and zooming; time ↔
 * pixel, zoom around a point, pan, hit-testing a click against a window's blocks, a drag's
 * range and rows, ruler ticks and flow-arrow endpoints. Kept apart from the canvas so it is
 * unit-tested.
 */
import { processesOf, type CounterTrack, type ProcessInfo, type RangeRows, type SpanBrief, type TrackInfo, type WindowColumns } from "./traceApi";

export const ROW_HEIGHT = 16;
export const TRACK_GAP = 8;
export const LABEL_WIDTH = 200;
/** The time ruler above the first track. */
export const AXIS_HEIGHT = 22;
/** A counter track's height (its filled area), under its process's header. */
export const COUNTER_HEIGHT = 32;
/** A process's header row, above its counters and threads. */
export const PROCESS_HEIGHT = 20;
/** The narrowest window (µs) zooming in may reach. */
export const MIN_SPAN_US = 0.01;

export interface Layout {
  /** y of each track's first row (tracks in server order). */
  trackY: number[];
  depths: number[];
  /** y of each counter track (server order: by process, counter, series). */
  counterY: number[];
  /** A block per process in display order: its header's y and what it holds. */
  processes: ProcessBlock[];
  height: number;
}

export interface ProcessBlock extends ProcessInfo {
  /** Top of the header row. */
  y: number;
  /** Bottom of the block's last row (the next block starts a gap below). */
  bottom: number;
  tracks: number[];
  counters: number[];
}

export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * Blocks in `processes` order (the server's; derived from the tracks and counters without
 * it): a header, the process's counter tracks, then its threads, each in server order, as
 * Perfetto and Chrome's trace viewer show them. Only whole-trace lists go in, so the layout of
 * every window of a trace is the same.
 */
export function layoutTracks(
  tracks: readonly TrackInfo[],
  counters: readonly CounterTrack[] = [],
  processes: readonly ProcessInfo[] = processesOf(tracks, counters),
): Layout {
  const order = [...processes, ...processesOf(tracks, counters).filter((p) => !processes.some((q) => q.pid === p.pid))];
  const blocks: ProcessBlock[] = order.map((p) => ({ ...p, y: 0, bottom: 0, tracks: [], counters: [] }));
  const byPid = new Map(blocks.map((b) => [b.pid, b]));
  tracks.forEach((t, i) => byPid.get(t.pid)?.tracks.push(i));
  counters.forEach((c, i) => byPid.get(c.pid)?.counters.push(i));
  const trackY: number[] = new Array<number>(tracks.length).fill(0);
  const depths: number[] = tracks.map((t) => Math.max(1, t.depths));
  const counterY: number[] = new Array<number>(counters.length).fill(0);
  const pad = TRACK_GAP / 2;
  let y = AXIS_HEIGHT;
  const shown = blocks.filter((b) => b.tracks.length + b.counters.length > 0);
  for (const block of shown) {
    block.y = y;
    y += PROCESS_HEIGHT;
    for (const c of block.counters) {
      counterY[c] = y;
      y += COUNTER_HEIGHT;
    }
    // A thread's rows get half a gap above and below: its separator sits between them.
    for (const t of block.tracks) {
      trackY[t] = y + pad;
      y += pad + (depths[t] as number) * ROW_HEIGHT + pad;
    }
    block.bottom = y;
    y += pad;
  }
  return { trackY, depths, counterY, processes: shown, height: y };
}

export function rowY(layout: Layout, track: number, depth: number): number | undefined {
  const top = layout.trackY[track];
  return top === undefined ? undefined : top + depth * ROW_HEIGHT;
}

export function timeToX(t: number, view: TimeWindow, width: number): number {
  return LABEL_WIDTH + ((t - view.start) / (view.end - view.start)) * (width - LABEL_WIDTH);
}

export function xToTime(x: number, view: TimeWindow, width: number): number {
  return view.start + ((x - LABEL_WIDTH) / (width - LABEL_WIDTH)) * (view.end - view.start);
}

function clamp(view: TimeWindow, extent: number): TimeWindow {
  const span = Math.min(extent, view.end - view.start);
  if (view.start < 0) return { start: 0, end: span };
  if (view.end > extent) return { start: Math.max(0, extent - span), end: extent };
  return view;
}

/** Whether a held window can draw `view` at its detail (else a new window is fetched): it
 * holds the view and its pixel is neither much coarser nor much finer than the view's. */
export function covers(data: Pick<WindowColumns, "start" | "end" | "pixelUs"> | null, view: TimeWindow, plotWidth: number): boolean {
  if (data === null) return false;
  const pixel = (view.end - view.start) / plotWidth;
  const inside = view.start >= data.start - 1e-9 && view.end <= data.end + 1e-9;
  return inside && data.pixelUs <= pixel * 1.3 && data.pixelUs >= pixel / 3;
}

/** Zoom by `factor` (< 1 zooms in) keeping time `at` at the same pixel, inside [0, extent]. */
export function zoom(view: TimeWindow, factor: number, at: number, extent: number): TimeWindow {
  const old = view.end - view.start;
  const span = Math.min(extent, Math.max(MIN_SPAN_US, old * factor));
  const ratio = old > 0 ? (at - view.start) / old : 0.5;
  const start = at - ratio * span;
  return clamp({ start, end: start + span }, extent);
}

/** Pan by `fraction` of the visible span (negative: earlier). */
export function pan(view: TimeWindow, fraction: number, extent: number): TimeWindow {
  const shift = (view.end - view.start) * fraction;
  return clamp({ start: view.start + shift, end: view.end + shift }, extent);
}

/** The (track, depth) row under y, if any. */
export function rowAt(layout: Layout, y: number): { track: number; depth: number } | null {
  for (let track = 0; track < layout.trackY.length; track++) {
    const top = layout.trackY[track] as number;
    const rows = layout.depths[track] as number;
    if (y >= top && y < top + rows * ROW_HEIGHT) return { track, depth: Math.floor((y - top) / ROW_HEIGHT) };
  }
  return null;
}

/** Index of the block drawn under (x, y), or -1 (blocks narrower than 3 px are hit within 3 px). */
export function hitTest(data: WindowColumns, layout: Layout, view: TimeWindow, width: number, x: number, y: number): number {
  const row = rowAt(layout, y);
  if (row === null || x < LABEL_WIDTH) return -1;
  let best = -1;
  for (let i = 0; i < data.count; i++) {
    if (data.track[i] !== row.track || data.depth[i] !== row.depth) continue;
    const start = data.blockStart[i] as number;
    const x0 = timeToX(start, view, width);
    const x1 = Math.max(x0 + 3, timeToX(start + (data.blockDuration[i] as number), view, width));
    if (x >= x0 && x <= x1 && (best < 0 || (data.blockDuration[i] as number) < (data.blockDuration[best] as number))) best = i;
  }
  return best;
}

/** The time range of a horizontal drag between x0 and x1 (either order), inside the view. */
export function dragRange(view: TimeWindow, width: number, x0: number, x1: number): TimeWindow {
  const a = xToTime(Math.max(LABEL_WIDTH, Math.min(x0, x1)), view, width);
  const b = xToTime(Math.min(width, Math.max(x0, x1)), view, width);
  return { start: Math.max(view.start, a), end: Math.min(view.end, b) };
}

/**
 * The thread and counter tracks a vertical drag between y0 and y1 touches; a process header it
 * touches brings the whole process. Touching every row, or none (a drag in the gaps), means
 * everything: both null.
 */
export function dragRows(layout: Layout, y0: number, y1: number): RangeRows {
  const top = Math.min(y0, y1);
  const bottom = Math.max(y0, y1);
  const hits = (a: number, height: number): boolean => a + height > top && a < bottom;
  const tracks = new Set<number>();
  const counters = new Set<number>();
  layout.trackY.forEach((y, t) => hits(y, (layout.depths[t] as number) * ROW_HEIGHT) && tracks.add(t));
  layout.counterY.forEach((y, c) => hits(y, COUNTER_HEIGHT) && counters.add(c));
  for (const block of layout.processes) {
    if (!hits(block.y, PROCESS_HEIGHT)) continue;
    block.tracks.forEach((t) => tracks.add(t));
    block.counters.forEach((c) => counters.add(c));
  }
  const none = tracks.size + counters.size === 0;
  const all = tracks.size === layout.trackY.length && counters.size === layout.counterY.length;
  if (none || all) return { tracks: null, counters: null };
  const sorted = (set: Set<number>): number[] => [...set].sort((a, b) => a - b);
  return { tracks: sorted(tracks), counters: sorted(counters) };
}

/**
 * The vertical bands a range covers, merged where rows touch (top to bottom): every row below
 * the ruler for all rows (null), else the chosen threads (with their padding) and counters.
 */
export function rangeBands(layout: Layout, rows: RangeRows): [top: number, bottom: number][] {
  if (rows.tracks === null && rows.counters === null) return [[AXIS_HEIGHT, layout.height]];
  const pad = TRACK_GAP / 2;
  const bands: [number, number][] = [];
  for (const t of rows.tracks ?? []) {
    const y = layout.trackY[t];
    if (y !== undefined) bands.push([y - pad, y + (layout.depths[t] as number) * ROW_HEIGHT + pad]);
  }
  for (const c of rows.counters ?? []) {
    const y = layout.counterY[c];
    if (y !== undefined) bands.push([y, y + COUNTER_HEIGHT]);
  }
  bands.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const band of bands) {
    const last = merged[merged.length - 1];
    if (last !== undefined && band[0] <= last[1] + 0.5) last[1] = Math.max(last[1], band[1]);
    else merged.push([band[0], band[1]]);
  }
  return merged;
}

/** Ruler ticks: a 1-2-5 step giving roughly one tick per `spacing` pixels. */
export function ticks(view: TimeWindow, width: number, spacing = 110): number[] {
  const span = view.end - view.start;
  if (!(span > 0)) return [];
  const raw = (span * spacing) / Math.max(1, width - LABEL_WIDTH);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end && out.length < 200; t += step) out.push(t);
  return out;
}

/** Where a flow arrow starts and ends: from its source span's start to its target's start. */
export function arrowEnds(
  from: SpanBrief,
  to: SpanBrief,
  layout: Layout,
  view: TimeWindow,
  width: number,
): { x0: number; y0: number; x1: number; y1: number } | null {
  const y0 = rowY(layout, from.track, from.depth);
  const y1 = rowY(layout, to.track, to.depth);
  if (y0 === undefined || y1 === undefined) return null;
  return {
    x0: timeToX(from.start, view, width),
    y0: y0 + ROW_HEIGHT / 2,
    x1: timeToX(to.start, view, width),
    y1: y1 + ROW_HEIGHT / 2,
  };
}

/** The view that shows a span: centred on it, zoomed out if it does not fit in 80 % of the view. */
export function reveal(view: TimeWindow, span: { start: number; duration: number }, extent: number): TimeWindow {
  const width = Math.max(view.end - view.start, span.duration / 0.8, MIN_SPAN_US);
  const center = span.start + span.duration / 2;
  return clamp({ start: center - width / 2, end: center + width / 2 }, extent);
}

/** A tick's label: the unit of `magnitude` (the view's end, so one ruler keeps one unit) and as
 * many decimals as the tick step needs. */
export function formatTick(t: number, step: number, magnitude = t): string {
  const size = Math.max(Math.abs(magnitude), step);
  const scale = size >= 1e6 ? 1e6 : size >= 1e3 ? 1e3 : 1;
  const unit = scale === 1e6 ? "s" : scale === 1e3 ? "ms" : "µs";
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step / scale) + 1e-9)));
  return `${(t / scale).toFixed(decimals)} ${unit}`;
}
