import { describe, expect, it } from "vitest";
import { mix, themedColor } from "./colors";

describe("colour mixing", () => {
  it("goes from the first colour to the second", () => {
    expect(mix("#000000", "#ffffff", 0)).toBe("#000000");
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(mix("#ff0000", "#0000ff", 2)).toBe("#0000ff");
  });
});

describe("themed run colours", () => {
  it("lift colours on dark cards only", () => {
    expect(themedColor("#1e40af", false)).toBe("#1e40af");
    expect(themedColor("#000000", true)).toBe("#383838");
  });
});
