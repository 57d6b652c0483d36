/**
 * Geometry of the trace viewer's instants and counters, apart from the canvas so it is
 * unit-tested: a counter's filled step area (a value holds until the next sample, as Chrome's
 * trace viewer draws it), which counter value or instant marker a click lands on.
 *
 * Instants of a thread are small triangles in the top of its first row; global instants sit on
 * the time ruler. Counter tracks are laid out above the threads (traceLayout.ts).
 */
import type { WindowColumns } from "./traceApi";
import { AXIS_HEIGHT, COUNTER_HEIGHT, LABEL_WIDTH, timeToX, xToTime, type Layout, type TimeWindow } from "./traceLayout";

/** An instant marker's size: a triangle this tall and twice as wide (and its hit box). */
export const MARKER_SIZE = 6;

/** The vertices of counter track `c`'s area outline, from its baseline at the first point to
 * its baseline at the last x (the value holds until `until`, the trace's end). */
export function counterOutline(
  data: WindowColumns,
  c: number,
  layout: Layout,
  view: TimeWindow,
  width: number,
  until: number,
): [number, number][] {
  const info = data.counterTracks[c];
  const top = layout.counterY[c];
  if (info === undefined || top === undefined) return [];
  const low = Math.min(0, info.min);
  const range = info.max - low || 1;
  const inner = COUNTER_HEIGHT - 6;
  const base = top + inner + 2;
  const y = (v: number): number => base - ((v - low) / range) * inner;
  const clampX = (x: number): number => Math.min(width, Math.max(LABEL_WIDTH, x));
  const points: [number, number][] = [];
  const { time, value, track, count } = data.counters;
  let previous: number | null = null;
  for (let i = 0; i < count; i++) {
    if (track[i] !== c) continue;
    const x = clampX(timeToX(time[i] as number, view, width));
    if (previous === null) points.push([x, base]);
    else points.push([x, y(previous)]);
    previous = value[i] as number;
    points.push([x, y(previous)]);
  }
  if (previous === null) return [];
  const end = clampX(timeToX(until, view, width));
  points.push([end, y(previous)], [end, base]);
  return points;
}

/** The counter track under y and its value at x (the last sample at or before that time). */
export function counterAt(
  data: WindowColumns,
  layout: Layout,
  view: TimeWindow,
  width: number,
  x: number,
  y: number,
): { track: number; time: number; value: number } | null {
  if (x < LABEL_WIDTH) return null;
  const c = layout.counterY.findIndex((top) => y >= top && y < top + COUNTER_HEIGHT);
  if (c < 0) return null;
  const t = xToTime(x, view, width);
  let found: { track: number; time: number; value: number } | null = null;
  for (let i = 0; i < data.counters.count; i++) {
    if (data.counters.track[i] !== c) continue;
    const time = data.counters.time[i] as number;
    if (time > t) break;
    found = { track: c, time, value: data.counters.value[i] as number };
  }
  return found;
}

/** Where instant `i` is drawn: the tip of its triangle (the top of its thread, or the ruler). */
export function instantPoint(data: WindowColumns, i: number, layout: Layout, view: TimeWindow, width: number): { x: number; y: number } | null {
  const track = data.instants.track[i] as number;
  const top = track < 0 ? AXIS_HEIGHT - MARKER_SIZE - 1 : layout.trackY[track];
  if (top === undefined) return null;
  return { x: timeToX(data.instants.time[i] as number, view, width), y: top };
}

/** Index of the instant marker under (x, y), the nearest if several, or -1. */
export function instantAt(data: WindowColumns, layout: Layout, view: TimeWindow, width: number, x: number, y: number): number {
  if (x < LABEL_WIDTH) return -1;
  let best = -1;
  let distance = Infinity;
  for (let i = 0; i < data.instants.count; i++) {
    const at = instantPoint(data, i, layout, view, width);
    if (at === null || y < at.y - 1 || y > at.y + MARKER_SIZE + 1) continue;
    const dx = Math.abs(x - at.x);
    if (dx <= MARKER_SIZE && dx < distance) {
      best = i;
      distance = dx;
    }
  }
  return best;
}
