import { describe, expect, it } from "vitest";
import type { HistogramStep } from "../../api/histograms";
import { bucketAt, buildCurves, countAt, rebin, valueRange } from "./curves";

const step = (n: number, buckets: [number, number, number][]): HistogramStep => ({ step: n, wallTime: n, buckets });

describe("histogram curves", () => {
  it("take the value range from buckets that hold data", () => {
    const steps = [step(0, [[-5, -1, 0], [-1, 0, 2], [0, 1, 3]]), step(1, [[0, 4, 1], [4, 9, 0]])];
    expect(valueRange(steps)).toEqual({ min: -1, max: 4 });
    expect(valueRange([step(0, [[0, 1, 0]])])).toBeNull();
  });
  it("pad a range of one value", () => {
    expect(valueRange([step(0, [[2, 2, 5]])])).toEqual({ min: 1.8, max: 2.2 });
  });
  it("spread a bucket over the grid bins it overlaps, keeping the total", () => {
    const out = rebin([[0, 2, 4]], 0, 4, 4);
    expect([...out]).toEqual([2, 2, 0, 0]);
    const uneven = rebin([[0, 0.5, 1], [0.5, 3, 5]], 0, 4, 2);
    expect([...uneven]).toEqual([1 + 3, 2]);
  });
  it("put a zero-width bucket in the bin holding its value", () => {
    expect([...rebin([[3, 3, 7]], 0, 4, 4)]).toEqual([0, 0, 0, 7]);
    expect([...rebin([[4, 4, 7]], 0, 4, 4)]).toEqual([0, 0, 0, 7]);
  });
  it("put every step on one grid with one maximum", () => {
    const curves = buildCurves([step(0, [[0, 1, 4]]), step(1, [[1, 2, 8]])], 2);
    expect(curves?.counts.map((c) => [...c])).toEqual([
      [4, 0],
      [0, 8],
    ]);
    expect(curves?.maxCount).toBe(8);
  });
  it("find the original bucket under the pointer (the last one closed)", () => {
    const buckets: [number, number, number][] = [[0, 1, 3], [1, 2, 5]];
    expect(bucketAt(buckets, 1)).toEqual([1, 2, 5]);
    expect(bucketAt(buckets, 2)).toEqual([1, 2, 5]);
    expect(bucketAt(buckets, 2.5)).toBeNull();
  });
  it("interpolate the drawn height between bin centres", () => {
    const row = Float64Array.from([0, 10]);
    expect(countAt(row, 0, 2, 0.5)).toBe(0);
    expect(countAt(row, 0, 2, 1)).toBe(5);
    expect(countAt(row, 0, 2, 1.9)).toBe(10);
    expect(countAt(row, 0, 2, 3)).toBe(0);
  });
});
