/**
 * PCA of an n × d float32 matrix, for a million points: one pass builds the d × d covariance of
 * the centred data in float64 (four rows at a time, so each covariance entry is loaded once per
 * four rows), the Jacobi method diagonalises it (exact and simple for the d ≤ ~1000 of embeddings),
 * and a second pass projects every row on the top components. Memory beyond the input: d² doubles
 * and the n × k output. Runs in the projection worker, never on the main thread.
 */

export interface PcaResult {
  /** Row-major n × k coordinates. */
  coords: Float32Array;
  /** Components (unit vectors, length d each), by decreasing variance. */
  components: Float64Array[];
  /** Variance along each returned component. */
  variances: number[];
  /** Total variance (trace of the covariance): variances[i] / total is the share explained. */
  total: number;
  mean: Float64Array;
}

/** Column means, in float64. */
export function columnMeans(data: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const base = r * d;
    for (let j = 0; j < d; j++) mean[j]! += data[base + j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
  return mean;
}

/** The covariance matrix (divided by n - 1), d × d row-major, of `data` centred on `mean`. */
export function covariance(data: Float32Array, n: number, d: number, mean: Float64Array, progress?: (done: number) => void): Float64Array {
  const cov = new Float64Array(d * d);
  const x0 = new Float64Array(d), x1 = new Float64Array(d), x2 = new Float64Array(d), x3 = new Float64Array(d);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    for (let j = 0; j < d; j++) {
      const m = mean[j]!;
      x0[j] = data[r * d + j]! - m;
      x1[j] = data[(r + 1) * d + j]! - m;
      x2[j] = data[(r + 2) * d + j]! - m;
      x3[j] = data[(r + 3) * d + j]! - m;
    }
    for (let a = 0; a < d; a++) {
      const a0 = x0[a]!, a1 = x1[a]!, a2 = x2[a]!, a3 = x3[a]!;
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b]! += a0 * x0[b]! + a1 * x1[b]! + a2 * x2[b]! + a3 * x3[b]!;
    }
    if (progress && (r & 0xffff) === 0) progress(r);
  }
  for (; r < n; r++) {
    for (let j = 0; j < d; j++) x0[j] = data[r * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const a0 = x0[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += a0 * x0[b]!;
    }
  }
  const scale = 1 / Math.max(1, n - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! * scale;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return cov;
}

/**
 * Eigen-decomposition of a symmetric d × d matrix by cyclic Jacobi rotations. Returns eigenvalues
 * in decreasing order and their unit eigenvectors, each signed so that its largest entry is
 * positive (a stable orientation: the same data always gives the same picture).
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: number[]; vectors: Float64Array[] } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p]! * a[p * d + p]!;
      for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!, akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!, aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!, vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j]! - a[i * d + i]!);
  const values = order.map((i) => a[i * d + i]!);
  const vectors = order.map((i) => {
    const vec = new Float64Array(d);
    let big = 0;
    for (let k = 0; k < d; k++) {
      vec[k] = v[k * d + i]!;
      if (Math.abs(vec[k]!) > Math.abs(big)) big = vec[k]!;
    }
    if (big < 0) for (let k = 0; k < d; k++) vec[k] = -vec[k]!;
    return vec;
  });
  return { values, vectors };
}

/** Coordinates of every row (centred on `mean`) along `directions`: row-major n × directions.length. */
export function projectRows(data: Float32Array, n: number, d: number, mean: Float64Array, directions: readonly Float64Array[]): Float32Array {
  const k = directions.length;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    const base = r * d;
    for (let c = 0; c < k; c++) {
      const dir = directions[c]!;
      let sum = 0;
      for (let j = 0; j < d; j++) sum += (data[base + j]! - mean[j]!) * dir[j]!;
      out[r * k + c] = sum;
    }
  }
  return out;
}

/** The top `k` principal components of the rows and every row's coordinates on them. */
export function pca(data: Float32Array, n: number, d: number, k: number, progress?: (done: number) => void): PcaResult {
  const mean = columnMeans(data, n, d);
  const cov = covariance(data, n, d, mean, progress);
  let total = 0;
  for (let j = 0; j < d; j++) total += cov[j * d + j]!;
  const { values, vectors } = symmetricEigen(cov, d);
  const components = vectors.slice(0, Math.min(k, d));
  while (components.length < k) components.push(new Float64Array(d));
  const variances = values.slice(0, k);
  while (variances.length < k) variances.push(0);
  return { coords: projectRows(data, n, d, mean, components), components, variances, total, mean };
}
