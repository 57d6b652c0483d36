/**
 * Point colours from a metadata column: a categorical palette for the most frequent values (the
 * rest share one grey, as "other"), or a gradient over a numeric column's range. Returned as
 * bytes, one RGB triple per point, which the WebGL buffer takes as is.
 */
import { PALETTE } from "../../lib/colors";
import type { Column } from "./metadata";

/** Columns with more distinct values than this (and not numeric) colour by their top values. */
export const MAX_CATEGORIES = PALETTE.length;
export const DEFAULT_RGB: readonly [number, number, number] = [59, 130, 246];
const OTHER: readonly [number, number, number] = [160, 160, 170];
/** Gradient stops (a perceptually ordered dark-blue → green → yellow ramp). */
const RAMP: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export interface LegendEntry {
  label: string;
  color: string;
  count: number;
}

export interface Coloring {
  rgb: Uint8Array;
  kind: "uniform" | "categorical" | "gradient";
  legend: LegendEntry[];
}

export function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const toHex = (rgb: readonly number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** The ramp at t in [0, 1]. */
export function ramp(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!, b = RAMP[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function uniformColoring(n: number): Coloring {
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) rgb.set(DEFAULT_RGB, i * 3);
  return { rgb, kind: "uniform", legend: [] };
}

/**
 * Colours for `n` points by `column`: a gradient when the column is numeric with more distinct
 * values than the palette has colours; otherwise one palette colour per value, most frequent first.
 */
export function colorBy(column: Column, n: number): Coloring {
  const rgb = new Uint8Array(n * 3);
  const rows = Math.min(n, column.codes.length);
  if (column.numbers && column.values.length > MAX_CATEGORIES) {
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = column.numbers[r]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi > lo ? hi - lo : 1;
    for (let r = 0; r < n; r++) {
      const v = r < rows ? column.numbers[r]! : NaN;
      rgb.set(Number.isNaN(v) ? OTHER : ramp((v - lo) / span), r * 3);
    }
    const legend = [0, 0.5, 1].map((t) => ({ label: String(+(lo + t * (hi - lo)).toPrecision(4)), color: toHex(ramp(t)), count: 0 }));
    return { rgb, kind: "gradient", legend };
  }
  const counts = new Uint32Array(column.values.length);
  for (let r = 0; r < rows; r++) counts[column.codes[r]!]!++;
  const order = Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const slot = new Int32Array(column.values.length).fill(-1);
  order.slice(0, MAX_CATEGORIES).forEach((code, i) => (slot[code] = i));
  const colors = PALETTE.map(hexToRgb);
  for (let r = 0; r < n; r++) {
    const s = r < rows ? slot[column.codes[r]!]! : -1;
    rgb.set(s >= 0 ? colors[s]! : OTHER, r * 3);
  }
  const legend: LegendEntry[] = order.slice(0, MAX_CATEGORIES).map((code, i) => ({ label: column.values[code]!, color: PALETTE[i]!, count: counts[code]! }));
  const rest = order.slice(MAX_CATEGORIES).reduce((sum, code) => sum + counts[code]!, 0);
  if (rest > 0) legend.push({ label: `${order.length - MAX_CATEGORIES} other values`, color: toHex(OTHER), count: rest });
  return { rgb, kind: "categorical", legend };
}
