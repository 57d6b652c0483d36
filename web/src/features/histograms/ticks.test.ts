import { describe, expect, it } from "vitest";
import { niceTicks } from "./ticks";

describe("nice ticks", () => {
  it("use steps of 1, 2 or 5 times a power of ten", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.33, 0.71, 4)).toEqual([-0.2, 0, 0.2, 0.4, 0.6]);
    expect(niceTicks(0, 49, 4)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 49, 2)).toEqual([0, 20, 40]);
  });
  it("give one tick for an empty span and none for nonsense", () => {
    expect(niceTicks(3, 3, 4)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1, 4)).toEqual([]);
  });
});
