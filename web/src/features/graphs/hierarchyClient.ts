/**
 * The main thread's side of the scope-tree worker: one worker for the page, requests answered
 * by id. Only names and ops cross into the worker (cheap to copy); the finished tree comes back
 * as typed arrays and one string (hierarchyWire.ts), rebuilt here in a few milliseconds.
 */
import type { GraphNode } from "../../api/graphs";
import type { Hierarchy } from "./hierarchy";
import type { HierarchyAnswer, HierarchyRequest } from "./hierarchyTypes";
import { decodeHierarchy } from "./hierarchyWire";

interface Waiter {
  nodes: readonly GraphNode[];
  resolve: (hierarchy: Hierarchy) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let lastId = 0;
const waiting = new Map<number, Waiter>();

function ensure(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL("./hierarchy.worker.ts", import.meta.url), { type: "module" });
  started.onmessage = (event: MessageEvent<HierarchyAnswer>): void => {
    const answer = event.data;
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (!waiter) return;
    if ("error" in answer) waiter.reject(new Error(answer.error));
    else waiter.resolve(decodeHierarchy(answer.wire, waiter.nodes));
  };
  started.onerror = (event: ErrorEvent): void => {
    for (const waiter of waiting.values()) waiter.reject(new Error(event.message || "the scope-tree worker failed"));
    waiting.clear();
    worker = null;
  };
  worker = started;
  return started;
}

/** Starts the worker ahead of need (while the graph downloads). */
export function warmHierarchyWorker(): void {
  ensure();
}

/** The scope tree of `nodes`, built in the worker; rejects if the signal aborts first. */
export function buildHierarchyOffThread(nodes: readonly GraphNode[], signal?: AbortSignal): Promise<Hierarchy> {
  const request: HierarchyRequest = { id: ++lastId, names: nodes.map((n) => n.name), ops: nodes.map((n) => n.op) };
  return new Promise((resolve, reject) => {
    waiting.set(request.id, { nodes, resolve, reject });
    signal?.addEventListener("abort", () => {
      if (waiting.delete(request.id)) reject(new DOMException("aborted", "AbortError"));
    });
    ensure().postMessage(request);
  });
}
