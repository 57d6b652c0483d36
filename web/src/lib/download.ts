/** A card's data as files: TensorBoard's CSV columns and file names (reference §7.4). */
export interface DownloadSeries {
  run: string;
  /** Plain arrays or the typed columns the binary scalars form decodes into. */
  steps: ArrayLike<number>;
  wallTimes: ArrayLike<number>;
  values: ArrayLike<number>;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function num(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  return String(v);
}

export function toCsv(series: readonly DownloadSeries[]): string {
  const lines = ["Run,Wall time,Step,Value"];
  for (const s of series) {
    const run = csvCell(s.run);
    for (let i = 0; i < s.steps.length; i++) {
      lines.push(`${run},${num(s.wallTimes[i] ?? Number.NaN)},${s.steps[i]},${num(s.values[i] ?? Number.NaN)}`);
    }
  }
  return lines.join("\r\n") + "\r\n";
}

/** `{run: [[wall_time, step, value], ...]}`, the shape of TensorBoard's scalars_multirun. */
export function toJson(series: readonly DownloadSeries[]): string {
  const out: Record<string, [number | string, number, number | string][]> = {};
  for (const s of series) {
    out[s.run] = Array.from({ length: s.steps.length }, (_, i) => {
      const w = s.wallTimes[i] ?? Number.NaN;
      const v = s.values[i] ?? Number.NaN;
      return [Number.isFinite(w) ? w : num(w), s.steps[i] ?? Number.NaN, Number.isFinite(v) ? v : num(v)];
    });
  }
  return JSON.stringify(out);
}

export function downloadName(tag: string, extension: string): string {
  return `tag-${tag.replace(/[^\w.-]+/g, "_")}.${extension}`;
}
