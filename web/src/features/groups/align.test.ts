import { describe, expect, it } from "vitest";
import { alignLines, groupTitle, runsParam } from "./align";

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
  it("sends no run list when every run is shown, and refuses lists too long for a URL", () => {
    expect(runsParam(new Set(["a", "b"]), 2)).toBeNull();
    expect(runsParam(new Set(["b", "a"]), 3)).toEqual(["a", "b"]);
    expect(runsParam(new Set(["a".repeat(50)]), 3, 20)).toBe("too-many");
  });
});
