import { describe, expect, it } from "vitest";
import { applySmoother, centeredAverage, gaussianSmooth, smooth, windowRadius } from "./smoothing";

/** The reference algorithm, written the plain way, to compare against. */
function reference(ys: number[], weight: number): number[] {
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n += 1;
    return last / (1 - Math.pow(weight, n));
  });
}

describe("smooth (TensorBoard's debiased EMA)", () => {
  it("leaves a constant series unchanged", () => {
    expect(smooth([3, 3, 3, 3], 0.9)).toEqual([3, 3, 3, 3]);
  });

  it("is the identity at weight 0", () => {
    expect(smooth([1, 5, -2, 8], 0)).toEqual([1, 5, -2, 8]);
  });

  it("starts at the first value thanks to debiasing", () => {
    const out = smooth([10, 0, 0], 0.6);
    expect(out[0]).toBeCloseTo(10);
    expect(out[1]).toBeCloseTo((0.6 * 0.4 * 10) / (1 - 0.36));
  });

  it("matches the reference at weight 0.999", () => {
    const ys = Array.from({ length: 500 }, (_, i) => Math.sin(i / 7) + i / 100);
    const got = smooth(ys, 0.999);
    const want = reference(ys, 0.999);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 9));
  });

  it("passes NaN and Infinity through without accumulating them", () => {
    const out = smooth([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBe(Number.POSITIVE_INFINITY);
    expect(out.filter((v) => Number.isFinite(v))).toEqual(
      reference([1, 3, 5], 0.5),
    );
  });

  it("clamps the weight and treats a non-finite weight as 0", () => {
    expect(smooth([1, 2, 3], Number.NaN)).toEqual([1, 2, 3]);
    expect(smooth([1, 2, 3], -4)).toEqual([1, 2, 3]);
    // weight 1: no debiasing, the average never moves from 0 * w.
    expect(smooth([1, 2, 3], 1)).toEqual([0, 0, 0]);
  });

  it("handles empty and all-NaN series", () => {
    expect(smooth([], 0.6)).toEqual([]);
    expect(smooth([Number.NaN, Number.NaN], 0.6).every(Number.isNaN)).toBe(true);
  });
});

describe("Heron's two-sided smoothers", () => {
  it("map the slider to the EMA's mean lag", () => {
    expect(windowRadius(0)).toBe(0);
    expect(windowRadius(0.6)).toBe(2);
    expect(windowRadius(0.9)).toBe(9);
    expect(windowRadius(0.999)).toBe(999);
  });

  it("centered average: a window on both sides, cut at the ends", () => {
    expect(centeredAverage([0, 3, 6, 9], 1)).toEqual([1.5, 3, 6, 7.5]);
    expect(centeredAverage([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it("gaussian: symmetric, preserves constants, does not lag a ramp", () => {
    const ramp = Array.from({ length: 41 }, (_, i) => i);
    const out = gaussianSmooth(ramp, 4);
    expect(out[20]).toBeCloseTo(20, 9);
    for (const v of gaussianSmooth([5, 5, 5, 5], 3)) expect(v).toBeCloseTo(5, 12);
  });

  it("pass NaN through without spreading it", () => {
    for (const out of [centeredAverage([1, Number.NaN, 3], 1), gaussianSmooth([1, Number.NaN, 3], 2)]) {
      expect(out[1]).toBeNaN();
      expect(Number.isFinite(out[0])).toBe(true);
      expect(Number.isFinite(out[2])).toBe(true);
    }
  });

  it("dispatch by name", () => {
    const ys = [1, 5, 2, 8, 3];
    expect(applySmoother(ys, 0.6, "ema")).toEqual(smooth(ys, 0.6));
    expect(applySmoother(ys, 0.5, "centered")).toEqual(centeredAverage(ys, 1));
  });
});
