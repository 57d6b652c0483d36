import { describe, expect, it } from "vitest";
import type { GraphNode } from "../../api/graphs";
import { buildHierarchy, opId, scopeId } from "./hierarchy";
import { edgeWidth, sumOverItems, tensorElements, visibleGraph } from "./visible";

const node = (name: string, inputs: { name: string; control?: boolean; output?: number }[] = [], shapes: GraphNode["shapes"] = null): GraphNode => ({
  name,
  op: "Op",
  device: "",
  attrs: {},
  inputs: inputs.map((i) => ({ name: i.name, output: i.output ?? 0, control: i.control ?? false })),
  shapes,
});

const NODES: GraphNode[] = [
  node("in", [], [[8, 100]]),
  node("a/x", [{ name: "in" }], [[8, 100]]),
  node("a/y", [{ name: "a/x" }], [[-1, 100]]),
  node("b/z", [{ name: "a/y" }, { name: "a/x" }, { name: "init", control: true }]),
  node("init"),
  node("b/w", [{ name: "init", control: true }, { name: "missing" }]),
];

describe("visibleGraph", () => {
  const h = buildHierarchy(NODES, 99);

  it("shows closed scopes and folds their edges into one per pair of boxes", () => {
    const g = visibleGraph(h, NODES, new Set());
    expect(g.items.map((v) => v.id)).toEqual([opId("in"), scopeId("a"), scopeId("b"), opId("init")]);
    const ab = g.edges.find((e) => e.source === scopeId("a") && e.target === scopeId("b"));
    expect(ab?.count).toBe(2);
    expect(ab?.control).toBe(false);
    // a/x → b/z carries 8×100 elements; a/y's shape has an unknown dim, so it adds nothing.
    expect(ab?.elements).toBe(800);
    // Edges inside a closed box are dropped.
    expect(g.edges.some((e) => e.source === e.target)).toBe(false);
  });

  it("marks an edge of control inputs only as control", () => {
    const g = visibleGraph(h, NODES, new Set());
    const control = g.edges.find((e) => e.source === opId("init"));
    expect(control?.control).toBe(true);
    expect(control?.count).toBe(2);
  });

  it("opens a scope: its children show inside it and edges reach them", () => {
    const g = visibleGraph(h, NODES, new Set([scopeId("a")]));
    expect(g.items.find((v) => v.id === scopeId("a"))?.open).toBe(true);
    expect(g.items.find((v) => v.id === opId("a/x"))?.parent).toBe(scopeId("a"));
    expect(g.edges.some((e) => e.source === opId("in") && e.target === opId("a/x"))).toBe(true);
    expect(g.edges.some((e) => e.source === opId("a/x") && e.target === opId("a/y"))).toBe(true);
    expect(g.representative[h.nodeByName.get("b/z") as number]).toBe(scopeId("b"));
  });

  it("ignores an open flag on a box whose parent is closed", () => {
    const g = visibleGraph(buildHierarchy([node("p/q/r"), node("p/s")], 99), [node("p/q/r"), node("p/s")], new Set([scopeId("p/q")]));
    expect(g.items.map((v) => v.id)).toEqual([scopeId("p")]);
  });
});

describe("edge sizes and sums", () => {
  it("counts tensor elements only when every dim is known", () => {
    expect(tensorElements(node("n", [], [[2, 3], [4]]), 1)).toBe(4);
    expect(tensorElements(node("n", [], [[2, -1]]), 0)).toBe(0);
    expect(tensorElements(node("n"), 0)).toBe(0);
  });

  it("draws bigger tensors thicker, capped, and control edges thin", () => {
    expect(edgeWidth({ elements: 0, control: false })).toBe(1);
    expect(edgeWidth({ elements: 1000, control: false })).toBeGreaterThan(edgeWidth({ elements: 10, control: false }));
    expect(edgeWidth({ elements: 1e12, control: false })).toBe(6);
    expect(edgeWidth({ elements: 1e6, control: true })).toBe(1);
  });

  it("sums a per-node value over every box holding the node", () => {
    const h = buildHierarchy(NODES, 99);
    const sums = sumOverItems(h, (i) => (NODES[i]?.name.startsWith("a/") ? 5 : 0));
    expect(sums.get(scopeId("a"))).toBe(10);
    expect(sums.get(opId("a/x"))).toBe(5);
    expect(sums.has(scopeId("b"))).toBe(false);
  });
});
