import { describe, expect, it } from "vitest";
import { brushExtent, brushFilter, type Filter, formatFilter, matching, parseFilter } from "./filter";
import type { Axis, Session } from "./model";
import { categoryScale, linearScale, logScale } from "./scales";

const lr: Axis = { id: "h:lr", kind: "hparam", label: "lr", numeric: true, group: "", tag: "lr", categories: [], extent: [1e-4, 1], median: null };
const opt: Axis = { id: "h:opt", kind: "hparam", label: "opt", numeric: false, group: "", tag: "opt", categories: ["adam", "sgd", "true"], extent: null, median: null };
const acc: Axis = { id: "m:acc", kind: "metric", label: "acc", numeric: true, group: "", tag: "acc", categories: [], extent: [0, 1], median: null };
const session = (name: string, values: Record<string, number | string | boolean>): Session => ({
  name, values: new Map(Object.entries(values)),
});
const sessions = [
  session("a", { "h:lr": 1e-3, "h:opt": "adam", "m:acc": 0.9 }),
  session("b", { "h:lr": 1e-1, "h:opt": "sgd", "m:acc": 0.5 }),
  session("c", { "h:lr": 1e-2, "h:opt": "adam" }),
  session("d", { "h:lr": 1e-2, "h:opt": true, "m:acc": 0.7 }),
];
const axes = [lr, opt, acc];

describe("the brushing filter", () => {
  it("keeps everything without filters", () => {
    expect(matching(sessions, axes, new Map())).toEqual(new Set(["a", "b", "c", "d"]));
  });
  it("ANDs the filters of several axes", () => {
    const filters = new Map<string, Filter>([
      ["h:opt", { kind: "set", values: ["adam", "true"] }],
      ["m:acc", { kind: "range", lo: 0.6, hi: 1 }],
    ]);
    expect(matching(sessions, axes, filters)).toEqual(new Set(["a", "d"]));
  });
  it("drops sessions lacking a value on a brushed axis", () => {
    expect(matching(sessions, axes, new Map([["m:acc", { kind: "range", lo: 0, hi: 1 } as Filter]]))).toEqual(new Set(["a", "b", "d"]));
  });
  it("ignores filters on axes that no longer exist", () => {
    expect(matching(sessions, axes, new Map([["h:gone", { kind: "range", lo: 5, hi: 6 } as Filter]])).size).toBe(4);
  });
  it("turns a brush on a log axis into a value range", () => {
    const f = brushFilter(lr, logScale([1e-4, 1]), 0.5, 0.25); // either drag direction
    expect(f.kind).toBe("range");
    if (f.kind !== "range") return;
    expect(f.lo).toBeCloseTo(1e-3);
    expect(f.hi).toBeCloseTo(1e-2);
    expect(matching(sessions, axes, new Map([["h:lr", f]]))).toEqual(new Set(["a", "c", "d"]));
  });
  it("turns a brush on a categorical axis into the categories it covers", () => {
    expect(brushFilter(opt, categoryScale(opt.categories), 0, 0.4)).toEqual({ kind: "set", values: ["adam"] });
    expect(brushFilter(opt, categoryScale(opt.categories), 0.45, 0.9)).toEqual({ kind: "set", values: ["sgd", "true"] });
  });
  it("leaves a brush reaching an end of a numeric axis open on that side", () => {
    expect(brushFilter(acc, linearScale([0, 1]), 0.5, 1.2)).toEqual({ kind: "range", lo: 0.5, hi: Infinity });
    expect(brushFilter(acc, linearScale([0, 1]), 0, 0.25)).toEqual({ kind: "range", lo: -Infinity, hi: 0.25 });
  });
  it("draws a filter back where it was brushed", () => {
    const scale = linearScale([0, 1]);
    expect(brushExtent({ kind: "range", lo: 0.2, hi: 0.6 }, scale)).toEqual([0.2, 0.6]);
    expect(brushExtent({ kind: "range", lo: -Infinity, hi: 0.5 }, scale)).toEqual([0, 0.5]);
    expect(brushExtent({ kind: "range", lo: 0.5, hi: Infinity }, scale)).toEqual([0.5, 1]);
    expect(brushExtent({ kind: "range", lo: 0, hi: 0.1 }, logScale([0.001, 1]))?.[0]).toBe(0);
    const cats = categoryScale(["a", "b"]);
    expect(brushExtent({ kind: "set", values: ["b"] }, cats)).toEqual([0.5, 1]);
    expect(brushExtent({ kind: "set", values: [] }, cats)).toBeNull();
  });
});

describe("typed filters", () => {
  it("parses ranges, bounds and values on numeric columns", () => {
    expect(parseFilter("0.1..0.5", true)).toEqual({ kind: "range", lo: 0.1, hi: 0.5 });
    expect(parseFilter("5 .. 1e-3", true)).toEqual({ kind: "range", lo: 1e-3, hi: 5 });
    expect(parseFilter("> 0.5", true)).toEqual({ kind: "range", lo: 0.5, hi: Infinity });
    expect(parseFilter("<=-2", true)).toEqual({ kind: "range", lo: -Infinity, hi: -2 });
    expect(parseFilter("0.01", true)).toEqual({ kind: "range", lo: 0.01, hi: 0.01 });
    expect(parseFilter("  ", true)).toBeUndefined();
    expect(parseFilter("abc", true)).toBeNull();
  });
  it("matches terms as substrings on other columns", () => {
    const f = parseFilter("ad, tr", false);
    expect(f).toEqual({ kind: "text", terms: ["ad", "tr"] });
    expect(matching(sessions, axes, new Map([["h:opt", f as Filter]]))).toEqual(new Set(["a", "c", "d"]));
  });
  it("formats filters so that they parse back", () => {
    for (const f of [
      { kind: "range", lo: 0.1, hi: 0.5 },
      { kind: "range", lo: 0.5, hi: Infinity },
      { kind: "range", lo: -Infinity, hi: 2 },
      { kind: "range", lo: 3, hi: 3 },
    ] as Filter[]) {
      expect(parseFilter(formatFilter(f), true)).toEqual(f);
    }
    expect(formatFilter({ kind: "set", values: ["adam", "sgd"] })).toBe("adam, sgd");
  });
});
