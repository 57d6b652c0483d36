/**
 * Axis scales of the parallel coordinates and the scatter-plot matrix: a value ↔ a position in
 * [0, 1] (0 = bottom / left). Numeric axes are linear or log; categorical ones spread their
 * categories evenly. Pure, so the drawing code and the brushes share one mapping.
 */
import type { Axis } from "./model";

export type ScaleKind = "linear" | "log" | "category";

export interface Scale {
  kind: ScaleKind;
  /** Position in [0, 1] of a number (numeric) or category (categorical); null when off-scale. */
  position(value: number | string): number | null;
  /** The number at a position (numeric scales; NaN for categorical). */
  invert(t: number): number;
  ticks(): { t: number; label: string }[];
}

/**
 * Log by default when every value is positive, they span more than two decades, and most of them
 * would be crushed at the bottom of a linear axis (their median in its lowest quarter). The last
 * test tells a learning rate swept over 1e-5..1e-1 (log) from a dropout drawn uniformly from
 * 0.0002..0.5 (linear), which also spans three decades; without a median, the span decides.
 */
export function prefersLog(extent: [number, number] | null, median: number | null = null): boolean {
  if (extent === null) return false;
  const [lo, hi] = extent;
  if (!(lo > 0 && hi / lo > 100)) return false;
  return median === null || (median - lo) / (hi - lo) < 0.25;
}

/** Whether a log scale is possible at all (log of ≤ 0 has no place). */
export function canLog(extent: [number, number] | null): boolean {
  return extent !== null && extent[0] > 0;
}

function tickLabel(v: number): string {
  const a = Math.abs(v);
  // Three significant digits, so that ticks 2.2e9 and 2.4e9 do not both read "2e9".
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return Number(v.toPrecision(3)).toExponential().replace("e+", "e");
  return Number(v.toPrecision(3)).toString();
}

export function linearScale(extent: [number, number]): Scale {
  let [lo, hi] = extent;
  if (lo === hi) {
    // One value: centre it rather than divide by zero.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.5;
    lo -= pad;
    hi += pad;
  }
  const span = hi - lo;
  return {
    kind: "linear",
    position: (v) => (typeof v === "number" && Number.isFinite(v) ? (v - lo) / span : null),
    invert: (t) => lo + t * span,
    ticks: () => niceTicks(lo, hi, 5).map((v) => ({ t: (v - lo) / span, label: tickLabel(v) })),
  };
}

export function logScale(extent: [number, number]): Scale {
  let lo = Math.log10(extent[0]);
  let hi = Math.log10(extent[1]);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const span = hi - lo;
  return {
    kind: "log",
    position: (v) => (typeof v === "number" && v > 0 && Number.isFinite(v) ? (Math.log10(v) - lo) / span : null),
    invert: (t) => 10 ** (lo + t * span),
    ticks: () => {
      const out: { t: number; label: string }[] = [];
      for (let e = Math.ceil(lo - 1e-9); e <= Math.floor(hi + 1e-9); e++) out.push({ t: (e - lo) / span, label: tickLabel(10 ** e) });
      // Less than a decade: the ends are the only landmarks.
      if (out.length < 2) return [{ t: 0, label: tickLabel(10 ** lo) }, { t: 1, label: tickLabel(10 ** hi) }];
      return out;
    },
  };
}

export function categoryScale(categories: readonly string[]): Scale {
  const index = new Map(categories.map((c, i) => [c, i]));
  const n = categories.length;
  // Categories sit at the centres of n equal bands, so one category is mid-axis.
  const at = (i: number): number => (i + 0.5) / Math.max(1, n);
  return {
    kind: "category",
    position: (v) => {
      const i = index.get(String(v));
      return i === undefined ? null : at(i);
    },
    invert: () => NaN,
    ticks: () => categories.map((c, i) => ({ t: at(i), label: c })),
  };
}

/** The scale of an axis: `log` asks for log where the values allow it. */
export function scaleFor(axis: Axis, log: boolean): Scale {
  if (!axis.numeric) return categoryScale(axis.categories);
  const extent = axis.extent ?? [0, 1];
  return log && canLog(axis.extent) ? logScale(extent) : linearScale(extent);
}

/** About ``count`` round numbers (1, 2, 5 × 10^k steps) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * The scale's ticks thinned to at most ``max`` (every k-th, keeping the first): a cell of the
 * scatter-plot matrix has room for about five labels per side, an axis with 40 categories not.
 */
export function thinTicks(scale: Scale, max: number): { t: number; label: string }[] {
  const ticks = scale.ticks().filter((tick) => tick.t >= -1e-9 && tick.t <= 1 + 1e-9);
  const every = Math.max(1, Math.ceil(ticks.length / Math.max(1, max)));
  return ticks.filter((_, i) => i % every === 0);
}

/** A tick label cut to ``chars`` characters with an ellipsis (categories can be long). */
export function shortLabel(label: string, chars: number): string {
  return label.length > chars ? `${label.slice(0, Math.max(1, chars - 1))}…` : label;
}
