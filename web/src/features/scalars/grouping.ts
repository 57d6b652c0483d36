/** Scalar cards: filtered by the tag regex, grouped by prefix, naturally sorted. */
import { sortTags } from "../../lib/naturalSort";

export interface TagGroup {
  name: string;
  tags: string[];
}

/** TensorBoard's group: everything before the first "/" (a tag without "/" is its own group). */
export function groupName(tag: string): string {
  const slash = tag.indexOf("/");
  return slash < 0 ? tag : tag.slice(0, slash);
}

export function groupTags(tags: Iterable<string>, matches: (tag: string) => boolean): TagGroup[] {
  const groups = new Map<string, string[]>();
  for (const tag of sortTags(tags)) {
    if (!matches(tag)) continue;
    const name = groupName(tag);
    const list = groups.get(name);
    if (list) list.push(tag);
    else groups.set(name, [tag]);
  }
  // Groups come out in natural order because tags were sorted before grouping.
  return [...groups].map(([name, list]) => ({ name, tags: list }));
}
