/**
 * The runs list. Virtualized and lazy: the list is as tall as the server's count of runs matching
 * the filter, only the rows in view (plus a few) are in the DOM, and only the pages of names under
 * them are fetched (state/runPages.ts), so 100,000 runs cost a request or two, not 100,000 names.
 * Rows have a fixed height, which makes the window arithmetic; a row whose page has not arrived
 * yet is a placeholder.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { runRegexError } from "../api/endpoints";
import { runColor } from "../lib/colors";
import { isSelected } from "../lib/selection";
import * as s from "../state/store";

const ROW = 28;
const OVERSCAN = 8;

/** Tabs whose dashboards do not draw the run selection (the profile picks its own run and host). */
const WITHOUT_RUN_SELECTOR: ReadonlySet<string> = new Set(["profile"]);

export function runSelectorApplies(tab: string): boolean {
  return !WITHOUT_RUN_SELECTOR.has(tab);
}

function RunList({ total }: { total: number }): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Read the selection and the pages so that rows re-render when either changes.
  const selection = s.selection.value;
  const list = s.runWindow.value;
  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(total, Math.ceil((top + height) / ROW) + OVERSCAN);
  const size = s.runPages.pageSize;
  const wanted: number[] = [];
  for (let page = Math.floor(first / size); page * size < last; page++) wanted.push(page);
  const wantedKey = wanted.join(",");
  useEffect(() => s.runPages.ensure(wanted), [wantedKey, list]);
  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const run = list.pages.get(Math.floor(i / size))?.[i % size];
    if (run === undefined) {
      rows.push(
        <div class="run-row-placeholder" key={`#${i}`} style={{ top: `${i * ROW}px` }} data-testid="run-placeholder">
          <i class="swatch" />
          <span class="bar" />
        </div>,
      );
      continue;
    }
    const checked = isSelected(selection, run);
    rows.push(
      <label class="run-row" key={run} style={{ top: `${i * ROW}px` }} title={run} data-run={run}>
        <input type="checkbox" checked={checked} onChange={() => s.toggleRun(run)} />
        <i class="swatch" style={{ background: runColor(run) }} />
        <span class="name">{run}</span>
      </label>,
    );
  }
  return (
    <div
      class="run-list"
      ref={scroller}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      data-testid="run-list"
    >
      <div class="run-list-inner" style={{ height: `${total * ROW}px` }}>
        {rows}
      </div>
    </div>
  );
}

/** A count as people read it: 100,000, not 100000 (the UI is English throughout). */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

function selectingText(progress: { done: number; total: number | null }): string {
  return progress.total === null ? "Selecting…" : `Selecting… ${count(progress.done)} of ${count(progress.total)}`;
}

export function RunSelector(): JSX.Element {
  const filter = s.runFilterCompiled.value;
  const list = s.runWindow.value;
  // The list answers for the filter the server got (typing is debounced); its error, if any.
  const serverError = list.badFilter && list.filter === s.runFilter.value ? runRegexError(list.error ?? "") : null;
  const error = !filter.ok ? filter.error : serverError;
  const total = s.runTotal.value;
  const shown = s.shownCount.value;
  // While a new filter's count is on its way (typing is debounced), keep the last one on screen.
  const lastCount = useRef("");
  if (shown !== null && total !== null) lastCount.current = `${count(shown)} of ${count(total)} shown`;
  const matching = list.total;
  const selecting = s.selectingRuns.value;
  const select = (on: boolean): void => {
    s.selectFiltered(on).catch((e: unknown) => {
      s.loadError.value = `Selecting runs failed: ${e instanceof Error ? e.message : String(e)}`;
    });
  };
  return (
    <aside class="sidebar" aria-label="Runs">
      <div class="sidebar-head">
        <h2>Runs</h2>
        <span class="count" data-testid="run-count">
          {lastCount.current}
        </span>
      </div>
      <input
        class={`filter ${error === null ? "" : "invalid"}`}
        type="search"
        placeholder="Filter runs (regex)"
        value={s.runFilter.value}
        onInput={(e) => (s.runFilter.value = e.currentTarget.value)}
        aria-invalid={error !== null}
        data-testid="run-filter"
        spellcheck={false}
      />
      {error !== null && (
        <div class="filter-error" role="alert">
          {error}
        </div>
      )}
      <div class="select-buttons">
        <button onClick={() => select(true)} disabled={selecting !== null} data-testid="select-all">
          Select all
        </button>
        <button onClick={() => select(false)} disabled={selecting !== null} data-testid="select-none">
          None
        </button>
        <span class="count" data-testid="run-matches">
          {selecting !== null
            ? selectingText(selecting)
            : list.filter !== "" && error === null && matching !== null
              ? `${count(matching)} match`
              : ""}
        </span>
      </div>
      {list.error !== null && !list.badFilter && <div class="filter-error">{list.error}</div>}
      {s.loadingRuns.value ? (
        <div class="muted pad">Loading runs…</div>
      ) : error !== null ? null : (
        /* Keyed by the filter: a new filter starts at the top of its list. */
        <RunList key={list.filter} total={matching ?? 0} />
      )}
    </aside>
  );
}
