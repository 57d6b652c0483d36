/**
 * The HParams dashboard's own state. The brushing filters are shared by the table, the parallel
 * coordinates and the scatter-plot matrix; the run *selection* stays the app's (state/store.ts)
 * and is linked through explicit buttons, so brushing to explore never loses a hand-made
 * selection.
 */
import { signal } from "@preact/signals";
import type { Filter, Filters } from "./filter";

export type View = "table" | "parallel" | "scatter";

export const view = signal<View>("parallel");
export const filters = signal<Filters>(new Map());
/** Axis id → log on/off, where the user overrode the default (log for hparams over 2 decades). */
export const logOverrides = signal<ReadonlyMap<string, boolean>>(new Map());
/** The axis colouring lines and points; null = the first metric. */
export const colorBy = signal<string | null>(null);
/** The session whose details are shown (clicked), or null. */
export const pinned = signal<string | null>(null);

export function setFilter(axisId: string, filter: Filter | undefined): void {
  const next = new Map(filters.value);
  if (filter === undefined) next.delete(axisId);
  else next.set(axisId, filter);
  filters.value = next;
}

export function setLog(axisId: string, log: boolean): void {
  logOverrides.value = new Map(logOverrides.value).set(axisId, log);
}
