/** Hooks shared by the media cards: lazy loading, the tag listing, and per-card refetch triggers. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { MediaSeries } from "../../api/media";
import { useOnScreen } from "../../components/useOnScreen";
import * as s from "../../state/store";
import { hasUnknownTag } from "./cards";
import * as m from "./mediaState";
import { chooseIndex, shownIndex } from "./steps";

/**
 * A card's data version: changes on reload and when the server reports new data for its tag.
 * Cards off screen keep their version until they scroll back in, so a live run does not make
 * hundreds of hidden cards refetch.
 */
export function useDataVersion(tag: string, onScreen: boolean): string {
  const now = `${s.reloadTick.value}.${s.tagVersions.value.get(tag) ?? 0}`;
  const kept = useRef(now);
  if (onScreen) kept.current = now;
  return kept.current;
}

/**
 * A plugin's (run, tag) listing, fetched again on reload, when runs change, and when a live update
 * names a tag neither this listing nor the scalars listing knows (a new series of this plugin).
 */
export function useMediaTags(
  fetcher: (signal: AbortSignal) => Promise<MediaSeries[]>,
): { series: MediaSeries[] | null; error: string | null } {
  const [series, setSeries] = useState<MediaSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refetch, setRefetch] = useState(0);
  const versions = s.tagVersions.value;
  const previous = useRef(versions);
  const known = useRef<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const before = previous.current;
    previous.current = versions;
    const changed = [...versions].filter(([tag, v]) => before.get(tag) !== v).map(([tag]) => tag);
    if (hasUnknownTag(changed, known.current, s.scalarTags.value)) setRefetch((n) => n + 1);
  }, [versions]);

  const tick = s.reloadTick.value;
  const runs = s.runsVersion.value;
  useEffect(() => {
    const abort = new AbortController();
    fetcher(abort.signal).then(
      (list) => {
        known.current = new Set(list.map((x) => x.tag));
        setError(null);
        setSeries(list);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
  }, [tick, runs, refetch, fetcher]);
  return { series, error };
}

/**
 * A card's steps, fetched once it comes near the viewport and again when its data version
 * changes; and the step it shows (the latest unless the user picked another).
 */
export function useCardSteps<T extends { step: number }>(
  card: { current: HTMLElement | null },
  tag: string,
  identity: string,
  /** Names the tag's shared slider when steps are synced (`images|val/x`). */
  shareKey: string,
  fetcher: (signal: AbortSignal) => Promise<T[]>,
): {
  data: T[] | null;
  error: string | null;
  index: number;
  choose: (index: number) => void;
} {
  const onScreen = useOnScreen(card);
  // Once loaded, a card keeps its media when scrolled away (one observer per card, not two).
  const seenRef = useRef(false);
  if (onScreen) seenRef.current = true;
  const seen = seenRef.current;
  const version = useDataVersion(tag, onScreen);
  const [data, setData] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  useEffect(() => {
    if (!seen) return undefined;
    const abort = new AbortController();
    fetcher(abort.signal).then(
      (list) => {
        setError(null);
        setData(list);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // The fetcher is a new closure each render; identity names what it fetches.
  }, [seen, identity, version]);
  const steps = data === null ? [] : data.map((d) => d.step);
  const synced = m.syncSteps.value;
  // Synced, every run's card of the tag shows the step nearest to the one chosen on any of them.
  const current = synced ? (m.sharedSteps.value.get(shareKey) ?? null) : chosen;
  return {
    data,
    error,
    index: shownIndex(steps, current),
    choose: (index) => {
      const step = chooseIndex(steps, index);
      if (synced) m.chooseShared(shareKey, step);
      else setChosen(step);
    },
  };
}
