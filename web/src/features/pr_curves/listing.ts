/**
 * A plugin's run → tags listing for the dashboards of this folder and mesh/: fetched when the
 * dashboard opens, on reload, when runs change, and when a live update names a tag the listing
 * lacks (a new series); a known tag's new steps refetch only its cards.
 */
import { useEffect, useState } from "preact/hooks";
import * as s from "../../state/store";
import type { RunPredicate } from "../../lib/runCount";

export interface Listing<T> {
  /** null while the first answer is on its way. */
  value: T | null;
  error: string | null;
}

export function useListing<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  /** Tag names the listing knows, as live updates name them. */
  knownTags: (value: T) => Iterable<string>,
): Listing<T> {
  const [state, setState] = useState<Listing<T>>({ value: null, error: null });
  const tick = s.reloadTick.value;
  const runs = s.runsVersion.value;
  const versions = s.tagVersions.value;
  const known = new Set(state.value === null ? [] : knownTags(state.value));
  const unknownKey =
    state.value === null
      ? ""
      : [...versions]
          .filter(([tag]) => !known.has(tag) && !s.scalarTags.value.has(tag))
          .map(([tag, v]) => `${tag}:${v}`)
          .join(";");

  useEffect(() => {
    const abort = new AbortController();
    fetcher(abort.signal).then(
      (value) => setState({ value, error: null }),
      (e: unknown) => {
        if (!abort.signal.aborted) setState((prev) => ({ ...prev, error: e instanceof Error ? e.message : String(e) }));
      },
    );
    return () => abort.abort();
  }, [fetcher, tick, runs, unknownKey]);
  return state;
}

/** tag → runs (sorted) from run → tags, for shown runs only. */
export function runsByTag(
  byRun: ReadonlyMap<string, readonly string[]>,
  shown: RunPredicate,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [run, tags] of byRun) {
    if (!shown.has(run)) continue;
    for (const tag of tags) {
      const list = out.get(tag);
      if (list) list.push(run);
      else out.set(tag, [run]);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}
