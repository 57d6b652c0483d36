import { describe, expect, it } from "vitest";
import { affinities, calibrate, rng, Tsne } from "./tsne";
import { allNearestNeighbors } from "./tsneKnn";

/** n points in d dims around `clusters` centres 10 apart (a fixed pseudo-random jitter). */
function blobs(n: number, d: number, clusters: number, seed = 3): Float32Array {
  const random = rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (j === i % clusters ? 10 : 0) + (random() - 0.5);
  return data;
}

function entry(p: ReturnType<typeof affinities>, i: number, j: number): number {
  for (let e = p.offsets[i]!; e < p.offsets[i + 1]!; e++) if (p.cols[e] === j) return p.p[e]!;
  return 0;
}

describe("t-SNE affinities", () => {
  it("finds the exact k nearest neighbours of every point, nearest first", () => {
    const n = 60, d = 4, k = 7;
    const data = blobs(n, d, 3);
    const knn = allNearestNeighbors(data, n, d, k);
    for (let i = 0; i < n; i++) {
      const all = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let c = 0; c < d; c++) s += (data[i * d + c]! - data[j * d + c]!) ** 2;
        all.push({ j, s });
      }
      all.sort((a, b) => a.s - b.s);
      expect(Array.from(knn.distances.subarray(i * k, i * k + k))).toEqual(all.slice(0, k).map((x) => expect.closeTo(x.s, 5)));
    }
  });

  it("are symmetric, non-negative and sum to 1", () => {
    const n = 200, d = 6;
    const p = affinities(blobs(n, d, 4), n, d, 10);
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let e = p.offsets[i]!; e < p.offsets[i + 1]!; e++) {
        const j = p.cols[e]!;
        expect(j).not.toBe(i);
        expect(p.p[e]!).toBeGreaterThanOrEqual(0);
        expect(entry(p, j, i)).toBeCloseTo(p.p[e]!, 12);
        total += p.p[e]!;
      }
    }
    expect(total).toBeCloseTo(1, 10);
  });

  it("calibrate each point's conditional distribution to the requested perplexity", () => {
    const n = 300, d = 5, perplexity = 8, k = 24;
    const knn = allNearestNeighbors(blobs(n, d, 3), n, d, k);
    const w = new Float64Array(k);
    for (let i = 0; i < n; i += 17) {
      calibrate(knn.distances, i * k, k, Math.log(perplexity), w);
      let h = 0, total = 0;
      for (const v of w) {
        total += v;
        if (v > 0) h -= v * Math.log(v);
      }
      expect(total).toBeCloseTo(1, 12);
      expect(Math.exp(h)).toBeCloseTo(perplexity, 3);
    }
  });
});

describe("Barnes-Hut t-SNE", () => {
  for (const dims of [2, 3] as const) {
    it(`matches the exact gradient within 2% in ${dims}-D (θ = 0.5)`, () => {
      const n = 400, d = 8;
      const tsne = new Tsne(n, affinities(blobs(n, d, 5), n, d, 15), { dims, perplexity: 15, learningRate: 100, seed: 7 });
      for (let i = 0; i < 60; i++) tsne.step(); // a spread-out, structured layout
      const exact = new Float64Array(n * dims), bh = new Float64Array(n * dims);
      tsne.gradient(exact, 1, 0);
      tsne.gradient(bh, 1, 0.5);
      let err = 0, norm = 0;
      for (let i = 0; i < exact.length; i++) {
        err += (exact[i]! - bh[i]!) ** 2;
        norm += exact[i]! ** 2;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(0.02);
      // θ → 0 opens every cell: the tree gives the exact gradient.
      tsne.gradient(bh, 1, 1e-9);
      for (let i = 0; i < exact.length; i++) expect(bh[i]).toBeCloseTo(exact[i]!, 9);
    });
  }

  it("copes with duplicate points (no infinite subdivision, finite gradient)", () => {
    const n = 50, d = 3;
    const data = new Float32Array(n * d); // all identical
    const tsne = new Tsne(n, affinities(data, n, d, 5), { dims: 2, perplexity: 5, learningRate: 10, seed: 1, theta: 0.5 });
    tsne.y.fill(0.5);
    tsne.step();
    for (const v of tsne.y) expect(Number.isFinite(v)).toBe(true);
  });

  for (const [dims, clusters] of [[2, 2], [3, 3]] as const) {
    it(`keeps ${clusters} well-separated clusters apart in ${dims}-D`, () => {
      const n = 300, d = 10;
      const data = blobs(n, d, clusters);
      const tsne = new Tsne(n, affinities(data, n, d, 20), { dims, perplexity: 20, learningRate: 50, seed: 1, exaggerationIterations: 100, theta: 0.5 });
      for (let i = 0; i < 400; i++) tsne.step();
      const centres = Array.from({ length: clusters }, () => new Float64Array(dims));
      for (let i = 0; i < n; i++) for (let c = 0; c < dims; c++) centres[i % clusters]![c]! += tsne.y[i * dims + c]! / (n / clusters);
      const dist = (i: number, centre: Float64Array): number => Math.hypot(...Array.from(centre, (v, c) => tsne.y[i * dims + c]! - v));
      let spread = 0;
      for (let i = 0; i < n; i++) spread = Math.max(spread, dist(i, centres[i % clusters]!));
      for (let a = 0; a < clusters; a++) {
        for (let b = a + 1; b < clusters; b++) {
          const between = Math.hypot(...Array.from(centres[a]!, (v, c) => v - centres[b]![c]!));
          expect(between).toBeGreaterThan(2 * spread);
        }
      }
    });
  }
});
