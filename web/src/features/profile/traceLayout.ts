/**
 * The trace viewer's pure geometry: a row per (track, nesting depth) laid out from the whole
 * trace's depths (so rows stay put while panning), time ↔ pixel, zoom around a point, pan,
 * hit-testing a click against a window's blocks, a drag's range and tracks, ruler ticks and
 * flow-arrow endpoints. Kept apart from the canvas so it is unit-tested.
 */
import type { CounterTrack, SpanBrief, TrackInfo, WindowColumns } from "./traceApi";

export const ROW_HEIGHT = 16;
export const TRACK_GAP = 8;
export const LABEL_WIDTH = 200;
/** The time ruler above the first track. */
export const AXIS_HEIGHT = 22;
/** A counter track's height (its filled area), above the threads. */
export const COUNTER_HEIGHT = 32;
/** The narrowest window (µs) zooming in may reach. */
export const MIN_SPAN_US = 0.01;

export interface Layout {
  /** y of each track's first row (tracks in server order). */
  trackY: number[];
  depths: number[];
  /** y of each counter track (server order: by process, counter, series). */
  counterY: number[];
  height: number;
}

export interface TimeWindow {
  start: number;
  end: number;
}

export function layoutTracks(tracks: readonly TrackInfo[], counters: readonly CounterTrack[] = []): Layout {
  const trackY: number[] = [];
  const depths: number[] = [];
  const counterY: number[] = [];
  let y = AXIS_HEIGHT;
  for (let c = 0; c < counters.length; c++) {
    counterY.push(y);
    y += COUNTER_HEIGHT;
  }
  if (counters.length > 0) y += TRACK_GAP;
  for (const track of tracks) {
    trackY.push(y);
    const rows = Math.max(1, track.depths);
    depths.push(rows);
    y += rows * ROW_HEIGHT + TRACK_GAP;
  }
  return { trackY, depths, counterY, height: y };
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

/** Tracks whose rows a vertical drag between y0 and y1 touches (all tracks: null). */
export function dragTracks(layout: Layout, y0: number, y1: number): number[] | null {
  const top = Math.min(y0, y1);
  const bottom = Math.max(y0, y1);
  const touched: number[] = [];
  for (let track = 0; track < layout.trackY.length; track++) {
    const a = layout.trackY[track] as number;
    const b = a + (layout.depths[track] as number) * ROW_HEIGHT;
    if (b > top && a < bottom) touched.push(track);
  }
  return touched.length === 0 || touched.length === layout.trackY.length ? null : touched;
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
