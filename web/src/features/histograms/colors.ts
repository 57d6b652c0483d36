/** Colour mixing for the histogram fills: a run's colour faded toward the card background. */
function parseHex(hex: string): [number, number, number] {
  const h = hex.replace("#", "");
  const n = Number.parseInt(h.length === 3 ? h.replace(/./g, "$&$&") : h.slice(0, 6), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** ``a`` mixed with ``b``: t = 0 gives a, t = 1 gives b. Both `#rrggbb`. */
export function mix(a: string, b: string, t: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  const k = Math.min(1, Math.max(0, t));
  const c = x.map((v, i) => Math.round(v + ((y[i] ?? 0) - v) * k));
  return `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * A run's colour as drawn on this theme: on a dark card the palette's deep colours (navy,
 * indigo) would sink into the background once faded, so they are lifted toward white.
 */
export function themedColor(color: string, dark: boolean): string {
  return dark ? mix(color, "#ffffff", 0.22) : color;
}
