/** "Nice" axis ticks (multiples of 1, 2 or 5 × 10^k) for the canvas-drawn histogram axes. */
export function niceTicks(min: number, max: number, target: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || target < 1) return [];
  if (min === max) return [min];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const raw = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // The candidate nearest the raw step (in ratio), so the count lands near the target.
  let step = magnitude;
  for (const m of [2, 5, 10]) {
    if (Math.abs(Math.log((m * magnitude) / raw)) < Math.abs(Math.log(step / raw))) step = m * magnitude;
  }
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    // Snap away float noise (0.30000000000000004) so labels print cleanly.
    ticks.push(Number(v.toPrecision(12)) + 0);
  }
  return ticks;
}
