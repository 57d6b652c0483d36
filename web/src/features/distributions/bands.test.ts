import { describe, expect, it } from "vitest";
import { BAND_PAIRS, BASIS_POINTS, bandColumns, MEDIAN } from "./bands";

const values = (base: number): number[] => BASIS_POINTS.map((_, k) => base + k - 4);

describe("distribution bands", () => {
  it("nest from min–max inwards around the median", () => {
    expect(BAND_PAIRS[0]).toEqual([0, 8]);
    for (const [lo, hi] of BAND_PAIRS) expect(lo + hi).toBe(2 * MEDIAN);
    const inner = BAND_PAIRS.map(([lo, hi]) => hi - lo);
    expect(inner).toEqual([...inner].sort((a, b) => b - a));
  });
  it("turn steps into one column per basis point, sorted by the x axis", () => {
    const points = [
      { step: 2, wallTime: 50, values: values(2) },
      { step: 1, wallTime: 80, values: values(1) },
    ];
    const byStep = bandColumns(points, "step");
    expect(byStep.x).toEqual([2, 1].sort());
    expect(byStep.values[MEDIAN]).toEqual([1, 2]);
    expect(byStep.values[0]).toEqual([-3, -2]);
    const byWall = bandColumns(points, "relative");
    // Relative time counts from the first point sent (step 2 at wall time 50).
    expect(byWall.x).toEqual([0, 30]);
    expect(byWall.steps).toEqual([2, 1]);
  });
  it("leave non-finite values as gaps", () => {
    const cols = bandColumns([{ step: 0, wallTime: 0, values: [Number.NaN, ...values(0).slice(1)] }], "step");
    expect(cols.values[0]).toEqual([null]);
  });
});
