import { describe, expect, it } from "vitest";
import { summarize } from "./summary";

describe("summarize", () => {
  it("gives the last point, smoothed last value and finite extremes", () => {
    const s = summarize({ run: "a", steps: [0, 1, 2], values: [3, Number.NaN, 1] }, 0, "ema");
    expect(s).toEqual({ run: "a", lastStep: 2, last: 1, smoothed: 1, min: 1, max: 3 });
  });
  it("smooths when asked", () => {
    const s = summarize({ run: "a", steps: [0, 1], values: [0, 10] }, 0.5, "ema");
    expect(s.smoothed).toBeCloseTo((0.5 * 10) / 0.75);
  });
  it("takes typed columns", () => {
    const values = Float64Array.from([2, Number.POSITIVE_INFINITY, -1]);
    const s = summarize({ run: "a", steps: Float64Array.from([0, 1, 2]), values }, 0, "ema");
    expect(s).toEqual({ run: "a", lastStep: 2, last: -1, smoothed: -1, min: -1, max: 2 });
  });
  it("handles an empty series", () => {
    expect(summarize({ run: "a", steps: [], values: [] }, 0.6, "ema")).toEqual({
      run: "a",
      lastStep: null,
      last: null,
      smoothed: null,
      min: null,
      max: null,
    });
  });
});
