/**
 * Exact k nearest neighbours of every row, for t-SNE's input affinities. Brute force over the
 * n(n−1)/2 pairs, each distance computed once and offered to both rows' bounded max-heaps, so the
 * cost is half the naive n² · d (about 1.5 s for 10,000 × 32 in the worker). Exact rather than
 * approximate: an approximate index would need tuning per data set, and a vantage-point tree
 * prunes little in the 32–1000 dimensions of real embeddings.
 */

export interface Knn {
  k: number;
  /** Row-major n × k neighbour indices, nearest first. */
  indices: Int32Array;
  /** Row-major n × k squared euclidean distances, ascending, matching `indices`. */
  distances: Float64Array;
}

/** Pushes (dist, j) into row i's max-heap of capacity k (root = farthest kept). */
function offer(heapD: Float64Array, heapI: Int32Array, sizes: Int32Array, k: number, i: number, dist: number, j: number): void {
  const base = i * k;
  let size = sizes[i]!;
  if (size < k) {
    // Sift up from the new leaf.
    let at = size++;
    sizes[i] = size;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heapD[base + parent]! >= dist) break;
      heapD[base + at] = heapD[base + parent]!;
      heapI[base + at] = heapI[base + parent]!;
      at = parent;
    }
    heapD[base + at] = dist;
    heapI[base + at] = j;
    return;
  }
  if (dist >= heapD[base]!) return;
  // Replace the root and sift down.
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= k) break;
    const right = left + 1;
    const child = right < k && heapD[base + right]! > heapD[base + left]! ? right : left;
    if (heapD[base + child]! <= dist) break;
    heapD[base + at] = heapD[base + child]!;
    heapI[base + at] = heapI[base + child]!;
    at = child;
  }
  heapD[base + at] = dist;
  heapI[base + at] = j;
}

/** Sorts each row's heap ascending in place (insertion sort: k is at most a few hundred). */
function sortRows(dist: Float64Array, idx: Int32Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let a = 1; a < k; a++) {
      const dv = dist[base + a]!, iv = idx[base + a]!;
      let b = a - 1;
      while (b >= 0 && dist[base + b]! > dv) {
        dist[base + b + 1] = dist[base + b]!;
        idx[base + b + 1] = idx[base + b]!;
        b--;
      }
      dist[base + b + 1] = dv;
      idx[base + b + 1] = iv;
    }
  }
}

/**
 * The `k` nearest rows of every row of the n × d matrix (itself excluded), by euclidean distance.
 * `progress(fraction)` — of the pairs compared — is called now and then for the worker to report.
 */
export function allNearestNeighbors(data: Float32Array, n: number, d: number, k: number, progress?: (fraction: number) => void): Knn {
  const kk = Math.max(0, Math.min(k, n - 1));
  const distances = new Float64Array(n * kk);
  const indices = new Int32Array(n * kk);
  const sizes = new Int32Array(n);
  if (kk === 0) return { k: kk, indices, distances };
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const bi = i * d;
    for (let c = 0; c < d; c++) row[c] = data[bi + c]!;
    for (let j = i + 1; j < n; j++) {
      const bj = j * d;
      let sum = 0;
      for (let c = 0; c < d; c++) {
        const diff = row[c]! - data[bj + c]!;
        sum += diff * diff;
      }
      // Cheap rejection before the heap calls: most pairs are farther than both rows' k-th.
      if (sizes[i] === kk && sizes[j] === kk && sum >= distances[i * kk]! && sum >= distances[j * kk]!) continue;
      offer(distances, indices, sizes, kk, i, sum, j);
      offer(distances, indices, sizes, kk, j, sum, i);
    }
    if (progress && (i & 255) === 255) progress(1 - ((n - i - 1) / n) ** 2);
  }
  sortRows(distances, indices, n, kk);
  return { k: kk, indices, distances };
}
