/** One request per capture: the value, or the error text, with the request aborted on change. */
import { useEffect, useState } from "preact/hooks";
import type { ProfileKey } from "../../api/profile";

export function useCaptureFetch<T>(
  capture: ProfileKey,
  load: (key: ProfileKey, signal: AbortSignal) => Promise<T>,
): { value: T | null; error: string | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    load(capture, abort.signal)
      .then(setValue)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [capture.run, capture.session, capture.host, capture.format]);
  return { value, error };
}
