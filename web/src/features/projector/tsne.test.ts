import { describe, expect, it } from "vitest";
import { affinities, Tsne } from "./tsne";

describe("t-SNE", () => {
  it("keeps two well-separated clusters apart in the layout", () => {
    const n = 40, d = 5;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i < 20 ? 0 : 10) + Math.sin(i * 12.9898 + j * 78.233) * 0.5;
    const p = affinities(data, n, d, 5);
    let total = 0;
    for (const v of p.p) total += v;
    expect(total).toBeCloseTo(1, 6);
    const tsne = new Tsne(n, p, { dims: 2, perplexity: 5, learningRate: 10, seed: 1 });
    for (let i = 0; i < 300; i++) tsne.step();
    const centre = (from: number): [number, number] => {
      let x = 0, y = 0;
      for (let i = from; i < from + 20; i++) {
        x += tsne.y[i * 2]!;
        y += tsne.y[i * 2 + 1]!;
      }
      return [x / 20, y / 20];
    };
    const [a, b] = [centre(0), centre(20)];
    const between = Math.hypot(a[0] - b[0], a[1] - b[1]);
    let spread = 0;
    for (let i = 0; i < 20; i++) spread = Math.max(spread, Math.hypot(tsne.y[i * 2]! - a[0], tsne.y[i * 2 + 1]! - a[1]));
    expect(between).toBeGreaterThan(2 * spread);
  });
});
