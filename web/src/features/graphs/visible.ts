/**
 * What is on screen for a set of opened boxes: the visible items (an opened box contains its
 * children; a closed one stands for every op under it) and the edges between them, aggregated.
 * Only this subset is laid out, so opening one scope of a 20,000-node graph lays out that scope's
 * children and the closed boxes around it, never the whole graph.
 */
import type { GraphNode } from "../../api/graphs";
import { type Hierarchy, type Item, ROOT } from "./hierarchy";

export interface VisibleItem {
  id: string;
  /** The opened box holding it, or null at the top level. */
  parent: string | null;
  /** Opened: drawn as a container around its children. */
  open: boolean;
}

export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
  /** Graph edges folded into this one. */
  count: number;
  /** Every folded edge is a control dependency: drawn dashed. */
  control: boolean;
  /** Elements of the tensors carried, summed over edges whose shape is known (0: unknown). */
  elements: number;
}

export interface VisibleGraph {
  items: VisibleItem[];
  edges: VisibleEdge[];
  /** The visible item standing for each node index. */
  representative: string[];
}

/** Elements of output `output` of `node`, or 0 when its shape (or a dim) is unknown. */
export function tensorElements(node: GraphNode | undefined, output: number): number {
  const shape = node?.shapes?.[output];
  if (!shape) return 0;
  let n = 1;
  for (const dim of shape) {
    if (dim < 0) return 0;
    n *= dim;
  }
  return n;
}

/** The visible items for `open` box ids, parents before children. */
export function visibleItems(items: ReadonlyMap<string, Item>, open: ReadonlySet<string>): VisibleItem[] {
  const out: VisibleItem[] = [];
  const walk = (container: Item, parent: string | null): void => {
    for (const id of container.children) {
      const child = items.get(id) as Item;
      const isOpen = child.kind !== "op" && open.has(id) && child.children.length > 0;
      out.push({ id, parent, open: isOpen });
      if (isOpen) walk(child, id);
    }
  };
  const root = items.get(ROOT);
  if (root) walk(root, null);
  return out;
}

/** For every item: the visible item standing for it (itself, or its outermost closed box). */
function representatives(items: ReadonlyMap<string, Item>, visible: readonly VisibleItem[]): Map<string, string> {
  const shown = new Map<string, string>();
  for (const v of visible) shown.set(v.id, v.id);
  const stack: [string, string][] = [];
  for (const v of visible) {
    if (v.open) continue;
    const it = items.get(v.id) as Item;
    for (const c of it.children) stack.push([c, v.id]);
  }
  while (stack.length) {
    const [id, rep] = stack.pop() as [string, string];
    shown.set(id, rep);
    for (const c of (items.get(id) as Item).children) stack.push([c, rep]);
  }
  return shown;
}

/** Visible items and aggregated edges (self-loops inside a closed box are dropped). */
export function visibleGraph(h: Hierarchy, nodes: readonly GraphNode[], open: ReadonlySet<string>): VisibleGraph {
  const items = visibleItems(h.items, open);
  const reps = representatives(h.items, items);
  const representative = h.itemOfNode.map((id) => reps.get(id) ?? id);
  const edges = new Map<string, VisibleEdge>();
  nodes.forEach((node, target) => {
    const to = representative[target] as string;
    for (const input of node.inputs) {
      const source = h.nodeByName.get(input.name);
      if (source === undefined) continue;
      const from = representative[source] as string;
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      let edge = edges.get(key);
      if (!edge) {
        edge = { id: `e${edges.size}`, source: from, target: to, count: 0, control: true, elements: 0 };
        edges.set(key, edge);
      }
      edge.count += 1;
      if (!input.control) {
        edge.control = false;
        edge.elements += tensorElements(nodes[source], input.output);
      }
    }
  });
  return { items, edges: [...edges.values()], representative };
}

/** Stroke width for an edge: thin for unknown or small tensors, up to 6 px for huge ones. */
export function edgeWidth(edge: Pick<VisibleEdge, "elements" | "control">): number {
  if (edge.control || edge.elements <= 1) return 1;
  return Math.min(6, 1 + Math.log10(edge.elements) * 0.8);
}

/** Per item: the sum of a per-node value over the ops under it (compute time, memory). */
export function sumOverItems(h: Hierarchy, valueOfNode: (index: number) => number): Map<string, number> {
  const sums = new Map<string, number>();
  h.itemOfNode.forEach((id, index) => {
    const value = valueOfNode(index);
    if (!value) return;
    let current: string | null = id;
    while (current !== null && current !== ROOT) {
      sums.set(current, (sums.get(current) ?? 0) + value);
      current = h.items.get(current)?.parent ?? null;
    }
  });
  return sums;
}
