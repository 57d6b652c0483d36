/**
 * From a layout to what the canvas draws: box labels, fills for the chosen colouring (structure:
 * by op type; compute time or memory: a heat scale over the sums under each box), and edges with
 * their width (tensor size) and dash (control dependencies).
 */
import type { GraphData } from "../../api/graphs";
import { hashString, type Hierarchy, type Item } from "./hierarchy";
import type { LayoutResult } from "./layoutTypes";
import type { Scene, SceneBox } from "./GraphCanvas";
import { edgeWidth, sumOverItems, type VisibleGraph } from "./visible";

export type Colouring = "structure" | "compute" | "memory";

const SCOPE_FILL = "rgba(96, 165, 250, 0.28)";
const SERIES_FILL = "rgba(129, 140, 248, 0.30)";
const NO_VALUE_FILL = "rgba(148, 163, 184, 0.16)";

/** A soft fill per op type, the same for every graph (hash of the op name). */
export function opFill(op: string): string {
  return `hsla(${hashString(op) % 360}, 70%, 62%, 0.30)`;
}

/** Light yellow → red by `value / max` (square-root scale so small values stay visible). */
export function heatFill(value: number, max: number): string {
  if (!(value > 0) || !(max > 0)) return NO_VALUE_FILL;
  const t = Math.sqrt(Math.min(1, value / max));
  const hue = 50 - 50 * t;
  return `hsla(${hue.toFixed(0)}, 90%, ${(70 - 20 * t).toFixed(0)}%, ${(0.45 + 0.5 * t).toFixed(2)})`;
}

/** Per item sum of the chosen stat, or null for the structure colouring (or no stats). */
export function statSums(graph: GraphData, h: Hierarchy, colouring: Colouring): Map<string, number> | null {
  const stats = graph.stats;
  if (colouring === "structure" || !stats) return null;
  const key = colouring === "compute" ? "compute_micros" : "memory_bytes";
  return sumOverItems(h, (index) => stats[graph.nodes[index]?.name ?? ""]?.[key] ?? 0);
}

function detailOf(item: Item): string {
  return `${item.opCount} op${item.opCount === 1 ? "" : "s"}${item.kind === "series" ? ` · ${item.children.length}×` : ""}`;
}

export function buildScene(
  graph: GraphData,
  h: Hierarchy,
  visible: VisibleGraph,
  layout: LayoutResult,
  sums: Map<string, number> | null,
): Scene {
  let max = 0;
  if (sums) for (const v of visible.items) max = Math.max(max, sums.get(v.id) ?? 0);
  const boxes: SceneBox[] = visible.items.map((v) => {
    const item = h.items.get(v.id) as Item;
    const kind = item.kind === "op" ? "op" : item.kind === "series" ? "series" : "scope";
    let fill: string;
    if (sums) fill = heatFill(sums.get(v.id) ?? 0, max);
    else if (kind === "op") fill = opFill(graph.nodes[item.node]?.op ?? "");
    else fill = kind === "series" ? SERIES_FILL : SCOPE_FILL;
    return { id: v.id, label: item.label, kind, open: v.open, fill, detail: kind === "op" ? "" : detailOf(item) };
  });
  const edges = visible.edges.map((edge, i) => ({
    points: layout.edgePoints[i] ?? [],
    width: edgeWidth(edge),
    dashed: edge.control,
  }));
  return { boxes, rects: layout.boxes, edges, width: layout.width, height: layout.height };
}

/** "1.2 ms", "340 µs"; "12.5 MB", "512 B": for the details panel and the legend. */
export function formatStat(colouring: Exclude<Colouring, "structure">, value: number): string {
  if (colouring === "compute") return value >= 1000 ? `${(value / 1000).toFixed(value >= 100_000 ? 0 : 1)} ms` : `${value} µs`;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
