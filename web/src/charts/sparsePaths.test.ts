import { describe, expect, it, vi } from "vitest";
import type uPlot from "uplot";
import { sparseLinear } from "./sparsePaths";

/** Path2D is a browser API: record the calls instead. */
class RecordingPath {
  static last: RecordingPath | null = null;
  calls: [string, number, number][] = [];
  constructor() {
    RecordingPath.last = this;
  }
  moveTo(x: number, y: number): void {
    this.calls.push(["M", x, y]);
  }
  lineTo(x: number, y: number): void {
    this.calls.push(["L", x, y]);
  }
}

function plot(columns: (number | null | undefined)[][]): uPlot {
  // x in pixels = 10 * x; y in pixels = -y: enough to see which points were visited.
  return {
    data: columns,
    series: [{}, { scale: "y" }],
    valToPos: (v: number, scale: string) => (scale === "x" ? 10 * v : -v),
  } as unknown as uPlot;
}

function draw(columns: (number | null | undefined)[][], rows: number[], idx0: number, idx1: number) {
  vi.stubGlobal("Path2D", RecordingPath);
  const paths = sparseLinear(Int32Array.from(rows))(plot(columns), 1, idx0, idx1);
  vi.unstubAllGlobals();
  expect(paths?.stroke).toBe(RecordingPath.last);
  return RecordingPath.last?.calls ?? [];
}

describe("sparseLinear", () => {
  const xs = [0, 1, 2, 3, 4, 5, 6, 7];
  const ys = [1, undefined, 3, undefined, null, 6, undefined, 8];

  it("joins the run's points across empty cells, as spanGaps does", () => {
    expect(draw([xs, ys], [0, 2, 4, 5, 7], 0, 7)).toEqual([
      ["M", 0, -1],
      ["L", 20, -3],
      ["L", 50, -6],
      ["L", 70, -8],
    ]);
  });

  it("reaches one point past each side of the window, so lines meet the edges", () => {
    expect(draw([xs, ys], [0, 2, 4, 5, 7], 3, 4)).toEqual([
      ["M", 20, -3],
      ["L", 50, -6],
    ]);
  });

  it("draws nothing for a run without points", () => {
    expect(draw([xs, ys], [], 0, 7)).toEqual([]);
  });
});
