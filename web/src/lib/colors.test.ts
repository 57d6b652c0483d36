import { describe, expect, it } from "vitest";
import { PALETTE, hashName, runColor, withAlpha } from "./colors";

describe("run colours", () => {
  it("are stable for a name", () => {
    expect(runColor("train")).toBe(runColor("train"));
    expect(hashName("train")).toBe(hashName("train"));
  });
  it("come from the palette", () => {
    for (const name of ["a", "b", "run_17", "lr=0.1/seed=3"]) {
      expect(PALETTE).toContain(runColor(name));
    }
  });
  it("spread similar names over the palette", () => {
    const colours = new Set(Array.from({ length: 50 }, (_, i) => runColor(`run${i}`)));
    expect(colours.size).toBeGreaterThan(PALETTE.length / 2);
  });
  it("take an alpha suffix", () => {
    expect(withAlpha("#000000", 1)).toBe("#000000ff");
    expect(withAlpha("#000000", 0)).toBe("#00000000");
  });
});
