/** Histogram cards: one per (run, tag), grouped by the tag's prefix, tags in natural order. */
import { compareTags } from "../../lib/naturalSort";
import type { SeriesKey } from "./tags";

export interface SeriesGroup {
  name: string;
  series: SeriesKey[];
}

function groupName(tag: string): string {
  const slash = tag.indexOf("/");
  return slash < 0 ? tag : tag.slice(0, slash);
}

export function groupSeries(series: readonly SeriesKey[]): SeriesGroup[] {
  const sorted = [...series].sort(
    (a, b) => compareTags(a.tag, b.tag) || compareTags(a.run, b.run),
  );
  const groups = new Map<string, SeriesKey[]>();
  for (const item of sorted) {
    const name = groupName(item.tag);
    const list = groups.get(name);
    if (list) list.push(item);
    else groups.set(name, [item]);
  }
  return [...groups].map(([name, list]) => ({ name, series: list }));
}
