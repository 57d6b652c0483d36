/**
 * Per-point highlight flags, one byte per point in the scatter's `flag` attribute. Values above
 * FLAG_DIM are drawn enlarged with an outline; FLAG_DIM fades a point toward the background
 * (outside the current search or neighbourhood).
 */
export const FLAG_NORMAL = 0;
export const FLAG_DIM = 1;
export const FLAG_MATCH = 2;
export const FLAG_NEIGHBOR = 3;
export const FLAG_SELECTED = 4;
export const FLAG_HOVER = 5;

/** Flags for n points: with a search or a selection active, everything else is dimmed. */
export function pointFlags(n: number, matches: ArrayLike<number> | null, neighbors: readonly number[], selected: number | null, hovered: number | null): Uint8Array {
  const active = matches !== null || selected !== null;
  const flags = new Uint8Array(n).fill(active ? FLAG_DIM : FLAG_NORMAL);
  if (matches) for (let i = 0; i < matches.length; i++) flags[matches[i]!] = FLAG_MATCH;
  for (const i of neighbors) if (i < n) flags[i] = FLAG_NEIGHBOR;
  if (selected !== null && selected < n) flags[selected] = FLAG_SELECTED;
  if (hovered !== null && hovered < n) flags[hovered] = FLAG_HOVER;
  return flags;
}
