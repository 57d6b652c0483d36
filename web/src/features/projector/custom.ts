/**
 * TensorBoard's "Custom" projection: the x axis points from the centroid of the rows matching
 * query "left" to the centroid of those matching "right", the y axis likewise from "down" to
 * "up" (made orthogonal to x, so the picture is not sheared). Every row is then placed at its
 * centred coordinates along the two unit axes.
 */
import { projectRows } from "./pca";

/** The mean of the given rows (float64). */
export function centroid(data: Float32Array, d: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]! * d;
    for (let j = 0; j < d; j++) out[j]! += data[base + j]!;
  }
  for (let j = 0; j < d; j++) out[j]! /= Math.max(1, rows.length);
  return out;
}

function normalise(v: Float64Array): Float64Array | null {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (!(norm > 1e-12)) return null;
  return v.map((x) => x / norm);
}

/** Unit axes from two pairs of row sets; y is orthogonalised against x. Null axis if a pair is empty or degenerate. */
export function customAxes(data: Float32Array, d: number, left: ArrayLike<number>, right: ArrayLike<number>, down: ArrayLike<number>, up: ArrayLike<number>): { x: Float64Array | null; y: Float64Array | null } {
  const direction = (from: ArrayLike<number>, to: ArrayLike<number>): Float64Array | null => {
    if (from.length === 0 || to.length === 0) return null;
    const a = centroid(data, d, from), b = centroid(data, d, to);
    return normalise(b.map((v, j) => v - a[j]!));
  };
  const x = direction(left, right);
  let y = direction(down, up);
  if (x && y) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += x[j]! * y[j]!;
    y = normalise(y.map((v, j) => v - dot * x[j]!));
  }
  return { x, y };
}

/** Row-major n × 2 coordinates along the axes (0 along a missing axis), centred on `mean`. */
export function customProjection(data: Float32Array, n: number, d: number, mean: Float64Array, axes: { x: Float64Array | null; y: Float64Array | null }): Float32Array {
  const zero = new Float64Array(d);
  return projectRows(data, n, d, mean, [axes.x ?? zero, axes.y ?? zero]);
}
