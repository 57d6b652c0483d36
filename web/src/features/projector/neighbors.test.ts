import { describe, expect, it } from "vitest";
import { nearestNeighbors } from "./neighbors";

// Five 2-D points: the query (0) at (1, 0).
const data = Float32Array.from([1, 0, 2, 0, 0, 1, 1, 0.1, -3, 0]);

describe("nearestNeighbors", () => {
  it("orders by euclidean distance, nearest first, excluding the query", () => {
    const found = nearestNeighbors(data, 5, 2, 0, 3, "euclidean");
    expect(found.map((x) => x.index)).toEqual([3, 1, 2]);
    expect(found[0]!.distance).toBeCloseTo(0.1, 6);
    expect(found[1]!.distance).toBeCloseTo(1, 6);
    expect(found[2]!.distance).toBeCloseTo(Math.SQRT2, 6);
  });

  it("orders by cosine distance (1 − cos), which ignores length", () => {
    const found = nearestNeighbors(data, 5, 2, 0, 4, "cosine");
    expect(found.map((x) => x.index)).toEqual([1, 3, 2, 4]);
    expect(found[0]!.distance).toBeCloseTo(0, 6);
    expect(found[2]!.distance).toBeCloseTo(1, 6);
    expect(found[3]!.distance).toBeCloseTo(2, 6);
  });
});
