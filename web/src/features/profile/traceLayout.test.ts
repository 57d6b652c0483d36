import { describe, expect, it } from "vitest";
import type { TraceWindow } from "../../api/profile";
import { LABEL_WIDTH, ROW_HEIGHT, TRACK_GAP, hitTest, layoutRows, pan, zoom } from "./traceLayout";

const data: TraceWindow = {
  start: 0,
  end: 100,
  extent: 100,
  pixel_us: 0.1,
  tracks: [
    { pid: "1", tid: "1", process: "python", thread: "main" },
    { pid: "1", tid: "2", process: "python", thread: "idle" },
    { pid: "1", tid: "3", process: "python", thread: "worker" },
  ],
  names: ["step", "op"],
  events: [
    { track: 0, depth: 0, start: 0, duration: 100, name: 0, count: 1 },
    { track: 0, depth: 1, start: 10, duration: 20, name: 1, count: 1 },
    { track: 2, depth: 0, start: 50, duration: 10, name: 1, count: 3 },
  ],
};

describe("trace layout", () => {
  it("gives each depth of each track with events a row", () => {
    const layout = layoutRows(data);
    expect(layout.rows.map((r) => [r.track, r.depth])).toEqual([
      [0, 0],
      [0, 1],
      [2, 0],
    ]);
    expect(layout.trackY.get(2)).toBe(2 * ROW_HEIGHT + TRACK_GAP);
  });

  it("hit-tests the innermost event under the pointer", () => {
    const layout = layoutRows(data);
    const width = LABEL_WIDTH + 1000;
    const view = { start: 0, end: 100 };
    expect(hitTest(data, layout, view, width, LABEL_WIDTH + 150, ROW_HEIGHT + 2)?.name).toBe(1);
    expect(hitTest(data, layout, view, width, LABEL_WIDTH + 150, 2)?.name).toBe(0);
    expect(hitTest(data, layout, view, width, LABEL_WIDTH + 900, ROW_HEIGHT + 2)).toBeNull();
  });

  it("zooms around a point and pans inside the trace", () => {
    expect(zoom({ start: 0, end: 100 }, 0.5, 50, 100)).toEqual({ start: 25, end: 75 });
    expect(zoom({ start: 25, end: 75 }, 4, 50, 100)).toEqual({ start: 0, end: 100 });
    expect(pan({ start: 25, end: 75 }, 0.2, 100)).toEqual({ start: 35, end: 85 });
    expect(pan({ start: 25, end: 75 }, -1, 100)).toEqual({ start: 0, end: 50 });
  });
});
