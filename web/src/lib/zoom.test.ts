import { describe, expect, it } from "vitest";
import { MAX_ZOOM_FACTOR, zoomFactor } from "./zoom";

describe("zoomFactor", () => {
  it("is 1 when not zoomed or for nonsense", () => {
    expect(zoomFactor(1)).toBe(1);
    expect(zoomFactor(0)).toBe(1);
    expect(zoomFactor(Number.NaN)).toBe(1);
  });
  it("rounds the magnification up to a power of two", () => {
    expect(zoomFactor(0.5)).toBe(2);
    expect(zoomFactor(0.3)).toBe(4);
    expect(zoomFactor(0.01)).toBe(128);
  });
  it("is capped", () => {
    expect(zoomFactor(1e-9)).toBe(MAX_ZOOM_FACTOR);
  });
});
