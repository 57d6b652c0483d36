/**
 * Nearest neighbours of one point by brute force: one pass over the rows keeping the best k in a
 * small sorted list. O(n·d) — 64 M multiply-adds for a million 64-d points, well under a second in
 * the worker — and exact, which an approximate index would not be.
 */
export type Metric = "cosine" | "euclidean";

export interface Neighbor {
  index: number;
  distance: number;
}

/** The `k` rows nearest row `query` (itself excluded), nearest first; cosine distance is 1 − cos. */
export function nearestNeighbors(data: Float32Array, n: number, d: number, query: number, k: number, metric: Metric): Neighbor[] {
  const q = data.subarray(query * d, query * d + d);
  let qNorm = 0;
  for (let j = 0; j < d; j++) qNorm += q[j]! * q[j]!;
  qNorm = Math.sqrt(qNorm);
  const best: Neighbor[] = [];
  for (let r = 0; r < n; r++) {
    if (r === query) continue;
    const base = r * d;
    let distance: number;
    if (metric === "euclidean") {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[base + j]! - q[j]!;
        sum += diff * diff;
      }
      distance = Math.sqrt(sum);
    } else {
      let dot = 0, norm = 0;
      for (let j = 0; j < d; j++) {
        const x = data[base + j]!;
        dot += x * q[j]!;
        norm += x * x;
      }
      const denominator = Math.sqrt(norm) * qNorm;
      distance = denominator > 0 ? 1 - dot / denominator : 1;
    }
    if (best.length === k && distance >= best[k - 1]!.distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.distance > distance) at--;
    best.splice(at, 0, { index: r, distance });
    if (best.length > k) best.pop();
  }
  return best;
}
