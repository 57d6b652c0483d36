/**
 * The scope-tree worker: builds the hierarchy (scopes, ops, series folding; hierarchy.ts) of a
 * graph off the main thread. For a 20,000-node graph that is ~0.5 s of work which, done on the
 * main thread, froze the page just as the graph arrived.
 */
import { buildHierarchy } from "./hierarchy";
import type { HierarchyAnswer, HierarchyRequest } from "./hierarchyTypes";
import { encodeHierarchy, wireBuffers } from "./hierarchyWire";

self.onmessage = (event: MessageEvent<HierarchyRequest>): void => {
  const { id, names, ops } = event.data;
  let answer: HierarchyAnswer;
  let transfer: ArrayBuffer[] = [];
  try {
    const wire = encodeHierarchy(buildHierarchy(names.map((name, i) => ({ name, op: ops[i] ?? "" }))));
    answer = { id, wire };
    transfer = wireBuffers(wire);
  } catch (error) {
    answer = { id, error: String(error) };
  }
  (self as unknown as Worker).postMessage(answer, transfer);
};
