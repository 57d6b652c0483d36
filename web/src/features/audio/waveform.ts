/** The waveform preview: per pixel column, the lowest and highest sample it covers (so a click is never lost between columns). */

export interface Peaks {
  min: Float32Array;
  max: Float32Array;
}

export function peaks(samples: ArrayLike<number>, columns: number): Peaks {
  const n = Math.max(0, Math.floor(columns));
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  if (samples.length === 0 || n === 0) return { min, max };
  for (let c = 0; c < n; c++) {
    // Columns split the samples evenly; with fewer samples than columns a sample spans several.
    const start = Math.floor((c * samples.length) / n);
    const end = Math.max(start + 1, Math.floor(((c + 1) * samples.length) / n));
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end && i < samples.length; i++) {
      const v = samples[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[c] = lo;
    max[c] = hi;
  }
  return { min, max };
}

/** Seconds as "0:04.2" (clip lengths are short; tenths matter). */
export function formatClipTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? "0" : ""}${s.toFixed(1)}`;
}
