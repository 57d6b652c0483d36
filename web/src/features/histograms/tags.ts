/**
 * Which (run, tag) pairs have histograms. Loaded when a histogram or distribution dashboard is
 * shown, and again on reload, when runs change, and when a live update names a tag this list
 * does not know yet (a new histogram tag); a known tag's new steps only refetch its cards.
 */
import { useEffect, useState } from "preact/hooks";
import { fetchHistogramTags, type HistogramPlugin } from "../../api/histograms";
import * as s from "../../state/store";
import type { RunPredicate } from "../../lib/runCount";

export interface SeriesKey {
  run: string;
  tag: string;
}

export interface PluginTags {
  /** run → tags; null while the first answer is on its way. */
  byRun: ReadonlyMap<string, readonly string[]> | null;
  error: string | null;
}

function allTags(byRun: ReadonlyMap<string, readonly string[]> | null): Set<string> {
  const out = new Set<string>();
  for (const tags of byRun?.values() ?? []) for (const tag of tags) out.add(tag);
  return out;
}

export function usePluginTags(plugin: HistogramPlugin): PluginTags {
  const [state, setState] = useState<PluginTags>({ byRun: null, error: null });
  const tick = s.reloadTick.value;
  const runs = s.runsVersion.value;
  const versions = s.tagVersions.value;
  // A changed tag this list lacks means a new series: worth refetching the (small) listing.
  const known = allTags(state.byRun);
  const unknownChanged = state.byRun !== null && [...versions.keys()].some((tag) => !known.has(tag));
  const unknownKey = unknownChanged ? [...versions].filter(([t]) => !known.has(t)).join(";") : "";

  useEffect(() => {
    const abort = new AbortController();
    fetchHistogramTags(plugin, abort.signal).then(
      (byRun) => setState({ byRun, error: null }),
      (e: unknown) => {
        if (!abort.signal.aborted) setState((prev) => ({ ...prev, error: e instanceof Error ? e.message : String(e) }));
      },
    );
    return () => abort.abort();
  }, [plugin, tick, runs, unknownKey]);
  return state;
}

/** The (run, tag) pairs to show: shown runs only, tags matching the filter. */
export function seriesToShow(
  byRun: ReadonlyMap<string, readonly string[]>,
  shownRuns: RunPredicate,
  matches: (tag: string) => boolean,
): SeriesKey[] {
  const out: SeriesKey[] = [];
  for (const [run, tags] of byRun) {
    if (!shownRuns.has(run)) continue;
    for (const tag of tags) if (matches(tag)) out.push({ run, tag });
  }
  return out;
}
