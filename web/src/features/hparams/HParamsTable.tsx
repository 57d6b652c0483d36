/**
 * The table view: one row per session, hparam then metric columns, sorted in the browser, with a
 * filter box under each header that reads and writes the same filters as the brushes. Rows are
 * virtualized (fixed height), so thousands of sessions scroll smoothly.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { runColor } from "../../lib/colors";
import * as s from "../../state/store";
import { type Filters, formatFilter, parseFilter } from "./filter";
import type { Axis, Session } from "./model";
import { valueText } from "./ParallelCoords";
import { nextSort, type SortState, sortSessions } from "./sort";
import * as h from "./state";

const ROW = 28;
const OVERSCAN = 10;
const NAME_W = 240;
const COL_W = 130;

function FilterBox({ axis, filters }: { axis: Axis; filters: Filters }): JSX.Element {
  const current = filters.get(axis.id);
  const shown = current ? formatFilter(current) : "";
  const [draft, setDraft] = useState<string | null>(null);
  const bad = draft !== null && parseFilter(draft, axis.numeric) === null;
  // A brush elsewhere replaces what was typed.
  useEffect(() => setDraft(null), [shown]);
  return (
    <input
      class={`filter hp-filter ${bad ? "invalid" : ""}`}
      type="search"
      value={draft ?? shown}
      placeholder={axis.numeric ? "0.1..1, > 0.5" : "a, b"}
      aria-label={`Filter ${axis.label}`}
      title={axis.numeric ? "A range a..b, a bound (> 0.5, <= 1e-3) or a value" : "Comma-separated terms, any of them matching"}
      data-testid="hp-filter"
      data-axis={axis.id}
      onInput={(e) => {
        const text = e.currentTarget.value;
        setDraft(text);
        const parsed = parseFilter(text, axis.numeric);
        if (parsed !== null) h.setFilter(axis.id, parsed);
      }}
    />
  );
}

export function HParamsTable({ axes, sessions, matching, colors, filters }: {
  axes: Axis[];
  sessions: Session[];
  matching: ReadonlySet<string>;
  colors: ReadonlyMap<string, string>;
  filters: Filters;
}): JSX.Element {
  const [sort, setSort] = useState<SortState | null>(null);
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

  // Scrolling re-renders; sorting thousands of sessions only when the data or sort change.
  const rows = useMemo(() => sortSessions(sessions.filter((x) => matching.has(x.name)), sort), [sessions, matching, sort]);
  const template = `${NAME_W}px ${axes.map(() => `${COL_W}px`).join(" ")}`;
  const width = NAME_W + axes.length * COL_W;
  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const arrow = (column: string): string => (sort?.column === column ? (sort.descending ? " ▼" : " ▲") : "");
  const header = (column: string, label: string, group: string, numeric: boolean): JSX.Element => (
    <div
      class={`hp-th sortable ${numeric ? "num" : ""} ${sort?.column === column ? "sorted" : ""}`}
      role="columnheader"
      data-column={column}
      aria-sort={sort?.column === column ? (sort.descending ? "descending" : "ascending") : "none"}
      title={`Sort by ${label}`}
      onClick={() => setSort(nextSort(sort, column, numeric))}
    >
      <span class="runs-th-group">{group}</span>
      <span class="runs-th-label">{label}{arrow(column)}</span>
    </div>
  );

  const body: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const session = rows[i] as Session;
    const selected = s.isSelected(session.name);
    body.push(
      <div key={session.name} class="hp-tr" style={{ top: `${i * ROW}px`, gridTemplateColumns: template }} role="row" data-testid="hp-row" data-run={session.name}>
        <div class="hp-td name sticky">
          <input type="checkbox" checked={selected} onChange={() => s.toggleRun(session.name)} aria-label={`Select ${session.name}`} />
          <i class="swatch" style={{ background: colors.get(session.name) ?? runColor(session.name) }} />
          <button class="link" onClick={() => (h.pinned.value = session.name)} title="Details and curves" data-testid="hp-row-open">
            {session.name}
          </button>
        </div>
        {axes.map((axis) => (
          <div key={axis.id} class={`hp-td ${axis.numeric ? "num" : ""}`} data-column={axis.id}>
            {valueText(session, axis)}
          </div>
        ))}
      </div>,
    );
  }
  return (
    <div class="hp-table runs-table" ref={scroller} onScroll={(e) => setTop(e.currentTarget.scrollTop)} role="table" data-testid="hp-table">
      <div class="hp-head" style={{ gridTemplateColumns: template, width: `${width}px` }} role="row">
        {header("name", "Session", "", false)}
        {axes.map((axis) => header(axis.id, axis.label, axis.kind === "hparam" ? "hparam" : axis.group ? `metric · ${axis.group}` : "metric", axis.numeric))}
      </div>
      <div class="hp-filters" style={{ gridTemplateColumns: template, width: `${width}px` }}>
        <div class="hp-td sticky muted">{rows.length.toLocaleString("en-US")} shown</div>
        {axes.map((axis) => (
          <div key={axis.id} class="hp-td">
            <FilterBox axis={axis} filters={filters} />
          </div>
        ))}
      </div>
      <div class="hp-body" style={{ height: `${rows.length * ROW}px`, width: `${width}px` }}>
        {body}
      </div>
      {rows.length === 0 && <div class="empty">No session matches the filters.</div>}
    </div>
  );
}
