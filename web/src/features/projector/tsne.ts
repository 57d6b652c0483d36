/**
 * Barnes-Hut t-SNE (van der Maaten 2014), written here because no maintained npm package exists
 * (tsne-js and tsne were last published years ago). Input affinities are sparse: each point's
 * 3·perplexity exact nearest neighbours, the Gaussian bandwidth matched to the perplexity by
 * binary search, then symmetrised. Attraction runs over those sparse pairs; repulsion uses a
 * quadtree / octree (θ = 0.5), so an iteration is O(n log n) instead of the exact O(n²) — which
 * stays available (`exact`) for tests. Early exaggeration, momentum and per-coordinate gains
 * follow the paper. All state is typed arrays allocated once, so iterations allocate nothing.
 */
import { allNearestNeighbors } from "./tsneKnn";
import { SpaceTree } from "./tsneTree";

/** Points t-SNE runs on at most; above it, a random sample of this size. */
export const TSNE_LIMIT = 10_000;

/** Below this many points the exact O(n²) repulsion is cheaper than building the tree (measured). */
export const EXACT_BELOW = 600;

export interface TsneOptions {
  dims: 2 | 3;
  perplexity: number;
  learningRate: number;
  seed: number;
  /** Iterations with exaggerated attraction (×12) and low momentum (0.5); default 250. */
  exaggerationIterations?: number;
  /** Barnes-Hut accuracy: 0 is exact (O(n²)); default 0.5, or 0 below EXACT_BELOW points. */
  theta?: number;
}

/** Symmetric sparse P in compressed rows: row i's entries are `offsets[i]` up to `offsets[i + 1]`. */
export interface Affinities {
  offsets: Int32Array;
  cols: Int32Array;
  /** p_ij, summing to 1 over all entries. */
  p: Float64Array;
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

/** Row i's conditional p_{j|i} over its k neighbours (squared distances `d2`), written into `w`. */
export function calibrate(d2: Float64Array, from: number, k: number, target: number, w: Float64Array): void {
  const min = d2[from]!;
  let beta = 1, lo = 0, hi = Infinity;
  for (let iter = 0; iter < 100; iter++) {
    let sum = 0, weighted = 0;
    for (let j = 0; j < k; j++) {
      const e = d2[from + j]! - min;
      const v = Math.exp(-e * beta);
      w[j] = v;
      sum += v;
      weighted += e * v;
    }
    const h = Math.log(sum) + (beta * weighted) / sum;
    if (Math.abs(h - target) < 1e-5) break;
    if (h > target) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
  let sum = 0;
  for (let j = 0; j < k; j++) sum += w[j]!;
  for (let j = 0; j < k; j++) w[j] = w[j]! / sum;
}

/** P_ij = (p_{j|i} + p_{i|j}) / 2n over the 3·perplexity nearest neighbours of each point. */
export function affinities(data: Float32Array, n: number, d: number, perplexity: number, progress?: (fraction: number) => void): Affinities {
  const knn = allNearestNeighbors(data, n, d, Math.floor(3 * perplexity), progress);
  const k = knn.k;
  const target = Math.log(Math.min(perplexity, Math.max(1, k)));
  const cond = new Float64Array(n * k);
  const w = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    calibrate(knn.distances, i * k, k, target, w);
    cond.set(w, i * k);
  }
  // Every (i, j) entry appears in row i and row j; duplicates (mutual neighbours) merge below.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let e = 0; e < k; e++) {
      counts[i + 1]!++;
      counts[knn.indices[i * k + e]! + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const fill = counts.slice(0, n);
  const rawCols = new Int32Array(counts[n]!);
  const rawP = new Float64Array(counts[n]!);
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    for (let e = 0; e < k; e++) {
      const j = knn.indices[i * k + e]!, v = cond[i * k + e]! * scale;
      rawCols[fill[i]!] = j;
      rawP[fill[i]!++] = v;
      rawCols[fill[j]!] = i;
      rawP[fill[j]!++] = v;
    }
  }
  const where = new Int32Array(n).fill(-1);
  const offsets = new Int32Array(n + 1);
  const cols = new Int32Array(rawCols.length);
  const p = new Float64Array(rawCols.length);
  let at = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = at;
    for (let e = counts[i]!; e < counts[i + 1]!; e++) {
      const j = rawCols[e]!;
      if (where[j]! >= offsets[i]!) p[where[j]!]! += rawP[e]!;
      else {
        where[j] = at;
        cols[at] = j;
        p[at++] = rawP[e]!;
      }
    }
  }
  offsets[n] = at;
  return { offsets, cols: cols.slice(0, at), p: p.slice(0, at) };
}

/** The optimiser's state: call `step()` repeatedly; `y` holds the current n × dims layout. */
export class Tsne {
  readonly y: Float64Array;
  iteration = 0;
  private readonly gains: Float64Array;
  private readonly update: Float64Array;
  private readonly grad: Float64Array;
  private readonly tree: SpaceTree;

  constructor(
    private readonly n: number,
    private readonly p: Affinities,
    private readonly options: TsneOptions,
  ) {
    const random = rng(options.seed);
    const size = n * options.dims;
    this.y = new Float64Array(size);
    for (let i = 0; i < size; i++) this.y[i] = (random() - 0.5) * 1e-2;
    this.gains = new Float64Array(size).fill(1);
    this.update = new Float64Array(size);
    this.grad = new Float64Array(size);
    this.tree = new SpaceTree(options.dims);
  }

  /**
   * The KL gradient at the current layout into `out` (n × dims): 4 (x·Σ p_ij q_ij Z (y_i − y_j)
   * − Σ q_ij² Z (y_i − y_j)), attraction exaggerated by x; Barnes-Hut unless θ = 0.
   */
  gradient(out: Float64Array, exaggeration: number, theta = this.options.theta ?? (this.n < EXACT_BELOW ? 0 : 0.5)): void {
    const { n, y } = this;
    const dims = this.options.dims;
    out.fill(0);
    let z = 0;
    if (theta > 0) {
      this.tree.build(y, n);
      for (let i = 0; i < n; i++) z += this.tree.repulsion(y, i, theta, out);
    } else z = exactRepulsion(y, n, dims, out);
    const inv = 1 / Math.max(z, 1e-300);
    for (let i = 0; i < out.length; i++) out[i] = -out[i]! * inv;
    const { offsets, cols, p } = this.p;
    for (let i = 0; i < n; i++) {
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
        const j = cols[e]!;
        let dist = 0;
        for (let c = 0; c < dims; c++) {
          const diff = y[i * dims + c]! - y[j * dims + c]!;
          dist += diff * diff;
        }
        const f = (exaggeration * p[e]!) / (1 + dist);
        for (let c = 0; c < dims; c++) out[i * dims + c]! += f * (y[i * dims + c]! - y[j * dims + c]!);
      }
    }
    for (let i = 0; i < out.length; i++) out[i] = 4 * out[i]!;
  }

  /** One gradient-descent step with momentum and gains, then the layout is re-centred. */
  step(): void {
    const { n, y, grad } = this;
    const dims = this.options.dims;
    const early = this.iteration < (this.options.exaggerationIterations ?? 250);
    this.gradient(grad, early ? 12 : 1);
    const momentum = early ? 0.5 : 0.8;
    const eta = this.options.learningRate;
    for (let i = 0; i < y.length; i++) {
      const g = grad[i]!;
      const sameSign = g > 0 === this.update[i]! > 0;
      this.gains[i] = Math.max(0.01, sameSign ? this.gains[i]! * 0.8 : this.gains[i]! + 0.2);
      this.update[i] = momentum * this.update[i]! - eta * this.gains[i]! * g;
      y[i]! += this.update[i]!;
    }
    for (let c = 0; c < dims; c++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += y[i * dims + c]!;
      mean /= n;
      for (let i = 0; i < n; i++) y[i * dims + c]! -= mean;
    }
    this.iteration++;
  }
}

/** Σ_j q_ij² (y_i − y_j) into `out` for every i, over all pairs; returns Z = Σ_{i≠j} q_ij. */
function exactRepulsion(y: Float64Array, n: number, dims: number, out: Float64Array): number {
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
        out[i * dims + c]! += f;
        out[j * dims + c]! -= f;
      }
    }
  }
  return z;
}
