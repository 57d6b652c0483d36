import { describe, expect, it } from "vitest";
import { buildTable, pointAt, valueExtent, xValues } from "./chartData";

const run = (name: string, steps: number[], values: number[]) => ({
  run: name,
  steps,
  wallTimes: steps.map((s) => 1000 + s * 2),
  values,
});

describe("buildTable", () => {
  it("aligns runs on the union of their x values, rows without a point left empty", () => {
    const t = buildTable([run("a", [0, 2], [1, 3]), run("b", [1, 2], [5, Number.NaN])], {
      axis: "step",
      smoothing: 0,
      logY: false,
    });
    // Empty cells are holes (uPlot skips them like null); NaN is an explicit null.
    expect(t.columns.map((c) => Array.from(c, (v) => v ?? null))).toEqual([
      [0, 1, 2],
      [1, null, 3],
      [null, 5, null],
    ]);
    expect(t.smoothed).toBe(false);
    expect(pointAt(t, 0, 1)).toBeNull();
    expect(pointAt(t, 1, 2)).toEqual({ step: 2, wall: 1004 });
  });

  it("adds a smoothed column per run when smoothing", () => {
    const t = buildTable([run("a", [0, 1, 2], [0, 10, 0])], {
      axis: "step",
      smoothing: 0.5,
      logY: false,
    });
    expect(t.columns).toHaveLength(3);
    expect(t.columns[1]).toEqual([0, 10, 0]);
    expect(t.columns[2]?.[1]).toBeCloseTo(10 * 0.5 / 0.75);
  });

  it("keeps an envelope's spike: every returned point is drawn", () => {
    // What the server sends for a million flat points with one spike: bucket minima and maxima.
    const steps = [0, 499_999, 500_000, 999_999];
    const t = buildTable([run("a", steps, [1, 1, 1e6, 1])], {
      axis: "step",
      smoothing: 0,
      logY: false,
    });
    expect(valueExtent(t)).toEqual([1, 1e6]);
  });

  it("drops non-positive values on a log axis and NaN always", () => {
    const t = buildTable([run("a", [0, 1, 2, 3], [-1, 0, 5, Number.NaN])], {
      axis: "step",
      smoothing: 0,
      logY: true,
    });
    expect(t.columns[1]).toEqual([null, null, 5, null]);
  });

  it("leaves x ≤ 0 out on a log x axis", () => {
    const t = buildTable([run("a", [0, 1, 10], [5, 6, 7])], {
      axis: "step",
      smoothing: 0,
      logY: false,
      logX: true,
    });
    expect(t.columns).toEqual([
      [1, 10],
      [6, 7],
    ]);
  });

  it("lists each run's rows in order, with the point on each", () => {
    const t = buildTable([run("a", [0, 2], [1, 3]), run("b", [1, 2, 5], [5, 6, 7])], {
      axis: "step",
      smoothing: 0.6,
      logY: false,
    });
    expect(t.columns[0]).toEqual([0, 1, 2, 5]);
    expect(Array.from(t.rows[0] ?? [])).toEqual([0, 2]);
    expect(Array.from(t.rows[1] ?? [])).toEqual([1, 2, 3]);
    expect(Array.from(t.points[1] ?? [])).toEqual([0, 1, 2]);
    expect(pointAt(t, 1, 3)).toEqual({ step: 5, wall: 1010 });
    expect(pointAt(t, 0, 3)).toBeNull();
  });

  it("sorts rows when wall times go back, a later point winning a shared row", () => {
    const restarted = { run: "r", steps: [0, 1, 2], wallTimes: [30, 10, 30], values: [1, 2, 3] };
    const t = buildTable([restarted], { axis: "wall", smoothing: 0, logY: false });
    expect(t.columns[0]).toEqual([10, 30]);
    expect(Array.from(t.rows[0] ?? [])).toEqual([0, 1]);
    expect(Array.from(t.points[0] ?? [])).toEqual([1, 2]);
    expect(t.columns[1]).toEqual([2, 3]);
  });

  it("takes the typed columns of the binary scalars answer", () => {
    const typed = {
      run: "a",
      steps: Float64Array.from([0, 1, 2]),
      wallTimes: Float64Array.from([5, 6, 7]),
      values: Float64Array.from([1, Number.NaN, Number.POSITIVE_INFINITY]),
    };
    const t = buildTable([typed], { axis: "relative", smoothing: 0.5, logY: false });
    expect(t.columns[0]).toEqual([0, 1, 2]);
    expect(t.columns[1]).toEqual([1, null, Number.POSITIVE_INFINITY]);
    expect(pointAt(t, 0, 2)).toEqual({ step: 2, wall: 7 });
  });

  it("measures relative time from the run's first point", () => {
    expect(xValues(run("a", [0, 5], [1, 2]), "relative")).toEqual([0, 10]);
    expect(xValues(run("a", [0, 5], [1, 2]), "wall")).toEqual([1000, 1010]);
  });
});
