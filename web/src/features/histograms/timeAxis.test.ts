import { describe, expect, it } from "vitest";
import { formatTime, timeValues } from "./timeAxis";

describe("histogram time axis", () => {
  const points = [
    { step: 10, wallTime: 100 },
    { step: 20, wallTime: 160 },
  ];
  it("places steps by step, relative or wall time", () => {
    expect(timeValues(points, "step")).toEqual([10, 20]);
    expect(timeValues(points, "relative")).toEqual([0, 60]);
    expect(timeValues(points, "wall")).toEqual([100, 160]);
  });
  it("prints each kind", () => {
    expect(formatTime("step", 20)).toBe("20");
    expect(formatTime("relative", 60)).toBe("1m 0s");
  });
});
