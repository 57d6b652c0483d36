/**
 * Colour by a metric: a perceptually uniform scale (viridis — lightness rises evenly, so equal
 * steps in value look like equal steps in colour, and it stays readable in grey and for common
 * colour-vision deficiencies). Each theme leaves out the end that would vanish into its page:
 * the darkest purples on a dark background, the palest yellow on a white one.
 */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

export const MISSING_COLOR = "rgb(150, 150, 150)";

/** The part of the scale each theme uses. */
export const THEME_RANGE = { light: [0, 0.9], dark: [0.2, 1] } as const;

/** The colour at `t` in [0, 1] (clamped; NaN → the missing colour). */
export function viridis(t: number): string {
  if (Number.isNaN(t)) return MISSING_COLOR;
  const x = Math.min(1, Math.max(0, t));
  const f = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(f));
  const u = f - i;
  const a = VIRIDIS[i] as readonly [number, number, number];
  const b = VIRIDIS[i + 1] as readonly [number, number, number];
  const c = (k: 0 | 1 | 2): number => Math.round(a[k] + (b[k] - a[k]) * u);
  return `rgb(${c(0)}, ${c(1)}, ${c(2)})`;
}

/** Colour for a value given its position on the colour axis (null = the session lacks it). */
export function colorFor(position: number | null, dark: boolean): string {
  if (position === null || Number.isNaN(position)) return MISSING_COLOR;
  const [lo, hi] = THEME_RANGE[dark ? "dark" : "light"];
  return viridis(lo + (hi - lo) * Math.min(1, Math.max(0, position)));
}
