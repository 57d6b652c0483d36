import { describe, expect, it } from "vitest";
import { settingsFor } from "./settingsScope";

describe("settingsFor", () => {
  it("shows every setting on scalars", () => {
    expect([...settingsFor("scalars")]).toEqual(["smoothing", "xAxis", "scale", "tooltip", "cards", "zoom"]);
  });

  it("hides scalar-only settings elsewhere", () => {
    expect([...settingsFor("histograms")]).toEqual(["xAxis", "cards"]);
    expect(settingsFor("images").has("smoothing")).toBe(false);
    expect(settingsFor("images").has("cards")).toBe(true);
    expect(settingsFor("table").size).toBe(0);
    expect(settingsFor("unknown").size).toBe(0);
  });
});
