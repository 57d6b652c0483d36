import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { fromElk, toElk } from "./elkGraph";
import type { LayoutRequest } from "./layoutTypes";

/** a → (box S: b → c) → d, plus a control edge a → d. */
const REQUEST: LayoutRequest = {
  id: 1,
  nodes: [
    { id: "a", parent: null, open: false, width: 50, height: 20 },
    { id: "S", parent: null, open: true, width: 0, height: 0 },
    { id: "b", parent: "S", open: false, width: 50, height: 20 },
    { id: "c", parent: "S", open: false, width: 50, height: 20 },
    { id: "d", parent: null, open: false, width: 50, height: 20 },
  ],
  edges: [
    { id: "e0", source: "a", target: "b" },
    { id: "e1", source: "b", target: "c" },
    { id: "e2", source: "c", target: "d" },
    { id: "e3", source: "a", target: "d" },
  ],
};

describe("toElk", () => {
  it("declares each edge in the innermost box holding both ends, lifted to its children", () => {
    const { root, direct } = toElk(REQUEST);
    const box = root.children?.find((n) => n.id === "S");
    expect(box?.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual([["b", "c"]]);
    // a → b crosses S's border: laid out as a → S; c → d as S → d.
    expect(root.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual([
      ["a", "S"],
      ["S", "d"],
      ["a", "d"],
    ]);
    expect(direct).toEqual([false, true, false, true]);
  });
});

describe("fromElk", () => {
  it("gives absolute boxes, children inside their box, and a polyline for every edge", async () => {
    const { root, direct } = toElk(REQUEST);
    const laid = await new ELK().layout(root);
    const result = fromElk(REQUEST, laid, direct, 0);
    const box = (i: number): number[] => Array.from(result.boxes.slice(i * 4, i * 4 + 4));
    const [sx, sy, sw, sh] = box(1) as [number, number, number, number];
    for (const child of [2, 3]) {
      const [x, y, w, h] = box(child) as [number, number, number, number];
      expect(x).toBeGreaterThanOrEqual(sx);
      expect(y).toBeGreaterThanOrEqual(sy);
      expect(x + w).toBeLessThanOrEqual(sx + sw);
      expect(y + h).toBeLessThanOrEqual(sy + sh);
    }
    // Laid out top to bottom: a above S above d.
    expect((box(0)[1] as number) < sy && sy + sh < (box(4)[1] as number)).toBe(true);
    for (const points of result.edgePoints) expect(points.length).toBeGreaterThanOrEqual(4);
    // The lifted edge a → b ends at b's top.
    const e0 = result.edgePoints[0] as number[];
    expect(e0[e0.length - 1]).toBeCloseTo(box(2)[1] as number);
  });
});
