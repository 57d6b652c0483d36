/**
 * The scope tree in a compact form for the trip from its worker to the main thread. Cloning a
 * Map of ~25,000 item objects (each with a children array) cost the main thread ~40-110 ms on
 * the 20,000-node bench graph; typed arrays move for free (transferred) and most strings need
 * not travel at all: an op's id, path and label follow from its node's name, a scope's from its
 * path. Only scope paths, series names and the labels of ops named like a scope are sent, as one
 * NUL-separated string.
 */
import type { NamedOp } from "./hierarchy";
import { type Hierarchy, type Item, type ItemKind, opId, ROOT, scopeId } from "./hierarchy";

const KINDS: readonly ItemKind[] = ["root", "scope", "series", "op"];
const SEP = "\u0000";
const FIELD = "\u0002";

export interface HierarchyWire {
  /** Per item, in the Map's order: index into KINDS. */
  kinds: Uint8Array;
  /** Item index of the parent, -1 for the root. */
  parents: Int32Array;
  /** Node index of an op item, else -1. */
  nodes: Int32Array;
  opCounts: Int32Array;
  signatures: Uint32Array;
  /** Children of item i: `children[childStart[i] .. childStart[i + 1]]`, item indices. */
  childStart: Int32Array;
  children: Int32Array;
  /** Item index of each node. */
  itemOfNode: Int32Array;
  /** Per item, SEP-joined: "" (root, plain op), an op's "(label)", a scope's path, a series' id FIELD label FIELD path. */
  text: string;
}

export function encodeHierarchy(h: Hierarchy): HierarchyWire {
  const list = [...h.items.values()];
  const index = new Map<string, number>();
  list.forEach((it, i) => index.set(it.id, i));
  const n = list.length;
  const kinds = new Uint8Array(n);
  const parents = new Int32Array(n);
  const nodes = new Int32Array(n);
  const opCounts = new Int32Array(n);
  const signatures = new Uint32Array(n);
  const childStart = new Int32Array(n + 1);
  let total = 0;
  for (const it of list) total += it.children.length;
  const children = new Int32Array(total);
  const texts: string[] = new Array<string>(n);
  let at = 0;
  list.forEach((it, i) => {
    kinds[i] = KINDS.indexOf(it.kind);
    parents[i] = it.parent === null ? -1 : (index.get(it.parent) ?? -1);
    nodes[i] = it.node;
    opCounts[i] = it.opCount;
    signatures[i] = it.signature;
    childStart[i] = at;
    for (const c of it.children) children[at++] = index.get(c) ?? -1;
    if (it.kind === "op") texts[i] = it.label === baseName(it.path) ? "" : it.label;
    else if (it.kind === "scope") texts[i] = it.path;
    else if (it.kind === "series") texts[i] = [it.id, it.label, it.path].join(FIELD);
    else texts[i] = "";
  });
  childStart[n] = at;
  const itemOfNode = Int32Array.from(h.itemOfNode, (id) => index.get(id) ?? -1);
  return { kinds, parents, nodes, opCounts, signatures, childStart, children, itemOfNode, text: texts.join(SEP) };
}

/** The buffers `encodeHierarchy` made, to transfer rather than copy. */
export function wireBuffers(w: HierarchyWire): ArrayBuffer[] {
  const arrays = [w.kinds, w.parents, w.nodes, w.opCounts, w.signatures, w.childStart, w.children, w.itemOfNode];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The Hierarchy `encodeHierarchy` was given, from the wire and the same graph's nodes. */
export function decodeHierarchy(w: HierarchyWire, graphNodes: readonly NamedOp[]): Hierarchy {
  const n = w.kinds.length;
  const texts = w.text.split(SEP);
  const ids = new Array<string>(n);
  const list = new Array<Item>(n);
  for (let i = 0; i < n; i++) {
    const kind = KINDS[w.kinds[i] ?? 0] as ItemKind;
    const text = texts[i] ?? "";
    let id = ROOT;
    let label = "";
    let path = "";
    if (kind === "op") {
      path = graphNodes[w.nodes[i] ?? 0]?.name ?? "";
      id = opId(path);
      label = text || baseName(path);
    } else if (kind === "scope") {
      path = text;
      id = scopeId(path);
      label = baseName(path);
    } else if (kind === "series") {
      [id = "", label = "", path = ""] = text.split(FIELD);
    }
    ids[i] = id;
    list[i] = { id, kind, label, path, parent: null, children: [], node: w.nodes[i] ?? -1, opCount: w.opCounts[i] ?? 0, signature: w.signatures[i] ?? 0 };
  }
  const items = new Map<string, Item>();
  for (let i = 0; i < n; i++) {
    const it = list[i] as Item;
    const parent = w.parents[i] ?? -1;
    it.parent = parent < 0 ? null : (ids[parent] as string);
    const end = w.childStart[i + 1] ?? 0;
    for (let c = w.childStart[i] ?? 0; c < end; c++) it.children.push(ids[w.children[c] ?? 0] as string);
    items.set(it.id, it);
  }
  const itemOfNode = Array.from(w.itemOfNode, (i) => ids[i] as string);
  const nodeByName = new Map<string, number>();
  graphNodes.forEach((node, i) => nodeByName.set(node.name, i));
  return { items, itemOfNode, nodeByName };
}
