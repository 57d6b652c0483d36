import { describe, expect, it } from "vitest";
import { decodeWindow, type TrackInfo, type WindowColumns } from "./traceApi";
import {
  AXIS_HEIGHT,
  LABEL_WIDTH,
  ROW_HEIGHT,
  TRACK_GAP,
  arrowEnds,
  dragRange,
  dragTracks,
  formatTick,
  hitTest,
  layoutTracks,
  pan,
  reveal,
  ticks,
  timeToX,
  xToTime,
  zoom,
} from "./traceLayout";

const tracks: TrackInfo[] = [
  { pid: "1", tid: "1", process: "python", thread: "main", depths: 2 },
  { pid: "1", tid: "2", process: "python", thread: "worker", depths: 1 },
];

function columns(blocks: [track: number, depth: number, start: number, duration: number, count: number][]): WindowColumns {
  return {
    start: 0,
    end: 100,
    extent: 100,
    pixelUs: 0.1,
    spans: blocks.length,
    tracks,
    names: ["op"],
    count: blocks.length,
    blockStart: Float64Array.from(blocks.map((b) => b[2])),
    blockDuration: Float64Array.from(blocks.map((b) => b[3])),
    track: Int32Array.from(blocks.map((b) => b[0])),
    depth: Int32Array.from(blocks.map((b) => b[1])),
    name: Int32Array.from(blocks.map(() => 0)),
    spanCount: Int32Array.from(blocks.map((b) => b[4])),
    span: Int32Array.from(blocks.map((b, i) => (b[4] === 1 ? i : -1))),
    instants: { count: 0, time: new Float64Array(0), track: new Int32Array(0), name: new Int32Array(0), merged: new Int32Array(0), id: new Int32Array(0) },
    counterTracks: [],
    counters: { count: 0, time: new Float64Array(0), value: new Float64Array(0), track: new Int32Array(0) },
  };
}

describe("layout", () => {
  it("gives every depth of every track a row, whatever the window holds", () => {
    const layout = layoutTracks(tracks);
    expect(layout.trackY).toEqual([AXIS_HEIGHT, AXIS_HEIGHT + 2 * ROW_HEIGHT + TRACK_GAP]);
    expect(layout.height).toBe(AXIS_HEIGHT + 3 * ROW_HEIGHT + 2 * TRACK_GAP);
  });
});

describe("zoom and pan", () => {
  const view = { start: 0, end: 100 };
  it("zooms in around the time under the mouse, which keeps its pixel", () => {
    const width = 1200;
    const x = 500;
    const at = xToTime(x, view, width);
    const zoomed = zoom(view, 0.5, at, 1000);
    expect(zoomed.end - zoomed.start).toBeCloseTo(50);
    expect(timeToX(at, zoomed, width)).toBeCloseTo(x);
  });
  it("never zooms out past the trace nor pans outside it", () => {
    expect(zoom(view, 100, 50, 300)).toEqual({ start: 0, end: 300 });
    expect(pan({ start: 250, end: 300 }, 0.5, 300)).toEqual({ start: 250, end: 300 });
    expect(pan({ start: 0, end: 50 }, -0.5, 300)).toEqual({ start: 0, end: 50 });
    expect(pan(view, 0.2, 300)).toEqual({ start: 20, end: 120 });
  });
  it("reveals a span by centring it, widening the view when it is too long", () => {
    expect(reveal({ start: 0, end: 10 }, { start: 100, duration: 2 }, 1000)).toEqual({ start: 96, end: 106 });
    const wide = reveal({ start: 0, end: 10 }, { start: 100, duration: 80 }, 1000);
    expect(wide.end - wide.start).toBeCloseTo(100);
  });
});

describe("hit-testing", () => {
  const layout = layoutTracks(tracks);
  const width = LABEL_WIDTH + 1000; // 0.1 µs a pixel over [0, 100]
  const view = { start: 0, end: 100 };
  const data = columns([
    [0, 0, 0, 100, 1],
    [0, 1, 10, 20, 1],
    [1, 0, 50, 10, 3],
  ]);
  it("finds the block under the pointer in the row of that depth", () => {
    const y1 = (layout.trackY[0] as number) + ROW_HEIGHT * 1.5;
    expect(hitTest(data, layout, view, width, timeToX(15, view, width), y1)).toBe(1);
    const y0 = (layout.trackY[0] as number) + ROW_HEIGHT / 2;
    expect(hitTest(data, layout, view, width, timeToX(15, view, width), y0)).toBe(0);
  });
  it("finds merged blocks on other tracks and nothing in the gaps or labels", () => {
    const y = (layout.trackY[1] as number) + 2;
    expect(hitTest(data, layout, view, width, timeToX(55, view, width), y)).toBe(2);
    expect(hitTest(data, layout, view, width, timeToX(75, view, width), y)).toBe(-1);
    expect(hitTest(data, layout, view, width, 10, y)).toBe(-1);
  });
});

describe("range selection", () => {
  const layout = layoutTracks(tracks);
  const view = { start: 0, end: 100 };
  const width = LABEL_WIDTH + 1000;
  it("turns a drag either way into the time range it covers, inside the view", () => {
    const range = dragRange(view, width, timeToX(70, view, width), timeToX(20, view, width));
    expect(range.start).toBeCloseTo(20);
    expect(range.end).toBeCloseTo(70);
    expect(dragRange(view, width, 0, width + 50)).toEqual({ start: 0, end: 100 });
  });
  it("names the tracks a drag touches, or null when it spans all", () => {
    const first = layout.trackY[0] as number;
    expect(dragTracks(layout, first + 1, first + 5)).toEqual([0]);
    expect(dragTracks(layout, 0, layout.height)).toBeNull();
  });
});

describe("ruler and arrows", () => {
  it("puts ticks on round times", () => {
    const out = ticks({ start: 3, end: 97 }, LABEL_WIDTH + 1000, 100);
    expect(out[0]).toBe(10);
    expect(out[1]).toBe(20);
  });
  it("draws an arrow from the source span's start to the target's, row centre to row centre", () => {
    const layout = layoutTracks(tracks);
    const view = { start: 0, end: 100 };
    const width = LABEL_WIDTH + 1000;
    const from = { id: 1, track: 0, depth: 1, start: 10, duration: 5, name: "launch" };
    const to = { id: 2, track: 1, depth: 0, start: 40, duration: 5, name: "kernel" };
    const ends = arrowEnds(from, to, layout, view, width);
    expect(ends).toEqual({
      x0: LABEL_WIDTH + 100,
      y0: (layout.trackY[0] as number) + ROW_HEIGHT * 1.5,
      x1: LABEL_WIDTH + 400,
      y1: (layout.trackY[1] as number) + ROW_HEIGHT / 2,
    });
  });
});

describe("binary windows", () => {
  it("decodes the header and the seven little-endian columns", () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ start: 0, end: 10, extent: 10, pixel_us: 0.01, count: 2, spans: 5, tracks, names: ["a"] }),
    );
    const padded = header.length + ((8 - ((header.length + 8) % 8)) % 8);
    const buffer = new ArrayBuffer(8 + padded + 2 * 8 * 2 + 5 * 4 * 2);
    const bytes = new Uint8Array(buffer);
    bytes.set([72, 84, 87, 49]);
    new DataView(buffer).setUint32(4, padded, true);
    bytes.set(header, 8);
    bytes.fill(32, 8 + header.length, 8 + padded);
    let at = 8 + padded;
    new Float64Array(buffer, at, 2).set([1, 2]);
    at += 16;
    new Float64Array(buffer, at, 2).set([3, 4]);
    at += 16;
    for (const values of [[0, 1], [0, 0], [0, -1], [1, 4], [7, -1]]) {
      new Int32Array(buffer, at, 2).set(values);
      at += 8;
    }
    const out = decodeWindow(buffer);
    expect(out.names).toEqual(["a"]);
    expect(Array.from(out.blockDuration)).toEqual([3, 4]);
    expect(Array.from(out.spanCount)).toEqual([1, 4]);
    expect(Array.from(out.span)).toEqual([7, -1]);
    expect(Array.from(out.name)).toEqual([0, -1]);
  });
});

describe("tick labels", () => {
  it("use the view's unit and only the decimals the step needs", () => {
    expect(formatTick(2_500_000, 500_000)).toBe("2.5 s");
    expect(formatTick(3000, 1000)).toBe("3 ms");
    expect(formatTick(853_100, 100, 853_800)).toBe("853.1 ms");
    expect(formatTick(500, 500, 2000)).toBe("0.5 ms");
    expect(formatTick(40, 10, 90)).toBe("40 µs");
  });
});
