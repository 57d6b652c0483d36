/**
 * A run's colour comes from a hash of its name, never from its position in a list, so it stays
 * the same across reloads, filters and new runs appearing (TensorBoard's colours shift as runs
 * are added; users complained).
 */
export const PALETTE: readonly string[] = [
  "#3b82f6", // blue
  "#f97316", // orange
  "#1e40af", // navy
  "#ef4444", // red
  "#8b5cf6", // violet
  "#eab308", // yellow
  "#06b6d4", // cyan
  "#ec4899", // pink
  "#84cc16", // lime
  "#6366f1", // indigo
  "#be185d", // raspberry
  "#b45309", // brown
  "#0ea5e9", // sky
  "#d946ef", // fuchsia
  "#22c55e", // green
  "#f43f5e", // rose
  "#a855f7", // purple
  "#64748b", // slate
  "#f59e0b", // amber
  "#78716c", // stone
];

/** FNV-1a, 32 bits: tiny, fast, and spreads similar names ("run1", "run2") apart. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function runColor(run: string): string {
  return PALETTE[hashName(run) % PALETTE.length] as string;
}

/** `#rrggbb` with an alpha, for the faint raw line behind a smoothed one. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(Math.max(alpha, 0), 1) * 255)
    .toString(16)
    .padStart(2, "0");
  return hex + a;
}
