/**
 * Bookmarks as TensorBoard's projector saves them (a JSON list of states): a label, the selected
 * points, the colour-by option and, per point, saved coordinates. Only what Heron can restore is
 * kept; anything malformed is dropped rather than breaking the dashboard.
 */
export interface Bookmark {
  label: string;
  selected: number[];
  colorBy: string | null;
  /** Saved n × 3 coordinates (z = 0 for 2-D states), or null when the state saved none. */
  coords: Float32Array | null;
  dims: 2 | 3;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseBookmarks(raw: unknown, n: number): Bookmark[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((state, k): Bookmark => {
    const selected = Array.isArray(state["selectedPoints"]) ? state["selectedPoints"].filter((i): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n) : [];
    const projections = Array.isArray(state["projections"]) ? state["projections"] : [];
    let coords: Float32Array | null = null;
    let dims: 2 | 3 = 2;
    if (projections.length === n && n > 0) {
      const prefix = typeof state["selectedProjection"] === "string" ? state["selectedProjection"] : "pca";
      const key = (c: number): string => (prefix === "pca" ? `pca-${c}` : prefix === "tsne" ? `tsne-${c}` : prefix === "umap" ? `umap-${c}` : `${prefix}-${c}`);
      coords = new Float32Array(n * 3);
      dims = projections.some((p) => isRecord(p) && typeof p[key(2)] === "number") ? 3 : 2;
      projections.forEach((p, i) => {
        for (let c = 0; c < 3; c++) coords![i * 3 + c] = isRecord(p) && typeof p[key(c)] === "number" ? (p[key(c)] as number) : c < dims ? NaN : 0;
      });
    }
    const color = state["selectedColorOptionName"];
    return { label: typeof state["label"] === "string" && state["label"] ? state["label"] : `Bookmark ${k + 1}`, selected, colorBy: typeof color === "string" ? color : null, coords, dims };
  });
}
