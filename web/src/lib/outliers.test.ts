import { describe, expect, it } from "vitest";
import { outlierExtent } from "./outliers";

describe("outlierExtent", () => {
  it("cuts the top and bottom 5 %", () => {
    const ys = Array.from({ length: 101 }, (_, i) => i);
    ys[100] = 1e9; // the spike is cut, the rest keeps its 5–95 % range
    expect(outlierExtent(ys)).toEqual([5, 95]);
  });
  it("ignores non-finite values and needs more than two points", () => {
    expect(outlierExtent([1, Number.NaN, 2])).toBeNull();
    expect(outlierExtent([null, 3, undefined, 1, 2])).toEqual([2, 2]);
  });
});
