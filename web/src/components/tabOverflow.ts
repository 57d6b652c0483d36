/**
 * Which dashboard tabs fit in the header, and which go into its "More" menu.
 *
 * With every Heron dashboard enabled there are more tabs than a laptop header
 * holds; scrolling the tab strip hid the last ones (PR curves, mesh) where nobody
 * looked. Tabs keep their order; the ones that do not fit move to a menu, except
 * the selected tab, which always stays in the strip (it replaces the last tab
 * that fits), so the header always says where you are.
 */
export interface TabSplit {
  /** Indexes of the tabs shown in the strip, in their original order. */
  readonly visible: number[];
  /** Indexes of the tabs listed in the "More" menu, in their original order. */
  readonly overflow: number[];
}

/**
 * Split tabs of the given widths (px, gaps included) into those that fit in
 * `available` px and the rest. When some overflow, `moreWidth` px are kept for
 * the menu button. `selected` is the selected tab's index, or -1.
 */
export function splitTabs(
  widths: readonly number[],
  available: number,
  selected: number,
  moreWidth: number,
): TabSplit {
  const all = widths.map((_, i) => i);
  const total = widths.reduce((sum, w) => sum + w, 0);
  if (total <= available) return { visible: all, overflow: [] };

  const budget = available - moreWidth;
  const visible: number[] = [];
  let used = 0;
  for (const i of all) {
    const width = widths[i] ?? 0;
    if (used + width > budget) break;
    visible.push(i);
    used += width;
  }
  if (selected >= 0 && selected < widths.length && !visible.includes(selected)) {
    const selectedWidth = widths[selected] ?? 0;
    // Drop tabs from the end until the selected one fits (possibly all of them).
    while (visible.length > 0 && used + selectedWidth > budget) {
      used -= widths[visible.pop() as number] ?? 0;
    }
    visible.push(selected);
  }
  const shown = new Set(visible);
  return { visible, overflow: all.filter((i) => !shown.has(i)) };
}
