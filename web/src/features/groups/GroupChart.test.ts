import { describe, expect, it } from "vitest";
import type { RunGroupLine } from "../../api/runs";
import { groupsAtStep, groupTooltipHtml, nearestIndex } from "./GroupChart";

const GROUPS: RunGroupLine[] = [
  { label: "opt=adam", runs: ["a", "b"], series: [{ tag: "loss", steps: [0, 10, 20], center: [3, 2, 1], lower: [2.5, 1.5, 0.5], upper: [3.5, 2.5, 1.5], count: [2, 2, 1] }] },
  { label: "opt=sgd", runs: ["c"], series: [{ tag: "loss", steps: [0, 10], center: [4, 3.5], lower: [4, 3.5], upper: [4, 3.5], count: [1, 1] }] },
];

describe("the group chart's tooltip", () => {
  it("finds the nearest grid step on either side", () => {
    expect(nearestIndex([0, 10, 20], 4)).toBe(0);
    expect(nearestIndex([0, 10, 20], 6)).toBe(1);
    expect(nearestIndex([0, 10, 20], 99)).toBe(2);
    expect(nearestIndex([], 3)).toBe(-1);
  });
  it("lists each group's centre, band and member count at the hovered step", () => {
    expect(groupsAtStep(GROUPS, "loss", 19)).toEqual([
      { label: "opt=adam", step: 20, center: 1, lower: 0.5, upper: 1.5, count: 1 },
      { label: "opt=sgd", step: 10, center: 3.5, lower: 3.5, upper: 3.5, count: 1 },
    ]);
    expect(groupsAtStep(GROUPS, "acc", 10)).toEqual([]);
  });
  it("names the centre and band kinds and escapes group labels", () => {
    const html = groupTooltipHtml([{ label: "<b>", step: 10, center: 2, lower: 1, upper: 3, count: 2 }], { center: "median", band: "std" });
    expect(html).toContain("step 10");
    expect(html).toContain("<th>median</th>");
    expect(html).toContain("± std");
    expect(html).toContain("&#60;b&#62;");
    expect(groupTooltipHtml([], { center: "mean", band: "none" })).not.toContain("…");
  });
});
