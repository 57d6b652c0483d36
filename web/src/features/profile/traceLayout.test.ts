import { describe, expect, it } from "vitest";
import { decodeWindow, type CounterTrack, type TrackInfo, type WindowColumns } from "./traceApi";
import {
  AXIS_HEIGHT,
  COUNTER_HEIGHT,
  LABEL_WIDTH,
  PROCESS_HEIGHT,
  ROW_HEIGHT,
  TRACK_GAP,
  arrowEnds,
  covers,
  dragRange,
  dragRows,
  rangeBands,
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
    processes: [{ pid: "1", name: "python" }],
  };
}

describe("layout", () => {
  it("gives every depth of every track a row under its process's header", () => {
    const layout = layoutTracks(tracks);
    const first = AXIS_HEIGHT + PROCESS_HEIGHT + TRACK_GAP / 2;
    expect(layout.trackY).toEqual([first, first + 2 * ROW_HEIGHT + TRACK_GAP]);
    expect(layout.processes.map((p) => [p.pid, p.y, p.tracks])).toEqual([["1", AXIS_HEIGHT, [0, 1]]]);
    expect(layout.height).toBe(AXIS_HEIGHT + PROCESS_HEIGHT + 3 * ROW_HEIGHT + 2 * TRACK_GAP + TRACK_GAP / 2);
  });

  // Two processes with threads, counters of both and of a third that has only counters.
  const gpu: TrackInfo = { pid: "0", tid: "7", process: "GPU 0", thread: "stream 7", depths: 1 };
  const counters: CounterTrack[] = [
    { pid: "9", process: "monitor", name: "temperature", series: "temperature", min: 0, max: 80 },
    { pid: "1", process: "python", name: "memory", series: "used", min: 0, max: 10 },
    { pid: "0", process: "GPU 0", name: "memory", series: "allocated", min: 0, max: 5 },
  ];
  const processes = [
    { pid: "9", name: "monitor" },
    { pid: "1", name: "python" },
    { pid: "0", name: "GPU 0" },
  ];
  const all = [...tracks, gpu];

  it("lays counter tracks out inside their process, under its header and above its threads", () => {
    const layout = layoutTracks(all, counters, processes);
    const [monitor, python, device] = layout.processes;
    expect([monitor?.pid, python?.pid, device?.pid]).toEqual(["9", "1", "0"]);
    // The counter-only process: a header and its counter.
    expect(layout.counterY[0]).toBe((monitor?.y as number) + PROCESS_HEIGHT);
    // python: header, its counter, then its two threads.
    expect(layout.counterY[1]).toBe((python?.y as number) + PROCESS_HEIGHT);
    expect(layout.trackY[0]).toBe((layout.counterY[1] as number) + COUNTER_HEIGHT + TRACK_GAP / 2);
    expect(layout.trackY[1]).toBeGreaterThan(layout.trackY[0] as number);
    // The GPU's counter sits under the GPU's header, below every python row: not at the top.
    expect(layout.counterY[2]).toBe((device?.y as number) + PROCESS_HEIGHT);
    expect(layout.counterY[2]).toBeGreaterThan((layout.trackY[1] as number) + ROW_HEIGHT);
    expect(layout.trackY[2]).toBe((layout.counterY[2] as number) + COUNTER_HEIGHT + TRACK_GAP / 2);
    // Blocks do not overlap.
    expect((monitor?.bottom as number) <= (python?.y as number)).toBe(true);
    expect((python?.bottom as number) <= (device?.y as number)).toBe(true);
    expect(layout.height).toBeGreaterThanOrEqual(device?.bottom as number);
  });

  it("gives every window of a trace the same rows: only whole-trace lists go in", () => {
    const a = layoutTracks(all, counters, processes);
    const b = layoutTracks(structuredClone(all), structuredClone(counters), structuredClone(processes));
    expect(b).toEqual(a);
  });

  it("orders processes by first appearance when the header does not list them", () => {
    const layout = layoutTracks(all, counters);
    expect(layout.processes.map((p) => p.pid)).toEqual(["1", "0", "9"]);
    expect(layout.counterY[0]).toBe((layout.processes[2]?.y as number) + PROCESS_HEIGHT);
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
    expect(dragRows(layout, first + 1, first + 5)).toEqual({ tracks: [0], counters: [] });
    expect(dragRows(layout, 0, layout.height)).toEqual({ tracks: null, counters: null });
  });
  it("names the counter tracks a drag touches, and a header brings its whole process", () => {
    const counters: CounterTrack[] = [
      { pid: "1", process: "python", name: "memory", series: "used", min: 0, max: 10 },
      { pid: "2", process: "loader", name: "queue", series: "depth", min: 0, max: 4 },
    ];
    const withCounters = layoutTracks(tracks, counters);
    const memory = withCounters.counterY[0] as number;
    expect(dragRows(withCounters, memory + 2, memory + 10)).toEqual({ tracks: [], counters: [0] });
    const loader = withCounters.processes[1];
    expect(loader?.pid).toBe("2");
    expect(dragRows(withCounters, (loader?.y as number) + 2, (loader?.y as number) + 4)).toEqual({ tracks: [], counters: [1] });
    const python = withCounters.processes[0]?.y as number;
    expect(dragRows(withCounters, python + 2, python + 4)).toEqual({ tracks: [0, 1], counters: [0] });
  });
});

describe("held windows", () => {
  const held = { start: 0, end: 200, pixelUs: 0.1 };
  it("draw a view inside them at about their detail", () => {
    expect(covers(held, { start: 50, end: 150 }, 1000)).toBe(true);
  });
  it("are replaced when the view leaves them or the zoom changes the detail", () => {
    expect(covers(held, { start: 150, end: 250 }, 1000)).toBe(false);
    expect(covers(held, { start: 90, end: 100 }, 1000)).toBe(false); // the view 10x finer
    expect(covers(held, { start: 0, end: 200 }, 500)).toBe(false); // the view 4x coarser
    expect(covers(null, { start: 0, end: 1 }, 1000)).toBe(false);
  });
});

describe("range bands", () => {
  const counters: CounterTrack[] = [{ pid: "1", process: "python", name: "memory", series: "used", min: 0, max: 10 }];
  const layout = layoutTracks(tracks, counters);
  it("cover every row for a range over all rows", () => {
    expect(rangeBands(layout, { tracks: null, counters: null })).toEqual([[AXIS_HEIGHT, layout.height]]);
  });
  it("cover only the chosen rows, merged where they touch", () => {
    const counter = layout.counterY[0] as number;
    const main = layout.trackY[0] as number;
    const worker = layout.trackY[1] as number;
    // The counter and the first thread touch: one band; the header above is left out.
    expect(rangeBands(layout, { tracks: [0], counters: [0] })).toEqual([[counter, main + 2 * ROW_HEIGHT + TRACK_GAP / 2]]);
    expect(rangeBands(layout, { tracks: [1], counters: [0] })).toEqual([
      [counter, counter + COUNTER_HEIGHT],
      [worker - TRACK_GAP / 2, worker + ROW_HEIGHT + TRACK_GAP / 2],
    ]);
    expect(rangeBands(layout, { tracks: [], counters: [] })).toEqual([]);
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
