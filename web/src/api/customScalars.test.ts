import { describe, expect, it } from "vitest";
import { decodeLayout } from "./customScalars";

describe("decodeLayout", () => {
  it("reads categories, multiline and margin charts from the proto JSON", () => {
    const layout = decodeLayout({
      category: [
        {
          title: "Losses",
          closed: true,
          chart: [
            { title: "all", multiline: { tag: ["loss/", "val/loss$"] } },
            { title: "", margin: { series: [{ value: "acc", lower: "acc_lo", upper: "acc_hi" }] } },
            { title: "neither" },
          ],
        },
        { title: "Empty" },
      ],
    });
    expect(layout).toEqual([
      {
        title: "Losses",
        closed: true,
        charts: [
          { kind: "multiline", title: "all", tags: ["loss/", "val/loss$"] },
          { kind: "margin", title: "untitled", series: [{ value: "acc", lower: "acc_lo", upper: "acc_hi" }] },
        ],
      },
      { title: "Empty", closed: false, charts: [] },
    ]);
  });

  it("an empty answer (no layout written) has no categories", () => {
    expect(decodeLayout({})).toEqual([]);
  });
});
