import { describe, expect, it } from "vitest";
import { applySmoother } from "../../lib/smoothing";
import { smoothBand } from "./marginSmooth";

const BAND = { steps: [0, 1, 2, 3], value: [1, 5, null, 1], lower: [0, 4, 0, 0], upper: [2, 6, 2, 2] };

describe("smoothing margin charts", () => {
  it("returns the band untouched without smoothing", () => {
    expect(smoothBand(BAND, 0, "ema")).toBe(BAND);
  });
  it("smooths the value and both bounds with the dashboard's smoother, skipping missing points", () => {
    const smoothed = smoothBand(BAND, 0.6, "ema");
    const value = applySmoother([1, 5, 1], 0.6, "ema");
    expect(smoothed.value).toEqual([value[0], value[1], null, value[2]]);
    expect(smoothed.lower).toEqual(applySmoother([0, 4, 0, 0], 0.6, "ema"));
    expect(smoothed.upper[1]).toBeLessThan(6);
    expect(smoothed.steps).toBe(BAND.steps);
  });
  it("uses the smoother asked for", () => {
    expect(smoothBand(BAND, 0.6, "centered").lower).toEqual(applySmoother([0, 4, 0, 0], 0.6, "centered"));
  });
});
