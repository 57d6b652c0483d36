/**
 * The runs table's own state: the query typed, the sort, the columns hidden and the metrics
 * chosen. Column choices are display preferences kept in local storage; the query and sort are
 * signals here (the run *selection* is the app's, in state/store.ts, shared with the selector).
 */
import { effect, signal } from "@preact/signals";
import type { SortState } from "./columns";

const STORAGE_KEY = "heron.runsTable";

interface Saved {
  hidden: string[];
  metrics: string[];
}

function readSaved(): Saved {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    const record = (value ?? {}) as Record<string, unknown>;
    const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((i): i is string => typeof i === "string") : []);
    return { hidden: strings(record["hidden"]), metrics: strings(record["metrics"]) };
  } catch {
    return { hidden: [], metrics: [] };
  }
}

const saved = typeof localStorage === "undefined" ? { hidden: [], metrics: [] } : readSaved();

/** The text in the search box. */
export const queryText = signal("");
/** The query sent to the server: ``queryText`` once typing pauses (or Enter). */
export const appliedQuery = signal("");
export const sort = signal<SortState | null>(null);
export const hiddenColumns = signal<ReadonlySet<string>>(new Set(saved.hidden));
/** Scalar tags whose last / min / max are shown, in the order chosen. */
export const chosenMetrics = signal<readonly string[]>(saved.metrics);
export const chooserOpen = signal(false);

let saving = false;
/** Keeps column choices across visits (called once by the dashboard). */
export function persistChoices(): void {
  if (saving || typeof localStorage === "undefined") return;
  saving = true;
  effect(() => {
    const value: Saved = { hidden: [...hiddenColumns.value], metrics: [...chosenMetrics.value] };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch {
      // Storage may be refused (private windows): the choices last for this page.
    }
  });
}

export function toggleHidden(id: string): void {
  const next = new Set(hiddenColumns.value);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  hiddenColumns.value = next;
}

export function toggleMetric(tag: string): void {
  const current = chosenMetrics.value;
  chosenMetrics.value = current.includes(tag) ? current.filter((t) => t !== tag) : [...current, tag];
}
