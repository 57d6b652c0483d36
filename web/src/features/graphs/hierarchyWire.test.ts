import { describe, expect, it } from "vitest";
import { buildHierarchy, type Hierarchy } from "./hierarchy";
import { decodeHierarchy, encodeHierarchy } from "./hierarchyWire";

const plain = (h: Hierarchy): unknown => ({ items: [...h.items.entries()], itemOfNode: h.itemOfNode, nodeByName: [...h.nodeByName.entries()] });

describe("hierarchy wire", () => {
  it("round-trips scopes, ops named like a scope, series and duplicates in Map order", () => {
    const names = ["in", "dense", "dense/kernel", "dense/bias", "dense/MatMul", "dup", "dup"];
    for (let i = 0; i < 5; i++) names.push(`enc/layer_${i}/w`, `enc/layer_${i}/mul`);
    const nodes = names.map((name, i) => ({ name, op: name.endsWith("mul") ? "Mul" : name.endsWith("/w") ? "Var" : `Op${i % 3}` }));
    const built = buildHierarchy(nodes);
    expect([...built.items.values()].some((it) => it.kind === "series")).toBe(true);
    expect([...built.items.values()].some((it) => it.label === "(dense)")).toBe(true);
    const decoded = decodeHierarchy(encodeHierarchy(built), nodes);
    expect(plain(decoded)).toEqual(plain(built));
  });
});
