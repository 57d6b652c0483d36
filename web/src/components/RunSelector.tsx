/**
 * The runs list. Virtualized: only the rows in view (plus a few) are in the DOM, so 100,000
 * runs scroll as smoothly as 10. Rows have a fixed height, which makes the window arithmetic.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { runColor } from "../lib/colors";
import { isSelected } from "../lib/selection";
import * as s from "../state/store";

const ROW = 28;
const OVERSCAN = 8;

function RunList({ runs }: { runs: readonly string[] }): JSX.Element {
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
  // Read the selection so that rows re-render when it changes.
  const selection = s.selection.value;
  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(runs.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const run = runs[i] as string;
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
      <div class="run-list-inner" style={{ height: `${runs.length * ROW}px` }}>
        {rows}
      </div>
    </div>
  );
}

export function RunSelector(): JSX.Element {
  const filter = s.runFilterCompiled.value;
  const filtered = s.filteredRuns.value;
  const total = s.runs.value.length;
  const shown = s.shownRuns.value.size;
  return (
    <aside class="sidebar" aria-label="Runs">
      <div class="sidebar-head">
        <h2>Runs</h2>
        <span class="count" data-testid="run-count">
          {shown} of {total} shown
        </span>
      </div>
      <input
        class={`filter ${filter.ok ? "" : "invalid"}`}
        type="search"
        placeholder="Filter runs (regex)"
        value={s.runFilter.value}
        onInput={(e) => (s.runFilter.value = e.currentTarget.value)}
        aria-invalid={!filter.ok}
        data-testid="run-filter"
        spellcheck={false}
      />
      {!filter.ok && (
        <div class="filter-error" role="alert">
          {filter.error}
        </div>
      )}
      <div class="select-buttons">
        <button onClick={() => s.selectFiltered(true)} data-testid="select-all">
          Select all
        </button>
        <button onClick={() => s.selectFiltered(false)} data-testid="select-none">
          None
        </button>
        <span class="count">{filtered.length !== total ? `${filtered.length} match` : ""}</span>
      </div>
      {/* Keyed by the filter: a new filter starts at the top of its list. */}
      {s.loadingRuns.value ? <div class="muted pad">Loading runs…</div> : <RunList key={s.runFilter.value} runs={filtered} />}
    </aside>
  );
}
