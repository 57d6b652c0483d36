/**
 * The trace viewer's pure geometry: rows per (track, depth), time ↔ pixel, zoom and pan of the
 * visible window, and hit-testing a click. Kept apart from the canvas so it is unit-tested.
 */
import type { TraceEvent, TraceWindow } from "../../api/profile";

export const ROW_HEIGHT = 18;
export const TRACK_GAP = 8;
export const LABEL_WIDTH = 200;

export interface Row {
  track: number;
  depth: number;
  y: number;
}

export interface Layout {
  rows: Row[];
  /** y of (track, depth), by `${track}:${depth}`. */
  rowY: Map<string, number>;
  /** First row's y of each track (for its label). */
  trackY: Map<number, number>;
  height: number;
}

export interface TimeWindow {
  start: number;
  end: number;
}

/** One row per nesting depth of each track that has events in the window, tracks in server order. */
export function layoutRows(data: TraceWindow): Layout {
  const depths = new Map<number, number>();
  for (const e of data.events) depths.set(e.track, Math.max(depths.get(e.track) ?? 0, e.depth));
  const rows: Row[] = [];
  const rowY = new Map<string, number>();
  const trackY = new Map<number, number>();
  let y = 0;
  for (let track = 0; track < data.tracks.length; track++) {
    const deepest = depths.get(track);
    if (deepest === undefined) continue;
    trackY.set(track, y);
    for (let depth = 0; depth <= deepest; depth++) {
      rows.push({ track, depth, y });
      rowY.set(`${track}:${depth}`, y);
      y += ROW_HEIGHT;
    }
    y += TRACK_GAP;
  }
  return { rows, rowY, trackY, height: y };
}

export function timeToX(t: number, view: TimeWindow, width: number): number {
  return LABEL_WIDTH + ((t - view.start) / (view.end - view.start)) * (width - LABEL_WIDTH);
}

/** Zoom by `factor` (< 1 zooms in) around time `at`, kept inside [0, extent]. */
export function zoom(view: TimeWindow, factor: number, at: number, extent: number): TimeWindow {
  const minSpan = 0.01;
  const span = Math.min(extent, Math.max(minSpan, (view.end - view.start) * factor));
  const ratio = (at - view.start) / (view.end - view.start);
  const start = at - ratio * span;
  return clamp({ start, end: start + span }, extent);
}

/** Pan by `fraction` of the visible span (negative: earlier). */
export function pan(view: TimeWindow, fraction: number, extent: number): TimeWindow {
  const shift = (view.end - view.start) * fraction;
  return clamp({ start: view.start + shift, end: view.end + shift }, extent);
}

function clamp(view: TimeWindow, extent: number): TimeWindow {
  const span = view.end - view.start;
  if (view.start < 0) return { start: 0, end: Math.min(extent, span) };
  if (view.end > extent) return { start: Math.max(0, extent - span), end: extent };
  return view;
}

/** The event drawn under (x, y), if any (events narrower than 3 px are hit within 3 px). */
export function hitTest(data: TraceWindow, layout: Layout, view: TimeWindow, width: number, x: number, y: number): TraceEvent | null {
  let best: TraceEvent | null = null;
  for (const e of data.events) {
    const rowY = layout.rowY.get(`${e.track}:${e.depth}`);
    if (rowY === undefined || y < rowY || y >= rowY + ROW_HEIGHT) continue;
    const x0 = timeToX(e.start, view, width);
    const x1 = Math.max(x0 + 3, timeToX(e.start + e.duration, view, width));
    if (x >= x0 && x <= x1 && (best === null || e.duration < best.duration)) best = e;
  }
  return best;
}
