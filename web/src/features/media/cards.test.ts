import { describe, expect, it } from "vitest";
import { groupMediaCards, hasUnknownTag } from "./cards";

const series = [
  { run: "b", tag: "val/img10", samples: 1 },
  { run: "a", tag: "val/img2", samples: 2 },
  { run: "a", tag: "val/img10", samples: 1 },
  { run: "a", tag: "train", samples: 1 },
  { run: "c", tag: "train", samples: 1 },
];

describe("groupMediaCards", () => {
  it("makes one card per run, tag and sample, grouped by prefix in natural order", () => {
    const groups = groupMediaCards(series, new Set(["a", "b", "c"]), () => true);
    expect(groups.map((g) => g.name)).toEqual(["train", "val"]);
    const val = groups[1]?.cards.map((c) => `${c.tag}|${c.run}|${c.sample}`);
    expect(val).toEqual(["val/img2|a|0", "val/img2|a|1", "val/img10|a|0", "val/img10|b|0"]);
    expect(groups[1]?.cards[0]?.samples).toBe(2);
  });
  it("orders runs as the run selector does, by name, not number-aware", () => {
    const runs = [
      { run: "lr=0.1", tag: "x", samples: 1 },
      { run: "lr=0.03", tag: "x", samples: 1 },
    ];
    const cards = groupMediaCards(runs, new Set(["lr=0.1", "lr=0.03"]), () => true)[0]?.cards ?? [];
    expect(cards.map((c) => c.run)).toEqual(["lr=0.03", "lr=0.1"]);
  });
  it("leaves out runs not shown and tags the filter rejects", () => {
    const groups = groupMediaCards(series, new Set(["a"]), (tag) => tag.includes("10"));
    expect(groups).toEqual([
      { name: "val", cards: [{ run: "a", tag: "val/img10", sample: 0, samples: 1, id: "a\u0000val/img10\u00000" }] },
    ]);
  });
  it("gives no groups when nothing is shown", () => {
    expect(groupMediaCards(series, new Set(), () => true)).toEqual([]);
  });
});

describe("hasUnknownTag", () => {
  it("is true only for tags neither this listing nor the scalars listing knows", () => {
    const known = new Set(["img"]);
    const scalars = new Map([["loss", ["a"]]]);
    expect(hasUnknownTag(["img", "loss"], known, scalars)).toBe(false);
    expect(hasUnknownTag(["loss", "new/img"], known, scalars)).toBe(true);
    expect(hasUnknownTag([], known, scalars)).toBe(false);
  });
});
