import { describe, expect, it } from "vitest";
import { groupSeries } from "./grouping";
import { seriesToShow } from "./tags";

describe("histogram cards", () => {
  it("are one per (run, tag), grouped by prefix, in natural order", () => {
    const groups = groupSeries([
      { run: "b", tag: "w/layer10" },
      { run: "a", tag: "w/layer2" },
      { run: "a", tag: "act" },
      { run: "a", tag: "w/layer10" },
    ]);
    expect(groups).toEqual([
      { name: "act", series: [{ run: "a", tag: "act" }] },
      {
        name: "w",
        series: [
          { run: "a", tag: "w/layer2" },
          { run: "a", tag: "w/layer10" },
          { run: "b", tag: "w/layer10" },
        ],
      },
    ]);
  });
  it("show only selected runs and tags matching the filter", () => {
    const byRun = new Map([
      ["a", ["w", "b"]],
      ["b", ["w"]],
    ]);
    expect(seriesToShow(byRun, new Set(["a"]), (t) => t === "w")).toEqual([{ run: "a", tag: "w" }]);
  });
});
