import { describe, expect, it } from "vitest";
import { colorBy, MAX_CATEGORIES, hexToRgb } from "./colors";
import { parseMetadata } from "./metadata";
import { PALETTE } from "../../lib/colors";
import { parseBookmarks } from "./bookmarks";

describe("colorBy", () => {
  it("gives the most frequent value the first palette colour", () => {
    const column = parseMetadata("a\tb\nx\t1\ny\t1\ny\t1\n").columns[0]!;
    const coloring = colorBy(column, 3);
    expect(coloring.kind).toBe("categorical");
    expect(coloring.legend.map((e) => [e.label, e.count])).toEqual([["y", 2], ["x", 1]]);
    expect(Array.from(coloring.rgb.subarray(3, 6))).toEqual(hexToRgb(PALETTE[0]!));
    expect(Array.from(coloring.rgb.subarray(0, 3))).toEqual(hexToRgb(PALETTE[1]!));
  });

  it("uses a gradient for a numeric column with many values", () => {
    const text = "v\tw\n" + Array.from({ length: MAX_CATEGORIES + 5 }, (_, i) => `${i}\tq`).join("\n");
    const column = parseMetadata(text).columns[0]!;
    const coloring = colorBy(column, MAX_CATEGORIES + 5);
    expect(coloring.kind).toBe("gradient");
    expect(coloring.legend[0]!.label).toBe("0");
    expect(coloring.legend[2]!.label).toBe(String(MAX_CATEGORIES + 4));
  });
});

describe("parseBookmarks", () => {
  it("keeps label, selection, colour option and per-point coordinates; drops junk", () => {
    const raw = [{ label: "mine", selectedPoints: [1, 99], selectedColorOptionName: "word", selectedProjection: "pca", projections: [{ "pca-0": 1, "pca-1": 2 }, { "pca-0": 3, "pca-1": 4 }] }, 5];
    const [b, ...rest] = parseBookmarks(raw, 2);
    expect(rest).toEqual([]);
    expect(b!.label).toBe("mine");
    expect(b!.selected).toEqual([1]);
    expect(b!.colorBy).toBe("word");
    expect(b!.dims).toBe(2);
    expect(Array.from(b!.coords!)).toEqual([1, 2, 0, 3, 4, 0]);
    expect(parseBookmarks({ not: "a list" }, 2)).toEqual([]);
  });
});
