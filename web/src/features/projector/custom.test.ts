import { describe, expect, it } from "vitest";
import { customAxes, customProjection } from "./custom";
import { columnMeans } from "./pca";
import { fitPositions, sampleRows } from "./layout";
import { pointFlags, FLAG_DIM, FLAG_MATCH, FLAG_SELECTED } from "./flags";

// Four 3-D points: two "left" near -x, two "right" near +x; "down"/"up" differ in y and a bit in x.
const data = Float32Array.from([-1, 0, 0, -1, 1, 0, 1, 0, 0, 1, 1, 0]);

describe("custom projection", () => {
  it("puts x along the direction from the left centroid to the right one", () => {
    const axes = customAxes(data, 3, [0, 1], [2, 3], [], []);
    expect(Array.from(axes.x!)).toEqual([1, 0, 0]);
    expect(axes.y).toBeNull();
    const coords = customProjection(data, 4, 3, columnMeans(data, 4, 3), axes);
    expect(Array.from(coords)).toEqual([-1, 0, -1, 0, 1, 0, 1, 0]);
  });

  it("makes the y axis orthogonal to x", () => {
    // down = point 0 (-1, 0), up = point 3 (1, 1): raw direction (2, 1) → after removing x, (0, 1).
    const axes = customAxes(data, 3, [0, 1], [2, 3], [0], [3]);
    expect(axes.y![0]!).toBeCloseTo(0, 10);
    expect(axes.y![1]!).toBeCloseTo(1, 10);
  });
});

describe("layout", () => {
  it("fits coordinates into [-1, 1] keeping the aspect ratio, NaN for points not placed", () => {
    const positions = fitPositions([0, 0, 4, 2], 2, 3, Uint32Array.from([0, 2]));
    expect(Array.from(positions.subarray(0, 3))).toEqual([-1, -0.5, 0]);
    expect(Number.isNaN(positions[3]!)).toBe(true);
    expect(Array.from(positions.subarray(6, 9))).toEqual([1, 0.5, 0]);
  });

  it("samples a fixed number of distinct sorted rows, the same for the same seed", () => {
    const a = sampleRows(1000, 50, 7)!;
    expect(a.length).toBe(50);
    expect(new Set(a).size).toBe(50);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(sampleRows(1000, 50, 7)!)).toEqual(Array.from(a));
    expect(sampleRows(10, 50, 7)).toBeNull();
  });

  it("dims everything outside the search and the selection", () => {
    const flags = pointFlags(4, [1], [], 3, null);
    expect(Array.from(flags)).toEqual([FLAG_DIM, FLAG_MATCH, FLAG_DIM, FLAG_SELECTED]);
    expect(Array.from(pointFlags(2, null, [], null, null))).toEqual([0, 0]);
  });
});
