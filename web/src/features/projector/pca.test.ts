import { describe, expect, it } from "vitest";
import { covariance, columnMeans, pca, symmetricEigen } from "./pca";

describe("symmetricEigen", () => {
  it("finds the known eigenpairs of a 2 × 2 matrix, largest first, largest entry positive", () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 (along [1, 1]) and 1 (along [1, -1]).
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(Array.from(vectors[0]!)).toEqual([expect.closeTo(Math.SQRT1_2, 10), expect.closeTo(Math.SQRT1_2, 10)]);
    expect(Math.abs(vectors[1]![0]!)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeCloseTo(-0.5, 10);
  });

  it("reconstructs a random symmetric matrix from its eigenpairs", () => {
    const d = 12;
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) m[i * d + j] = m[j * d + i] = Math.sin(i * 7 + j * 3);
    const { values, vectors } = symmetricEigen(m, d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        const sum = values.reduce((s, v, k) => s + v * vectors[k]![i]! * vectors[k]![j]!, 0);
        expect(sum).toBeCloseTo(m[i * d + j]!, 8);
      }
  });
});

describe("pca", () => {
  it("recovers the direction of the largest spread and the variance it explains", () => {
    // Points on the line y = 2x (plus a small orthogonal jitter), in 3-D with z constant.
    const n = 1001;
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = i / 100 - 5;
      const e = (i % 2 === 0 ? 1 : -1) * 0.01;
      data.set([t - 2 * e, 2 * t + e, 7], i * 3);
    }
    const result = pca(data, n, 3, 2);
    const c = result.components[0]!;
    expect(c[0]!).toBeCloseTo(1 / Math.sqrt(5), 4);
    expect(c[1]!).toBeCloseTo(2 / Math.sqrt(5), 4);
    expect(c[2]!).toBeCloseTo(0, 6);
    expect(result.variances[0]! / result.total).toBeGreaterThan(0.9999);
    // The first coordinate of a point is its centred projection on that direction.
    expect(result.coords[0]!).toBeCloseTo(-5 * Math.sqrt(5), 2);
    expect(result.coords.length).toBe(n * 2);
  });

  it("computes the same covariance with the 4-row blocked pass as the textbook formula", () => {
    const n = 7, d = 3; // 7 = one block of 4 + 3 leftover rows
    const data = Float32Array.from({ length: n * d }, (_, i) => Math.cos(i * 1.3) * 10);
    const mean = columnMeans(data, n, d);
    const cov = covariance(data, n, d, mean);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += (data[r * d + a]! - mean[a]!) * (data[r * d + b]! - mean[b]!);
        expect(cov[a * d + b]!).toBeCloseTo(s / (n - 1), 4);
      }
  });
});
