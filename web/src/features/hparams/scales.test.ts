import { describe, expect, it } from "vitest";
import type { Axis } from "./model";
import { canLog, categoryScale, linearScale, logScale, niceTicks, prefersLog, scaleFor, shortLabel, thinTicks } from "./scales";

const axis = (over: Partial<Axis>): Axis => ({
  id: "h:x", kind: "hparam", label: "x", numeric: true, group: "", tag: "x", categories: [], extent: [1, 10], median: null, ...over,
});

describe("log detection", () => {
  it("prefers log for positive values spanning more than two decades", () => {
    expect(prefersLog([1e-4, 1e-1])).toBe(true);
    expect(prefersLog([0.01, 1.01])).toBe(true);
    expect(prefersLog([0.01, 1])).toBe(false); // exactly two decades
    expect(prefersLog([0.03, 0.3])).toBe(false);
  });
  it("keeps values spread evenly on a linear axis even across decades", () => {
    expect(prefersLog([2e-4, 0.5], 0.25)).toBe(false); // a uniform dropout
    expect(prefersLog([1e-5, 0.1], 1e-3)).toBe(true); // a log-uniform learning rate
    expect(prefersLog([1e-4, 0.1], 5e-3)).toBe(true); // a sweep 1e-4, 1e-3, 1e-2, 1e-1
  });
  it("never prefers or allows log with values at or below zero", () => {
    expect(prefersLog([0, 1000])).toBe(false);
    expect(prefersLog([-1, 1000])).toBe(false);
    expect(canLog([0, 10])).toBe(false);
    expect(canLog([1e-9, 10])).toBe(true);
    expect(prefersLog(null)).toBe(false);
  });
});

describe("scales", () => {
  it("maps linearly, ends to 0 and 1, and inverts", () => {
    const s = linearScale([10, 20]);
    expect(s.position(10)).toBe(0);
    expect(s.position(15)).toBe(0.5);
    expect(s.position(20)).toBe(1);
    expect(s.invert(0.25)).toBe(12.5);
    expect(s.position(Number.NaN)).toBeNull();
  });
  it("centres a single value", () => {
    expect(linearScale([3, 3]).position(3)).toBe(0.5);
    expect(logScale([0.1, 0.1]).position(0.1)).toBeCloseTo(0.5);
  });
  it("maps log10 evenly and has a tick per decade", () => {
    const s = logScale([1e-4, 1]);
    expect(s.position(1e-2)).toBeCloseTo(0.5);
    expect(s.invert(0.75)).toBeCloseTo(0.1);
    expect(s.position(0)).toBeNull();
    expect(s.ticks().map((t) => t.label)).toEqual(["1e-4", "0.001", "0.01", "0.1", "1"]);
  });
  it("spreads categories evenly in their order", () => {
    const s = categoryScale(["adam", "sgd"]);
    expect(s.position("adam")).toBe(0.25);
    expect(s.position("sgd")).toBe(0.75);
    expect(s.position("rmsprop")).toBeNull();
    expect(categoryScale(["only"]).position("only")).toBe(0.5);
  });
  it("falls back to linear when log is asked for but impossible", () => {
    expect(scaleFor(axis({ extent: [0, 100] }), true).kind).toBe("linear");
    expect(scaleFor(axis({ extent: [1, 100] }), true).kind).toBe("log");
    expect(scaleFor(axis({ numeric: false, categories: ["a"] }), true).kind).toBe("category");
  });
  it("makes round ticks", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 0.87, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
  });
});

describe("ticks of the scatter-plot matrix", () => {
  it("thins a long list of category ticks to the room there is, keeping the first", () => {
    const scale = categoryScale(Array.from({ length: 40 }, (_, i) => `c${i}`));
    const ticks = thinTicks(scale, 5);
    expect(ticks.length).toBeLessThanOrEqual(5);
    expect(ticks[0]?.label).toBe("c0");
  });
  it("puts decade ticks on a log axis and round numbers on a linear one, all inside the axis", () => {
    expect(thinTicks(logScale([1e-5, 1e-1]), 6).map((t) => t.label)).toEqual(["1e-5", "1e-4", "0.001", "0.01", "0.1"]);
    const linear = thinTicks(linearScale([0.13, 0.97]), 6);
    expect(linear.map((t) => t.label)).toEqual(["0.2", "0.4", "0.6", "0.8"]);
    expect(linear.every((t) => t.t >= 0 && t.t <= 1)).toBe(true);
  });
  it("cuts long labels with an ellipsis", () => {
    expect(shortLabel("adamw-amsgrad", 8)).toBe("adamw-a…");
    expect(shortLabel("sgd", 8)).toBe("sgd");
  });
});

describe("tick labels of large and small numbers", () => {
  it("keep three significant digits, so neighbouring ticks never read the same", () => {
    const labels = linearScale([2.0e9, 2.8e9]).ticks().map((t) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain("2.2e9");
    expect(logScale([1e-5, 1e-1]).ticks()[0]?.label).toBe("1e-5");
  });
});
