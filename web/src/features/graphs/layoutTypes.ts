/** Messages between the dashboard and the layout worker (kept apart so both sides type-check). */

export interface LayoutNode {
  id: string;
  parent: string | null;
  /** An opened box: its size comes from its children. */
  open: boolean;
  width: number;
  height: number;
}

export interface LayoutRequest {
  id: number;
  nodes: LayoutNode[];
  edges: { id: string; source: string; target: string }[];
}

export interface LayoutResult {
  id: number;
  /** x, y, width, height per request node, absolute, in request order. */
  boxes: Float64Array;
  /** Flat x, y polyline per request edge, absolute. */
  edgePoints: number[][];
  width: number;
  height: number;
  /** Time ELK took in the worker. */
  millis: number;
}

export interface LayoutFailure {
  id: number;
  error: string;
}
