/**
 * Exact-gradient t-SNE (van der Maaten & Hinton 2008) for up to ~10,000 points, written here because
 * no maintained npm package exists (tsne-js and tsne were last published years ago). Input
 * affinities are sparse — each point's 3·perplexity nearest neighbours, perplexity matched by
 * binary search on the Gaussian bandwidth — and the repulsive term is computed exactly over all
 * pairs: O(n²) per iteration, about 0.1 s at 10,000 points, fine in a worker that reports progress
 * and yields between iterations so it can be stopped.
 */
import { nearestNeighbors } from "./neighbors";

export interface TsneOptions {
  dims: 2 | 3;
  perplexity: number;
  learningRate: number;
  seed: number;
}

/** A tiny seeded PRNG (mulberry32), so the same data and options give the same layout. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Symmetric sparse P as (i, j, p) triples, p summing to 1. */
export function affinities(data: Float32Array, n: number, d: number, perplexity: number): { rows: Int32Array; cols: Int32Array; p: Float64Array } {
  const k = Math.min(n - 1, Math.max(1, Math.floor(3 * perplexity)));
  const target = Math.log(Math.min(perplexity, k));
  const pairs = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const nb = nearestNeighbors(data, n, d, i, k, "euclidean");
    const d2 = nb.map((x) => x.distance * x.distance);
    let beta = 1, lo = 0, hi = Infinity;
    let w: number[] = [];
    for (let iter = 0; iter < 64; iter++) {
      const min = d2[0] ?? 0;
      w = d2.map((v) => Math.exp(-(v - min) * beta));
      const sum = w.reduce((a, b) => a + b, 0) || 1e-12;
      let h = 0;
      for (let j = 0; j < w.length; j++) h += (beta * (d2[j]! - min) * w[j]!) / sum;
      h += Math.log(sum);
      if (Math.abs(h - target) < 1e-5) break;
      if (h > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    const sum = w.reduce((a, b) => a + b, 0) || 1e-12;
    nb.forEach((x, j) => {
      const v = w[j]! / sum / (2 * n);
      const a = Math.min(i, x.index), b = Math.max(i, x.index);
      const key = a * n + b;
      pairs.set(key, (pairs.get(key) ?? 0) + v);
    });
  }
  const rows = new Int32Array(pairs.size * 2), cols = new Int32Array(pairs.size * 2), p = new Float64Array(pairs.size * 2);
  let at = 0;
  for (const [key, v] of pairs) {
    const a = Math.floor(key / n), b = key - a * n;
    rows[at] = a; cols[at] = b; p[at++] = v;
    rows[at] = b; cols[at] = a; p[at++] = v;
  }
  return { rows, cols, p };
}

/** The optimiser's state: call `step()` repeatedly; `y` holds the current n × dims layout. */
export class Tsne {
  readonly y: Float64Array;
  iteration = 0;
  private readonly gains: Float64Array;
  private readonly update: Float64Array;
  private readonly grad: Float64Array;

  constructor(
    private readonly n: number,
    private readonly p: { rows: Int32Array; cols: Int32Array; p: Float64Array },
    private readonly options: TsneOptions,
  ) {
    const random = rng(options.seed);
    const size = n * options.dims;
    this.y = new Float64Array(size);
    for (let i = 0; i < size; i++) this.y[i] = (random() - 0.5) * 1e-2;
    this.gains = new Float64Array(size).fill(1);
    this.update = new Float64Array(size);
    this.grad = new Float64Array(size);
  }

  /** One gradient step (early exaggeration ×12 for the first 100, momentum 0.5 then 0.8). */
  step(): void {
    const { n, y, grad } = this;
    const dims = this.options.dims;
    const exaggeration = this.iteration < 100 ? 12 : 1;
    grad.fill(0);
    // Repulsion over all pairs; accumulate Z = Σ q_ij unnormalised.
    let z = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dist = 0;
        for (let c = 0; c < dims; c++) {
          const diff = y[i * dims + c]! - y[j * dims + c]!;
          dist += diff * diff;
        }
        const q = 1 / (1 + dist);
        z += 2 * q;
        const q2 = q * q;
        for (let c = 0; c < dims; c++) {
          const f = q2 * (y[i * dims + c]! - y[j * dims + c]!);
          grad[i * dims + c]! -= f;
          grad[j * dims + c]! += f;
        }
      }
    }
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! / z;
    const { rows, cols, p } = this.p;
    for (let e = 0; e < p.length; e++) {
      const i = rows[e]!, j = cols[e]!;
      let dist = 0;
      for (let c = 0; c < dims; c++) {
        const diff = y[i * dims + c]! - y[j * dims + c]!;
        dist += diff * diff;
      }
      const f = (exaggeration * p[e]!) / (1 + dist);
      for (let c = 0; c < dims; c++) grad[i * dims + c]! += f * (y[i * dims + c]! - y[j * dims + c]!);
    }
    const momentum = this.iteration < 250 ? 0.5 : 0.8;
    const eta = this.options.learningRate;
    for (let i = 0; i < y.length; i++) {
      const g = 4 * grad[i]!;
      const sameSign = Math.sign(g) === Math.sign(this.update[i]!);
      this.gains[i] = Math.max(0.01, sameSign ? this.gains[i]! * 0.8 : this.gains[i]! + 0.2);
      this.update[i] = momentum * this.update[i]! - eta * this.gains[i]! * g;
      y[i]! += this.update[i]!;
    }
    // Keep the layout centred.
    for (let c = 0; c < dims; c++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += y[i * dims + c]!;
      mean /= n;
      for (let i = 0; i < n; i++) y[i * dims + c]! -= mean;
    }
    this.iteration++;
  }
}
