import { describe, expect, it } from "vitest";
import type { GraphNode } from "../../api/graphs";
import { ancestors, buildHierarchy, opId, ROOT, scopeId, searchItems } from "./hierarchy";
import { seriesLabel, splitNumber } from "./series";

const node = (name: string, op = "Op", inputs: string[] = []): GraphNode => ({
  name,
  op,
  device: "",
  attrs: {},
  inputs: inputs.map((text) => ({ name: text.replace(/^\^/, ""), output: 0, control: text.startsWith("^") })),
  shapes: null,
});

/** `count` blocks `layer_<i>` of MatMul → Relu, fed from "input". */
function stack(count: number, prefix = "layer_"): GraphNode[] {
  const nodes = [node("input", "Placeholder")];
  let previous = "input";
  for (let i = 1; i <= count; i++) {
    nodes.push(node(`${prefix}${i}/matmul`, "MatMul", [previous]), node(`${prefix}${i}/relu`, "Relu", [`${prefix}${i}/matmul`]));
    previous = `${prefix}${i}/relu`;
  }
  return nodes;
}

describe("buildHierarchy", () => {
  it("nests ops in their name scopes and counts ops per scope", () => {
    const h = buildHierarchy([node("a/b/c"), node("a/d"), node("e")], 99);
    expect(h.items.get(ROOT)?.children).toEqual([scopeId("a"), opId("e")]);
    expect(h.items.get(scopeId("a"))?.children).toEqual([scopeId("a/b"), opId("a/d")]);
    expect(h.items.get(scopeId("a"))?.opCount).toBe(2);
    expect(h.items.get(opId("a/b/c"))?.parent).toBe(scopeId("a/b"));
  });

  it("puts an op named like a scope inside that scope", () => {
    const h = buildHierarchy([node("dense"), node("dense/kernel")]);
    const op = h.items.get(opId("dense"));
    expect(op?.parent).toBe(scopeId("dense"));
    expect(op?.label).toBe("(dense)");
    expect(h.items.get(ROOT)?.children).toEqual([scopeId("dense")]);
  });

  it("gives identical blocks the same signature and different ones different", () => {
    const h = buildHierarchy([...stack(2), node("other/matmul", "MatMul"), node("other/sigmoid", "Sigmoid")], 99);
    const sig = (path: string): number => h.items.get(scopeId(path))?.signature ?? -1;
    expect(sig("layer_1")).toBe(sig("layer_2"));
    expect(sig("layer_1")).not.toBe(sig("other"));
  });

  it("handles a 20,000-node graph quickly", () => {
    const started = performance.now();
    const h = buildHierarchy(stack(10_000));
    expect(h.itemOfNode).toHaveLength(20_001);
    // Generous for a busy CI machine; a quadratic step would take minutes.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("series", () => {
  it("folds numbered siblings of the same structure into one series box", () => {
    const h = buildHierarchy(stack(12));
    const root = h.items.get(ROOT);
    expect(root?.children).toEqual([opId("input"), "series:layer_[1-12]"]);
    const series = h.items.get("series:layer_[1-12]");
    expect(series?.kind).toBe("series");
    expect(series?.children).toHaveLength(12);
    expect(series?.opCount).toBe(24);
    expect(h.items.get(scopeId("layer_7"))?.parent).toBe("series:layer_[1-12]");
    expect(ancestors(h.items, opId("layer_7/relu"))).toEqual(["series:layer_[1-12]", scopeId("layer_7")]);
  });

  it("keeps numbered siblings of different structure apart", () => {
    const nodes = [...stack(3), node("layer_4/conv", "Conv2D")];
    const h = buildHierarchy(nodes);
    expect(h.items.get(scopeId("layer_4"))?.parent).toBe(ROOT);
    expect(h.items.get(scopeId("layer_1"))?.parent).toBe("series:layer_[1-3]");
  });

  it("needs at least the minimum number of members", () => {
    const h = buildHierarchy(stack(2));
    expect([...h.items.values()].some((it) => it.kind === "series")).toBe(false);
  });

  it("folds PyTorch's Block[0]..Block[3] module lists", () => {
    const nodes = [0, 1, 2, 3].map((i) => node(`Net/Block[${i}]/Linear[fc]/linear`, "aten::linear"));
    const h = buildHierarchy(nodes);
    expect(h.items.get(scopeId("Net"))?.children).toEqual(["series:Net/Block[0-3]"]);
  });

  it("splits and labels numbered names", () => {
    expect(splitNumber("layer_12")).toEqual({ prefix: "layer_", number: 12, suffix: "" });
    expect(splitNumber("Block[3]")).toEqual({ prefix: "Block[", number: 3, suffix: "]" });
    expect(splitNumber("relu")).toBeNull();
    expect(seriesLabel("x_", [3, 1, 2])).toBe("x_[1-3]");
    expect(seriesLabel("x_", [1, 5, 9])).toBe("x_[1,5,9]");
  });
});

describe("searchItems", () => {
  it("finds ops and scopes by a case-insensitive substring, exact names first", () => {
    const h = buildHierarchy([node("enc/conv1_bn"), node("enc/conv1"), node("dec/up")], 99);
    const found = searchItems(h.items, "CONV1").map((it) => it.id);
    expect(found[0]).toBe(opId("enc/conv1"));
    expect(found).toContain(opId("enc/conv1_bn"));
    expect(found).not.toContain(opId("dec/up"));
    expect(searchItems(h.items, "  ")).toEqual([]);
  });
});
