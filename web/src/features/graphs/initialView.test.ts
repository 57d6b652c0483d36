import { describe, expect, it } from "vitest";
import type { GraphNode } from "../../api/graphs";
import { buildHierarchy, scopeId } from "./hierarchy";
import { initialOpen } from "./initialView";

const node = (name: string, op = "Op"): GraphNode => ({ name, op, device: "", attrs: {}, inputs: [], shapes: null });

describe("initialOpen", () => {
  it("opens the biggest box of a small view, as deep as needed for a handful of boxes", () => {
    const names = ["input/x", "output/y", ...Array.from({ length: 6 }, (_, i) => `Net/part${String.fromCharCode(97 + i)}/op`)];
    const open = initialOpen(buildHierarchy(names.map((n) => node(n))));
    expect([...open]).toEqual([scopeId("Net")]);
  });

  it("keeps top-level scopes closed when there are enough of them", () => {
    const names = Array.from({ length: 9 }, (_, i) => `scope${String.fromCharCode(97 + i)}/op`);
    expect(initialOpen(buildHierarchy(names.map((n) => node(n)))).size).toBe(0);
  });

  it("does not open a box whose children would flood the view", () => {
    const names = ["a/x", ...Array.from({ length: 50 }, (_, i) => `big/op${String.fromCharCode(65 + (i % 26))}${i}`)];
    const open = initialOpen(buildHierarchy(names.map((n, i) => node(n, `Op${i}`)), 99));
    expect(open.has(scopeId("big"))).toBe(false);
  });
});
