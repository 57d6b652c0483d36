/**
 * Turning a projection's coordinates into what the scatter draws: every point gets x, y, z in a
 * cube of side 2 centred on the origin (so the camera never needs to know the data's scale), and
 * points a projection did not place (outside a t-SNE / UMAP sample) get NaN, which the shader
 * drops.
 */
import { rng } from "./tsne";

/**
 * A deterministic random sample of `limit` of `n` row indices, sorted; null when n ≤ limit
 * (use every row). Partial Fisher–Yates: O(n) memory once, O(limit) swaps.
 */
export function sampleRows(n: number, limit: number, seed: number): Uint32Array | null {
  if (n <= limit) return null;
  const random = rng(seed);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < limit; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, limit).sort();
}

/**
 * n × 3 positions from m × dims coordinates (m = rows.length, or n when rows is null), centred and
 * scaled by the largest extent so that every placed point lies in [-1, 1]³ and the aspect ratio
 * is kept.
 */
export function fitPositions(coords: ArrayLike<number>, dims: number, n: number, rows: Uint32Array | null): Float32Array {
  const m = rows ? rows.length : n;
  const shown = Math.min(dims, 3);
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < shown; c++) {
      const v = coords[i * dims + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  let extent = 0;
  const centre = [0, 0, 0];
  for (let c = 0; c < shown; c++) {
    if (hi[c]! >= lo[c]!) {
      centre[c] = (lo[c]! + hi[c]!) / 2;
      extent = Math.max(extent, (hi[c]! - lo[c]!) / 2);
    }
  }
  const scale = extent > 0 ? 1 / extent : 1;
  const out = new Float32Array(n * 3);
  if (rows) out.fill(NaN);
  for (let i = 0; i < m; i++) {
    const row = rows ? rows[i]! : i;
    for (let c = 0; c < 3; c++) out[row * 3 + c] = c < shown ? (coords[i * dims + c]! - centre[c]!) * scale : 0;
  }
  return out;
}
