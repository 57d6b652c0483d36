import { describe, expect, it } from "vitest";
import type { LayoutCategory } from "../../api/customScalars";
import { anchored, filterLayout, invalidPatterns, marginBand, matchingTags, multilineLines } from "./layout";

describe("tag regexes", () => {
  it("match from the start of the tag, like Python's re.match", () => {
    const tags = ["loss/train", "loss/val", "val/loss", "lossy", "accuracy"];
    expect(matchingTags(["loss/"], tags)).toEqual(["loss/train", "loss/val"]);
    expect(matchingTags(["loss"], tags)).toEqual(["loss/train", "loss/val", "lossy"]);
    expect(matchingTags([".*loss"], tags)).toEqual(["loss/train", "loss/val", "lossy", "val/loss"]);
    expect(matchingTags(["loss/val$", "acc"], tags)).toEqual(["accuracy", "loss/val"]);
  });

  it("an alternation is anchored as a whole, not only its first branch", () => {
    expect(anchored("a|b")?.test("xb")).toBe(false);
    expect(anchored("a|b")?.test("b1")).toBe(true);
  });

  it("invalid and empty patterns match nothing and are reported", () => {
    expect(anchored("(")).toBeNull();
    expect(anchored("")).toBeNull();
    expect(matchingTags(["(", ""], ["(x", "y"])).toEqual([]);
    expect(invalidPatterns(["ok", "(", "["])).toEqual(["(", "["]);
  });
});

describe("multilineLines", () => {
  const scalarTags = new Map([
    ["loss/train", ["b", "a"]],
    ["loss/val", ["a"]],
    ["acc", ["a", "b"]],
  ]);

  it("one matching tag: lines are named by run, as on the scalars dashboard", () => {
    const lines = multilineLines(["loss/train"], scalarTags, new Set(["a", "b"]));
    expect(lines.map((l) => l.label)).toEqual(["a", "b"]);
  });

  it("several tags: lines are named by run and tag; hidden runs are left out", () => {
    const lines = multilineLines(["loss/"], scalarTags, new Set(["a"]));
    expect(lines).toEqual([
      { run: "a", tag: "loss/train", label: "a: loss/train" },
      { run: "a", tag: "loss/val", label: "a: loss/val" },
    ]);
  });

  it("a tag no shown run has does not make the others' labels longer", () => {
    const lines = multilineLines(["loss/"], scalarTags, new Set(["b"]));
    expect(lines).toEqual([{ run: "b", tag: "loss/train", label: "b" }]);
  });
});

describe("marginBand", () => {
  it("puts the bounds on the value's steps, null where a bound has no point", () => {
    const band = marginBand(
      { steps: [0, 1, 2], values: [1, 2, Number.NaN] },
      { steps: [0, 2], values: [0.5, 1.5] },
      { steps: [0, 1, 2], values: [1.5, 2.5, Number.POSITIVE_INFINITY] },
    );
    expect(band).toEqual({
      steps: [0, 1, 2],
      value: [1, 2, null],
      lower: [0.5, null, 1.5],
      upper: [1.5, 2.5, null],
    });
  });

  it("a run without bound series draws its value alone", () => {
    const band = marginBand({ steps: [3], values: [7] }, undefined, undefined);
    expect(band.lower).toEqual([null]);
    expect(band.value).toEqual([7]);
  });
});

describe("filterLayout", () => {
  const layout: LayoutCategory[] = [
    {
      title: "A",
      closed: false,
      charts: [
        { kind: "multiline", title: "losses", tags: ["loss/"] },
        { kind: "margin", title: "band", series: [{ value: "acc", lower: "acc_lo", upper: "acc_hi" }] },
      ],
    },
    { title: "B", closed: true, charts: [{ kind: "multiline", title: "other", tags: ["x"] }] },
  ];

  it("keeps charts whose title or tags match, and drops categories left empty", () => {
    const re = (source: string) => (text: string) => new RegExp(source, "i").test(text);
    expect(filterLayout(layout, re("acc_hi")).map((c) => [c.title, c.charts.map((x) => x.title)])).toEqual([["A", ["band"]]]);
    expect(filterLayout(layout, re("OTHER")).map((c) => c.title)).toEqual(["B"]);
    expect(filterLayout(layout, () => true)).toEqual(layout);
  });
});
