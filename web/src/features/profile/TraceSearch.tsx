/**
 * The trace viewer's search box: the text dims every span whose name does not hold it (the
 * canvas does that from the window's names); Enter / ▶ jumps to the next matching span after
 * the selection, Shift+Enter / ◀ to the previous one, asking the server (the browser never
 * holds the whole trace).
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { ProfileKey } from "../../api/profile";
import { fetchSearch, type SpanBrief } from "./traceApi";

export function TraceSearch({
  capture,
  value,
  onInput,
  from,
  onMatch,
}: {
  capture: ProfileKey;
  value: string;
  onInput: (text: string) => void;
  /** Where next / previous count from (µs): the selection's start or the view's. */
  from: number;
  onMatch: (match: SpanBrief) => void;
}): JSX.Element {
  const [status, setStatus] = useState("");

  const go = (forward: boolean): void => {
    const query = value.trim();
    if (query === "") return;
    fetchSearch(capture, query, forward ? { after: from } : { before: from })
      .then((answer) => {
        if (answer.match === null) setStatus(answer.total === 0 ? "no match" : `${answer.total.toLocaleString()} matches · no more`);
        else {
          setStatus(`${answer.total.toLocaleString()} matches`);
          onMatch(answer.match);
        }
      })
      .catch((e: unknown) => setStatus(e instanceof Error ? e.message : String(e)));
  };

  return (
    <span class="trace-search-box">
      <input
        type="search"
        class="trace-search"
        placeholder="Search (Enter: next)"
        value={value}
        onInput={(e) => {
          onInput(e.currentTarget.value);
          setStatus("");
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Enter") go(!e.shiftKey);
        }}
      />
      <button type="button" onClick={() => go(false)} title="Previous match (Shift+Enter)">◀</button>
      <button type="button" onClick={() => go(true)} title="Next match (Enter)" data-testid="trace-search-next">▶</button>
      <span class="muted" data-testid="trace-search-status">{status}</span>
    </span>
  );
}
