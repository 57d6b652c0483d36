import { describe, expect, it } from "vitest";
import type { PrCurveStep } from "../../api/prCurves";
import { curveAt, curvePoints, nearestThreshold, tooltipLeft, unionSteps } from "./curve";

function curve(step: number, precision: number[], recall: number[]): PrCurveStep {
  const n = precision.length;
  const f = (xs: number[]): Float64Array => Float64Array.from(xs);
  return {
    step,
    wallTime: step,
    thresholds: f(Array.from({ length: n }, (_, i) => i / Math.max(1, n - 1))),
    precision: f(precision),
    recall: f(recall),
    tp: f(precision.map((_, i) => 10 - i)),
    fp: f(precision.map((_, i) => i)),
    tn: f(precision.map(() => 0)),
    fn: f(precision.map(() => 0)),
  };
}

describe("PR curve steps", () => {
  const byRun = new Map([
    ["a", [curve(0, [1], [1]), curve(10, [1], [1])]],
    ["b", [curve(5, [1], [1]), curve(10, [1], [1]), curve(20, [1], [1])]],
  ]);

  it("the slider walks every step any run has, once, ascending", () => {
    expect(unionSteps(byRun)).toEqual([0, 5, 10, 20]);
  });

  it("each run shows its latest step by default, else its own step nearest the chosen one", () => {
    expect(curveAt(byRun.get("a") ?? [], null)?.step).toBe(10);
    expect(curveAt(byRun.get("b") ?? [], null)?.step).toBe(20);
    expect(curveAt(byRun.get("a") ?? [], 5)?.step).toBe(0); // tie: the earlier step
    expect(curveAt(byRun.get("a") ?? [], 20)?.step).toBe(10);
    expect(curveAt([], 3)).toBeNull();
  });
});

describe("curvePoints", () => {
  it("orders points by ascending recall (thresholds descending) and drops non-finite ones", () => {
    const c = curve(0, [0.5, Number.NaN, 0.8, 1], [1, 0.9, 0.5, 0.1]);
    const { xs, ys, index } = curvePoints(c);
    expect(xs).toEqual([0.1, 0.5, 1]);
    expect(ys).toEqual([1, 0.8, 0.5]);
    expect(index).toEqual([3, 2, 0]);
  });
});

describe("nearestThreshold", () => {
  it("measures distance in pixels, so a squashed axis does not dominate", () => {
    const c = curve(0, [0.5, 0.9], [0.9, 0.4]);
    expect(nearestThreshold(c, 0.85, 0.6, 100, 100)).toBe(0);
    expect(nearestThreshold(c, 0.45, 0.85, 100, 100)).toBe(1);
    // A tall, narrow chart: x differences count for little.
    expect(nearestThreshold(c, 0.9, 0.88, 1, 1000)).toBe(1);
    expect(nearestThreshold(curve(0, [], []), 0, 0, 1, 1)).toBe(-1);
  });
});

describe("tooltipLeft", () => {
  it("right of the pointer, left of it when that overflows, never past an edge", () => {
    expect(tooltipLeft(100, 200, 600)).toBe(114);
    expect(tooltipLeft(450, 200, 600)).toBe(236);
    // Too wide for either side: pinned inside the chart.
    expect(tooltipLeft(150, 400, 500)).toBe(0);
    expect(tooltipLeft(10, 700, 500)).toBe(0);
  });
});
