/**
 * Series folding: siblings named `prefix<number>` with the same op structure (`layer_1` …
 * `layer_12` built alike) become one "series" box, so a 48-block network reads as one box until
 * opened. TensorBoard folds the same way; members must share the prefix and the structure
 * signature, so `conv_1` (a Conv2D) and `conv_2` (a MatMul) stay apart.
 */
import type { Item } from "./hierarchy";

/** `layer_12`, and PyTorch's module-list style `Block[3]`. */
const NUMBERED = /^(.*?)(\d+)(\]?)$/;

export interface SeriesKey {
  prefix: string;
  signature: number;
  kind: Item["kind"];
}

/** `layer_12` → ("layer_", 12, ""); `Block[3]` → ("Block[", 3, "]"); no trailing number → null. */
export function splitNumber(label: string): { prefix: string; number: number; suffix: string } | null {
  const match = NUMBERED.exec(label);
  if (!match) return null;
  const prefix = match[1] ?? "";
  const suffix = match[3] ?? "";
  if (suffix && !prefix.endsWith("[")) return null;
  return { prefix, number: Number(match[2]), suffix };
}

/** `layer_[1-12]`, `Block[0-3]`, or `layer_[1,3,7]` for a short run with gaps. */
export function seriesLabel(prefix: string, numbers: readonly number[], suffix = ""): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  const contiguous = last - first + 1 === sorted.length;
  const range = contiguous ? `${first}-${last}` : sorted.length <= 4 ? sorted.join(",") : `${first}..${last}, ${sorted.length} items`;
  return suffix ? `${prefix}${range}${suffix}` : `${prefix}[${range}]`;
}

/** Folds, in place, each container's numbered look-alike children into series items. */
export function foldSeries(items: Map<string, Item>, minSize: number): void {
  for (const container of [...items.values()]) {
    if (container.kind === "op" || container.children.length < minSize) continue;
    const groups = new Map<string, { members: Item[]; numbers: number[]; prefix: string; suffix: string }>();
    for (const id of container.children) {
      const child = items.get(id) as Item;
      const split = splitNumber(child.label);
      if (!split) continue;
      const key = `${child.kind}|${child.signature}|${split.prefix}|${split.suffix}`;
      const group = groups.get(key) ?? { members: [], numbers: [], prefix: split.prefix, suffix: split.suffix };
      group.members.push(child);
      group.numbers.push(split.number);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      if (group.members.length < minSize) continue;
      const base = container.kind === "root" ? "" : `${container.path}/`;
      const label = seriesLabel(group.prefix, group.numbers, group.suffix);
      const id = `series:${base}${label}`;
      if (items.has(id)) continue;
      const memberIds = new Set(group.members.map((m) => m.id));
      const order = group.members.map((m, i) => ({ m, n: group.numbers[i] ?? 0 })).sort((a, b) => a.n - b.n);
      items.set(id, {
        id, kind: "series", label, path: `${base}${group.prefix}`, parent: container.id,
        children: order.map((o) => o.m.id), node: -1, opCount: 0, signature: 0,
      });
      for (const member of group.members) member.parent = id;
      const at = container.children.findIndex((c) => memberIds.has(c));
      container.children = container.children.filter((c) => !memberIds.has(c));
      container.children.splice(at, 0, id);
    }
  }
}
