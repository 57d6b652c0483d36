import { describe, expect, it } from "vitest";
import { formatDuration, formatValue } from "./format";

describe("format", () => {
  it("formats values compactly", () => {
    expect(formatValue(0.123456)).toBe("0.12346");
    expect(formatValue(1234567)).toBe("1.235e+6");
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(null)).toBe("–");
  });
  it("formats durations", () => {
    expect(formatDuration(7.5)).toBe("7.5s");
    expect(formatDuration(125)).toBe("2m 5s");
    expect(formatDuration(3 * 3600 + 240)).toBe("3h 4m");
    expect(formatDuration(90000)).toBe("1d 1h");
  });
});
