/**
 * The scope tree of a graph: node names are `/`-separated scopes, which the dashboard draws as
 * expandable boxes. Every op and every scope is an *item* with a stable id (`op:NAME`,
 * `scope:PATH`, `series:...`), so an op named like a scope (`dense` beside `dense/kernel`) lives
 * inside that scope's box instead of clashing with it, as TensorBoard draws it. Series of
 * identical siblings are folded afterwards (series.ts).
 */
import type { GraphNode } from "../../api/graphs";
import { foldSeries } from "./series";

export type ItemKind = "root" | "scope" | "series" | "op";

export interface Item {
  id: string;
  kind: ItemKind;
  /** What the box shows: the last name part, or `prefix[1-12]` for a series. */
  label: string;
  /** The full scope path or op name (a series: its members' common prefix). */
  path: string;
  parent: string | null;
  children: string[];
  /** Index into the graph's nodes for an op, else -1. */
  node: number;
  /** Ops at or under this item. */
  opCount: number;
  /** A hash of the op structure under this item: equal for identical blocks. */
  signature: number;
}

export interface Hierarchy {
  items: Map<string, Item>;
  /** The item id of each node, by node index. */
  itemOfNode: string[];
  /** Node index by op name. */
  nodeByName: Map<string, number>;
}

/** All the scope tree needs of a node (the hierarchy worker gets only these). */
export type NamedOp = Pick<GraphNode, "name" | "op">;

export const ROOT = "root";
export const opId = (name: string): string => `op:${name}`;
export const scopeId = (path: string): string => `scope:${path}`;

/** FNV-1a over a string, continuing from `seed`: cheap structure signatures for 20,000 nodes. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function item(id: string, kind: ItemKind, label: string, path: string, parent: string | null, node = -1): Item {
  return { id, kind, label, path, parent, children: [], node, opCount: 0, signature: 0 };
}

/** Structure signatures and op counts, children before parents (iterative: deep graphs). */
export function summarise(items: Map<string, Item>, nodes: readonly NamedOp[], rootId: string): void {
  const order: Item[] = [];
  const stack = [rootId];
  while (stack.length) {
    const current = items.get(stack.pop() as string);
    if (!current) continue;
    order.push(current);
    stack.push(...current.children);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const it = order[i] as Item;
    if (it.kind === "op") {
      it.opCount = 1;
      it.signature = hashString(`op:${nodes[it.node]?.op ?? ""}`);
      continue;
    }
    const childSigs = it.children.map((id) => items.get(id) as Item);
    it.opCount = childSigs.reduce((n, c) => n + c.opCount, 0);
    const sorted = childSigs.map((c) => c.signature).sort((a, b) => a - b);
    it.signature = hashString(`${it.kind}(${sorted.join(",")})`);
  }
}

/** The tree of scopes, ops and series of `nodes`; `minSeries` siblings make a series. */
export function buildHierarchy(nodes: readonly NamedOp[], minSeries = 3): Hierarchy {
  const scopes = new Set<string>();
  for (const node of nodes) {
    let slash = node.name.indexOf("/");
    while (slash > 0) {
      scopes.add(node.name.slice(0, slash));
      slash = node.name.indexOf("/", slash + 1);
    }
  }
  const items = new Map<string, Item>();
  items.set(ROOT, item(ROOT, "root", "", "", null));
  const scopeItem = (path: string): string => {
    const id = scopeId(path);
    if (items.has(id)) return id;
    const slash = path.lastIndexOf("/");
    const parent = slash > 0 ? scopeItem(path.slice(0, slash)) : ROOT;
    items.set(id, item(id, "scope", path.slice(slash + 1), path, parent));
    (items.get(parent) as Item).children.push(id);
    return id;
  };
  const itemOfNode: string[] = [];
  const nodeByName = new Map<string, number>();
  nodes.forEach((node, index) => {
    nodeByName.set(node.name, index);
    const slash = node.name.lastIndexOf("/");
    const base = node.name.slice(slash + 1);
    // An op named like a scope goes inside that scope, shown as "(name)".
    const clash = scopes.has(node.name);
    const parent = clash ? scopeItem(node.name) : slash > 0 ? scopeItem(node.name.slice(0, slash)) : ROOT;
    const id = opId(node.name);
    if (items.has(id)) {
      itemOfNode.push(id); // A duplicate name: the graph is malformed; keep the first box.
      return;
    }
    items.set(id, item(id, "op", clash ? `(${base})` : base, node.name, parent, index));
    (items.get(parent) as Item).children.push(id);
    itemOfNode.push(id);
  });
  summarise(items, nodes, ROOT);
  foldSeries(items, minSeries);
  summarise(items, nodes, ROOT);
  return { items, itemOfNode, nodeByName };
}

/** The ids from the root's child down to `id` (every box that must open to show it). */
export function ancestors(items: ReadonlyMap<string, Item>, id: string): string[] {
  const out: string[] = [];
  let current = items.get(id)?.parent ?? null;
  while (current !== null && current !== ROOT) {
    out.push(current);
    current = items.get(current)?.parent ?? null;
  }
  return out.reverse();
}

/** Ids of the items whose path or label contains `query` (case-insensitive), ops first. */
export function searchItems(items: ReadonlyMap<string, Item>, query: string, limit = 30): Item[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const ops: Item[] = [];
  const groups: Item[] = [];
  for (const it of items.values()) {
    if (it.kind === "root" || !it.path.toLowerCase().includes(needle)) continue;
    (it.kind === "op" ? ops : groups).push(it);
    if (ops.length >= limit) break;
  }
  // Exact names first, then shorter paths: "conv1" should find "conv1", not "conv1_bn/...".
  const rank = (it: Item): number => (it.path.toLowerCase() === needle || it.label.toLowerCase() === needle ? 0 : 1);
  const sorted = [...ops, ...groups].sort((a, b) => rank(a) - rank(b) || a.path.length - b.path.length);
  return sorted.slice(0, limit);
}
