import { describe, expect, it } from "vitest";
import { MIN_POINTS_PER_RUN, pointsPerRun, sameRange, stepRangeOfRows, stepRangeOfWindow } from "./zoom";

describe("stepRangeOfWindow", () => {
  it("rounds out to whole steps with a small pad on each side", () => {
    expect(stepRangeOfWindow(600_000, 700_000)).toEqual({ start: 598_000, end: 702_000 });
  });
  it("pads a narrow window by at least one step and never below step 0", () => {
    expect(stepRangeOfWindow(10.4, 19.6)).toEqual({ start: 9, end: 21 });
    expect(stepRangeOfWindow(0.2, 5)).toEqual({ start: 0, end: 6 });
  });
  it("is null for nonsense", () => {
    expect(stepRangeOfWindow(5, 1)).toBeNull();
    expect(stepRangeOfWindow(Number.NaN, 1)).toBeNull();
  });
});

describe("stepRangeOfRows", () => {
  it("spans the steps of every run's rows in the window", () => {
    const xs = [0, 10, 20, 30, 40];
    const steps = [
      [0, 100, null, 300, 400],
      [null, null, 250, 350, null],
    ];
    const stepAt = (r: number, row: number): number | null => steps[r]?.[row] ?? null;
    expect(stepRangeOfRows(xs, 2, stepAt, 5, 30)).toEqual({ start: 95, end: 355 });
  });
  it("is null when no row is in view", () => {
    expect(stepRangeOfRows([0, 10], 1, () => 1, 3, 7)).toBeNull();
  });
});

describe("sameRange", () => {
  it("compares by value", () => {
    expect(sameRange({ start: 1, end: 2 }, { start: 1, end: 2 })).toBe(true);
    expect(sameRange(null, null)).toBe(true);
    expect(sameRange(null, { start: 1, end: 2 })).toBe(false);
  });
});

describe("pointsPerRun", () => {
  it("is one point per pixel for a few runs", () => {
    expect(pointsPerRun(576, 1)).toBe(576);
    expect(pointsPerRun(576, 100)).toBe(576);
  });
  it("shares the chart's budget among many runs, with a floor", () => {
    expect(pointsPerRun(576, 1_000)).toBe(100);
    expect(pointsPerRun(576, 100_000)).toBe(MIN_POINTS_PER_RUN);
  });
});
