import { describe, expect, it } from "vitest";
import { colorFor, MISSING_COLOR, viridis } from "./colors";

const lightness = (rgb: string): number => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe("the colour scale", () => {
  it("runs from viridis' dark purple to its yellow", () => {
    expect(viridis(0)).toBe("rgb(68, 1, 84)");
    expect(viridis(1)).toBe("rgb(253, 231, 37)");
  });
  it("rises in lightness monotonically (perceptual order)", () => {
    let previous = -1;
    for (let t = 0; t <= 1.0001; t += 0.05) {
      const l = lightness(viridis(t));
      expect(l).toBeGreaterThan(previous);
      previous = l;
    }
  });
  it("clamps, and leaves out the end each theme's page would swallow", () => {
    expect(viridis(-1)).toBe(viridis(0));
    expect(viridis(2)).toBe(viridis(1));
    expect(lightness(colorFor(0, true))).toBeGreaterThan(lightness(viridis(0)) + 20);
    expect(colorFor(1, true)).toBe(viridis(1));
    expect(colorFor(0, false)).toBe(viridis(0));
    expect(lightness(colorFor(1, false))).toBeLessThan(lightness(viridis(1)) - 10);
  });
  it("greys out missing values", () => {
    expect(colorFor(null, false)).toBe(MISSING_COLOR);
    expect(viridis(Number.NaN)).toBe(MISSING_COLOR);
  });
});
