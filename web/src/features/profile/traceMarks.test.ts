import { describe, expect, it } from "vitest";
import { decodeWindow, type CounterTrack, type TrackInfo, type WindowColumns } from "./traceApi";
import { AXIS_HEIGHT, COUNTER_HEIGHT, LABEL_WIDTH, PROCESS_HEIGHT, TRACK_GAP, layoutTracks, timeToX } from "./traceLayout";
import { MARKER_SIZE, counterAt, counterOutline, instantAt } from "./traceMarks";

const tracks: TrackInfo[] = [{ pid: "1", tid: "1", process: "python", thread: "main", depths: 2 }];
const counterTracks: CounterTrack[] = [
  { pid: "1", process: "python", name: "memory", series: "bytes", min: 0, max: 100 },
  { pid: "1", process: "python", name: "queue", series: "depth", min: 0, max: 4 },
];
const view = { start: 0, end: 100 };
const WIDTH = 1200;

function marks(instants: [time: number, track: number, merged: number][], counters: [time: number, value: number, track: number][]): WindowColumns {
  return {
    start: 0,
    end: 100,
    extent: 100,
    pixelUs: 0.1,
    spans: 0,
    tracks,
    names: ["[memory]"],
    count: 0,
    blockStart: new Float64Array(0),
    blockDuration: new Float64Array(0),
    track: new Int32Array(0),
    depth: new Int32Array(0),
    name: new Int32Array(0),
    spanCount: new Int32Array(0),
    span: new Int32Array(0),
    instants: {
      count: instants.length,
      time: Float64Array.from(instants.map((i) => i[0])),
      track: Int32Array.from(instants.map((i) => i[1])),
      name: Int32Array.from(instants.map((i) => (i[2] === 1 ? 0 : -1))),
      merged: Int32Array.from(instants.map((i) => i[2])),
      id: Int32Array.from(instants.map((i, k) => (i[2] === 1 ? k : -1))),
    },
    counterTracks,
    counters: {
      count: counters.length,
      time: Float64Array.from(counters.map((c) => c[0])),
      value: Float64Array.from(counters.map((c) => c[1])),
      track: Int32Array.from(counters.map((c) => c[2])),
    },
    processes: [{ pid: "1", name: "python" }],
  };
}

describe("layout with counters", () => {
  it("puts a process's counter tracks under its header, above its threads", () => {
    const layout = layoutTracks(tracks, counterTracks);
    const top = AXIS_HEIGHT + PROCESS_HEIGHT;
    expect(layout.counterY).toEqual([top, top + COUNTER_HEIGHT]);
    expect(layout.trackY).toEqual([top + 2 * COUNTER_HEIGHT + TRACK_GAP / 2]);
  });
});

describe("counter areas", () => {
  const data = marks([], [
    [10, 50, 0],
    [40, 100, 0],
    [20, 2, 1],
  ]);
  const layout = layoutTracks(tracks, counterTracks);

  it("hold each value until the next sample, then until the trace's end", () => {
    const outline = counterOutline(data, 0, layout, view, WIDTH, 100);
    const xs = outline.map(([x]) => Math.round(x));
    const x10 = Math.round(timeToX(10, view, WIDTH));
    const x40 = Math.round(timeToX(40, view, WIDTH));
    expect(xs).toEqual([x10, x10, x40, x40, WIDTH, WIDTH]);
    const ys = outline.map(([, y]) => y);
    const base = ys[0] as number;
    // Baseline, up to 50, held to 40, up to 100 (the track's top), held, back to baseline.
    expect(ys[1]).toBeCloseTo((base + (ys[3] as number)) / 2);
    expect(ys[2]).toBe(ys[1]);
    expect(ys[3]).toBe(ys[4]);
    expect(ys[5]).toBe(base);
    expect(base - (ys[3] as number)).toBe(COUNTER_HEIGHT - 6);
  });

  it("report the value in force where a click lands, on the clicked counter only", () => {
    const top = layout.counterY[0] as number;
    expect(counterAt(data, layout, view, WIDTH, timeToX(30, view, WIDTH), top + 10)).toEqual({ track: 0, time: 10, value: 50 });
    expect(counterAt(data, layout, view, WIDTH, timeToX(50, view, WIDTH), top + 10)?.value).toBe(100);
    expect(counterAt(data, layout, view, WIDTH, timeToX(5, view, WIDTH), top + 10)).toBeNull();
    const second = layout.counterY[1] as number;
    expect(counterAt(data, layout, view, WIDTH, timeToX(50, view, WIDTH), second + 5)).toEqual({ track: 1, time: 20, value: 2 });
    expect(counterAt(data, layout, view, WIDTH, LABEL_WIDTH - 1, top + 10)).toBeNull();
  });
});

describe("instant markers", () => {
  const data = marks([
    [50, 0, 1],
    [52, 0, 3],
    [80, -1, 1],
  ], []);
  const layout = layoutTracks(tracks);
  const top = layout.trackY[0] as number;

  it("are hit near their tip at the top of their thread, the nearest one first", () => {
    expect(instantAt(data, layout, view, WIDTH, timeToX(50, view, WIDTH) + 2, top + 2)).toBe(0);
    expect(instantAt(data, layout, view, WIDTH, timeToX(52, view, WIDTH) - 1, top + 2)).toBe(1);
  });

  it("leave the rest of the row to spans", () => {
    expect(instantAt(data, layout, view, WIDTH, timeToX(50, view, WIDTH), top + MARKER_SIZE + 3)).toBe(-1);
    expect(instantAt(data, layout, view, WIDTH, timeToX(65, view, WIDTH), top + 2)).toBe(-1);
  });

  it("sit on the ruler when global", () => {
    expect(instantAt(data, layout, view, WIDTH, timeToX(80, view, WIDTH), AXIS_HEIGHT - 3)).toBe(2);
    expect(instantAt(data, layout, view, WIDTH, timeToX(80, view, WIDTH), top + 2)).toBe(-1);
  });
});

describe("binary windows with instants and counters", () => {
  it("decodes both sections after the span columns, each aligned to 8 bytes", () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ start: 0, end: 10, extent: 10, pixel_us: 0.01, count: 1, spans: 1, tracks, names: ["a"], instants: 1, counter_points: 2, counter_tracks: counterTracks }),
    );
    const padded = header.length + ((8 - ((header.length + 8) % 8)) % 8);
    // One span: 36 bytes + 4 padding; one instant: 24 bytes; two counter points: 40 + 0.
    const buffer = new ArrayBuffer(8 + padded + 40 + 24 + 40);
    const bytes = new Uint8Array(buffer);
    bytes.set([72, 84, 87, 49]);
    new DataView(buffer).setUint32(4, padded, true);
    bytes.set(header, 8);
    bytes.fill(32, 8 + header.length, 8 + padded);
    let at = 8 + padded + 40;
    new Float64Array(buffer, at, 1).set([2.5]);
    new Int32Array(buffer, at + 8, 4).set([0, 0, 1, 9]);
    at += 24;
    new Float64Array(buffer, at, 4).set([1, 3, 7, 8]);
    new Int32Array(buffer, at + 32, 2).set([0, 1]);
    const out = decodeWindow(buffer);
    expect(out.instants.count).toBe(1);
    expect(Array.from(out.instants.time)).toEqual([2.5]);
    expect(Array.from(out.instants.id)).toEqual([9]);
    expect(Array.from(out.counters.time)).toEqual([1, 3]);
    expect(Array.from(out.counters.value)).toEqual([7, 8]);
    expect(Array.from(out.counters.track)).toEqual([0, 1]);
    expect(out.counterTracks.map((c) => c.name)).toEqual(["memory", "queue"]);
  });
});
