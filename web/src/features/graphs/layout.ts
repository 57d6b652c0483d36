/**
 * The main thread's side of layout: box sizes from labels, and one worker that lays out the
 * latest request only (a request made while one runs supersedes any queued one, so fast clicking
 * never stacks up stale layouts).
 */
import type { Item } from "./hierarchy";
import type { LayoutFailure, LayoutNode, LayoutRequest, LayoutResult } from "./layoutTypes";
import type { VisibleGraph } from "./visible";

export const OP_HEIGHT = 24;
export const GROUP_HEIGHT = 38;
const CHAR_WIDTH = 6.6;

/** Width and height of a closed box for its label (ops are pills, groups taller with a count). */
export function boxSize(item: Pick<Item, "kind" | "label">): { width: number; height: number } {
  const text = Math.min(item.label.length, 34) * CHAR_WIDTH;
  if (item.kind === "op") return { width: Math.max(44, text + 20), height: OP_HEIGHT };
  return { width: Math.max(70, text + 28), height: GROUP_HEIGHT };
}

export function layoutRequest(id: number, graph: VisibleGraph, items: ReadonlyMap<string, Item>): LayoutRequest {
  const nodes: LayoutNode[] = graph.items.map((v) => {
    const size = boxSize(items.get(v.id) as Item);
    return { id: v.id, parent: v.parent, open: v.open, width: size.width, height: size.height };
  });
  const edges = graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));
  return { id, nodes, edges };
}

let lastId = 0;
/** Layout request ids, unique for the page (the worker is shared by every graph shown). */
export const nextLayoutId = (): number => ++lastId;

export class LayoutWorker {
  private worker: Worker | null = null;
  private pending: { request: LayoutRequest; resolve: (r: LayoutResult | null) => void; reject: (e: Error) => void } | null = null;
  private running: number | null = null;
  private waiting = new Map<number, { resolve: (r: LayoutResult | null) => void; reject: (e: Error) => void }>();

  /** Lays out `request`; resolves null if a newer request superseded it before it started. */
  layout(request: LayoutRequest): Promise<LayoutResult | null> {
    return new Promise((resolve, reject) => {
      this.pending?.resolve(null);
      this.pending = { request, resolve, reject };
      this.pump();
    });
  }

  /** Starts the worker and ELK now (~1.5 MB of script to compile), while the graph downloads. */
  warm(): void {
    void this.layout({ id: nextLayoutId(), nodes: [], edges: [] });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending?.resolve(null);
    for (const w of this.waiting.values()) w.resolve(null);
    this.waiting.clear();
  }

  private pump(): void {
    if (this.running !== null || !this.pending) return;
    const { request, resolve, reject } = this.pending;
    this.pending = null;
    this.running = request.id;
    this.waiting.set(request.id, { resolve, reject });
    this.ensure().postMessage(request);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<LayoutResult | LayoutFailure>): void => {
      const answer = event.data;
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      this.running = null;
      if (waiter) {
        if ("error" in answer) waiter.reject(new Error(answer.error));
        else waiter.resolve(answer);
      }
      this.pump();
    };
    this.worker = worker;
    return worker;
  }
}
