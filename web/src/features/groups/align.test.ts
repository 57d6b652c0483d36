import { describe, expect, it } from "vitest";
import { alignLines, groupRunParams, groupTitle } from "./align";

describe("aligning group lines", () => {
  it("puts every line on the union of x values, null where a line has no point", () => {
    const { xs, columns } = alignLines([
      { xs: [0, 10, 20], ys: [1, 2, 3] },
      { xs: [10, 30], ys: [5, Number.NaN] },
    ]);
    expect(xs).toEqual([0, 10, 20, 30]);
    expect(columns).toEqual([
      [1, 2, 3, null],
      [null, 5, null, null],
    ]);
  });
});

describe("group titles and runs", () => {
  it("names the group and counts its runs", () => {
    expect(groupTitle("lr=0.1", 3)).toBe("lr=0.1 · 3 runs");
    expect(groupTitle("", 1)).toBe("(empty) · 1 run");
  });
  it("sends the filter as a regex and the selection as run or exclude names that match it", () => {
    const matches = (run: string): boolean => run.includes("a");
    expect(groupRunParams({ kind: "all" }, "", matches)).toEqual({});
    expect(groupRunParams({ kind: "all" }, "A", matches)).toEqual({ regex: "(?i)A" });
    expect(groupRunParams({ kind: "only", runs: new Set(["ba", "aa", "b"]) }, "a", matches)).toEqual({
      regex: "(?i)a",
      runs: ["aa", "ba"],
    });
    expect(groupRunParams({ kind: "except", runs: new Set(["b", "ab"]) }, "a", matches)).toEqual({
      regex: "(?i)a",
      exclude: ["ab"],
    });
    expect(groupRunParams({ kind: "except", runs: new Set(["b"]) }, "a", matches)).toEqual({ regex: "(?i)a" });
  });
  it("says when nothing is shown or a hand-picked list is too long for a URL", () => {
    expect(groupRunParams({ kind: "only", runs: new Set(["b"]) }, "a", (r) => r.includes("a"))).toBe("none");
    expect(groupRunParams({ kind: "only", runs: new Set() }, "", () => true)).toBe("none");
    expect(groupRunParams({ kind: "except", runs: new Set(["a".repeat(50)]) }, "", () => true, 20)).toBe("too-many");
  });
});
