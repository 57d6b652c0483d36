/**
 * Between the layout request and ELK's JSON graph, both ways (pure, so it is tested in Node).
 * Opened boxes are laid out bottom-up, each with its children only (edges lifted to them), as
 * TensorBoard lays out its metanodes; edges across box borders are drawn straight between the
 * boxes. ELK's INCLUDE_CHILDREN (one pass over the whole hierarchy) took seconds for 80 boxes.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { LayoutRequest, LayoutResult } from "./layoutTypes";

const ROOT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.hierarchyHandling": "SEPARATE_CHILDREN",
  "elk.json.shapeCoords": "ROOT",
  "elk.json.edgeCoords": "ROOT",
  "elk.spacing.nodeNode": "18",
  "elk.layered.spacing.nodeNodeBetweenLayers": "28",
  "elk.layered.spacing.edgeNodeBetweenLayers": "12",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.edgeRouting": "POLYLINE",
};
const OPEN_OPTIONS: Record<string, string> = { ...ROOT_OPTIONS, "elk.padding": "[top=30,left=12,bottom=12,right=12]" };

/** The ancestors of `id` among the request's boxes, outermost first, then `id` itself. */
function chain(parents: ReadonlyMap<string, string | null>, id: string): string[] {
  const out = [id];
  let current = parents.get(id) ?? null;
  while (current !== null) {
    out.push(current);
    current = parents.get(current) ?? null;
  }
  return out.reverse();
}

/**
 * The ELK graph: every opened box a compound node; each edge declared in the innermost box
 * holding both ends, between the children of that box that contain them (lifted). Edges that
 * needed lifting are not routed by ELK; `direct` marks the ones it routes.
 */
export function toElk(request: LayoutRequest): { root: ElkNode; direct: boolean[] } {
  const root: ElkNode = { id: "__root__", layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const byId = new Map<string, ElkNode>();
  const parents = new Map<string, string | null>();
  for (const node of request.nodes) {
    const elkNode: ElkNode = node.open
      ? { id: node.id, layoutOptions: OPEN_OPTIONS, children: [], edges: [] }
      : { id: node.id, width: node.width, height: node.height };
    byId.set(node.id, elkNode);
    parents.set(node.id, node.parent);
    const parent = node.parent === null ? root : byId.get(node.parent);
    (parent ?? root).children?.push(elkNode);
  }
  const lifted = new Set<string>();
  const direct = request.edges.map((edge) => {
    const a = chain(parents, edge.source);
    const b = chain(parents, edge.target);
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    const from = a[common];
    const to = b[common];
    if (from === undefined || to === undefined) return false;
    const container = common === 0 ? root : (byId.get(a[common - 1] as string) ?? root);
    const isDirect = from === edge.source && to === edge.target;
    const key = `${from}\u0000${to}`;
    if (isDirect || !lifted.has(key)) {
      lifted.add(key);
      const id = isDirect ? edge.id : `lifted:${key}`;
      container.edges?.push({ id, sources: [from], targets: [to] } satisfies ElkExtendedEdge);
    }
    return isDirect;
  });
  return { root, direct };
}

export function fromElk(request: LayoutRequest, laid: ElkNode, direct: readonly boolean[], millis: number): LayoutResult {
  const boxes = new Float64Array(request.nodes.length * 4);
  const index = new Map(request.nodes.map((node, i) => [node.id, i]));
  const stack: ElkNode[] = [...(laid.children ?? [])];
  while (stack.length) {
    const node = stack.pop() as ElkNode;
    const i = index.get(node.id);
    if (i !== undefined) boxes.set([node.x ?? 0, node.y ?? 0, node.width ?? 0, node.height ?? 0], i * 4);
    stack.push(...(node.children ?? []));
  }
  const edgePoints: number[][] = request.edges.map(() => []);
  const edgeIndex = new Map(request.edges.map((edge, i) => [edge.id, i]));
  const collect = (node: ElkNode): void => {
    for (const edge of node.edges ?? []) {
      const i = edgeIndex.get(edge.id);
      if (i === undefined) continue;
      const points: number[] = [];
      for (const section of edge.sections ?? []) {
        points.push(section.startPoint.x, section.startPoint.y);
        for (const bend of section.bendPoints ?? []) points.push(bend.x, bend.y);
        points.push(section.endPoint.x, section.endPoint.y);
      }
      edgePoints[i] = points;
    }
    for (const child of node.children ?? []) collect(child);
  };
  collect(laid);
  // Edges across box borders: from the bottom of the source to the top of the target.
  request.edges.forEach((edge, i) => {
    if (direct[i] && (edgePoints[i]?.length ?? 0) >= 4) return;
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined) return;
    const sx = (boxes[s * 4] as number) + (boxes[s * 4 + 2] as number) / 2;
    const sy = (boxes[s * 4 + 1] as number) + (boxes[s * 4 + 3] as number);
    const tx = (boxes[t * 4] as number) + (boxes[t * 4 + 2] as number) / 2;
    const ty = boxes[t * 4 + 1] as number;
    edgePoints[i] = ty > sy ? [sx, sy, sx, sy + 8, tx, ty - 8, tx, ty] : [sx, sy, tx, ty];
  });
  return { id: request.id, boxes, edgePoints, width: laid.width ?? 0, height: laid.height ?? 0, millis };
}
