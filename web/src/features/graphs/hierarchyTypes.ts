/** Messages between the dashboard and the scope-tree worker (kept apart so both sides type-check). */
import type { HierarchyWire } from "./hierarchyWire";

/** Node names and ops, in node order: the only parts of a graph the scope tree depends on. */
export interface HierarchyRequest {
  id: number;
  names: string[];
  ops: string[];
}

export type HierarchyAnswer = { id: number; wire: HierarchyWire } | { id: number; error: string };
