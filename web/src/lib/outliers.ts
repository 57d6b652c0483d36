/**
 * The y extent when "ignore outliers" is on: TensorBoard's 5–95 % rule (reference §7.2), from
 * the sorted finite values at indices ceil((n−1)·0.05) and floor((n−1)·0.95), if n > 2.
 * Returns null when there is nothing to clip (the chart then uses the full extent).
 */
export function outlierExtent(values: Iterable<number | null | undefined>): [number, number] | null {
  const finite: number[] = [];
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) finite.push(v);
  const n = finite.length;
  if (n <= 2) return null;
  finite.sort((a, b) => a - b);
  const lo = finite[Math.ceil((n - 1) * 0.05)] as number;
  const hi = finite[Math.floor((n - 1) * 0.95)] as number;
  return [lo, hi];
}
