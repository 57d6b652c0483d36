import { describe, expect, it } from "vitest";
import { formatClipTime, peaks } from "./waveform";

describe("peaks", () => {
  it("keeps each column's lowest and highest sample", () => {
    const p = peaks([0, 1, -1, 0.5, 0.25, -0.5], 3);
    expect([...p.min]).toEqual([0, -1, -0.5]);
    expect([...p.max]).toEqual([1, 0.5, 0.25]);
  });
  it("keeps a one-sample spike however many samples a column covers", () => {
    const samples = new Float32Array(10_000);
    samples[4321] = 0.9;
    const p = peaks(samples, 7);
    expect(Math.max(...p.max)).toBeCloseTo(0.9);
  });
  it("spreads fewer samples than columns over several columns", () => {
    const p = peaks([0.5, -0.5], 4);
    expect([...p.max]).toEqual([0.5, 0.5, -0.5, -0.5]);
  });
  it("is empty for no samples or no columns", () => {
    expect(peaks([], 5).min.length).toBe(5);
    expect(peaks([1], 0).max.length).toBe(0);
  });
});

describe("formatClipTime", () => {
  it("shows minutes, seconds and tenths", () => {
    expect(formatClipTime(1)).toBe("0:01.0");
    expect(formatClipTime(75.25)).toBe("1:15.3");
    expect(formatClipTime(Number.NaN)).toBe("–");
  });
});
