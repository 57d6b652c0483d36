/** Small DOM hooks for the histogram and distribution cards. */
import { useEffect, useRef, useState } from "preact/hooks";
import * as s from "../../state/store";

/** The element's content width, kept current by a ResizeObserver. */
export function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => setWidth(el.clientWidth);
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * One (run, tag)'s steps, fetched once the card is on screen and again when the live stream
 * says the tag changed (or on reload); `null` until the first answer.
 */
export function useSeriesSteps<T>(
  run: string,
  tag: string,
  visible: boolean,
  fetchSteps: (run: string, tag: string, signal: AbortSignal) => Promise<T[]>,
): { data: T[] | null; error: string | null } {
  const [data, setData] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetchedKey = useRef("");
  const version = s.tagVersions.value.get(tag) ?? 0;
  const tick = s.reloadTick.value;

  useEffect(() => {
    if (!visible) return undefined;
    const key = `${version}|${tick}`;
    if (key === fetchedKey.current) return undefined;
    const abort = new AbortController();
    fetchSteps(run, tag, abort.signal).then(
      (steps) => {
        fetchedKey.current = key;
        setError(null);
        setData(steps);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // fetchSteps is a module-level function of each card kind.
  }, [visible, version, tick, run, tag]);

  return { data, error };
}
