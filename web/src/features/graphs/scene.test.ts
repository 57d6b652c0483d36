import { describe, expect, it } from "vitest";
import { formatStat, heatFill, opFill } from "./scene";

describe("colours", () => {
  it("gives each op type one stable fill", () => {
    expect(opFill("MatMul")).toBe(opFill("MatMul"));
    expect(opFill("MatMul")).not.toBe(opFill("Relu"));
  });

  it("runs the heat scale from yellow to red and greys out ops without a value", () => {
    expect(heatFill(0, 100)).toBe(heatFill(5, 0));
    expect(heatFill(100, 100)).toMatch(/^hsla\(0,/);
    expect(heatFill(1, 100)).toMatch(/^hsla\(45,/);
  });
});

describe("formatStat", () => {
  it("formats compute time and memory for people", () => {
    expect(formatStat("compute", 340)).toBe("340 µs");
    expect(formatStat("compute", 1500)).toBe("1.5 ms");
    expect(formatStat("memory", 512)).toBe("512 B");
    expect(formatStat("memory", 16384)).toBe("16.0 KB");
  });
});
