/**
 * The runs table: one row per run, from the run summaries the server keeps at ingest (never
 * points). Filtering (the run query language), sorting and paging happen on the server; rows
 * are virtualized and fetched a page at a time. The checkboxes are the app's run selection, the
 * same one the run selector and every dashboard use.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchAllRunRows, fetchRunColumns, type RunColumns, type RunRow, type RunsQuery } from "../../api/runs";
import { saveFile } from "../../components/saveFile";
import { runColor } from "../../lib/colors";
import { isSelected, setSelected } from "../../lib/selection";
import * as s from "../../state/store";
import { ColumnChooser } from "./ColumnChooser";
import { buildColumns, type Column, errorColumn, nextSort, sortParam, toCsv } from "./columns";
import { useDataVersion, useRunPages } from "./pages";
import { syncRunsWithUrl } from "./runsUrl";
import * as t from "./state";
import { PAGE_SIZE, pagesInView } from "./tab";
import "./runs.css";

const ROW = 28;
const OVERSCAN = 10;
const CHECK_WIDTH = 40;
const QUERY_DELAY_MS = 350;
const PLACEHOLDER = 'Filter: lr < 0.01 and optimizer == "adam" and max(val/acc) > 0.9 and name ~ "seed-"';

function QueryError({ query, message }: { query: string; message: string }): JSX.Element {
  const column = errorColumn(message);
  return (
    <div class="query-error" role="alert" data-testid="runs-query-error" data-column={column ?? ""}>
      {column !== null && (
        <pre class="query-caret">
          {query}
          {"\n"}
          {" ".repeat(Math.max(0, column - 1))}^
        </pre>
      )}
      <div>{message}</div>
    </div>
  );
}

function HeaderCell({ column }: { column: Column }): JSX.Element {
  const sort = t.sort.value;
  const active = sort?.column === column.id;
  const arrow = active ? (sort.descending ? "▼" : "▲") : "";
  return (
    <div
      class={`runs-th ${column.id === "name" ? "sticky" : ""} ${column.numeric ? "num" : ""} ${column.sortKey ? "sortable" : ""} ${active ? "sorted" : ""}`}
      role="columnheader"
      aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
      data-column={column.id}
      title={column.sortKey ? `Sort by ${column.group && column.group !== "hparam" ? `${column.label}(${column.group})` : column.label}` : ""}
      onClick={() => {
        if (column.sortKey) t.sort.value = nextSort(sort, column);
      }}
    >
      {column.group && <span class="runs-th-group">{column.group}</span>}
      <span class="runs-th-label">
        {column.label} <i>{arrow}</i>
      </span>
    </div>
  );
}

function Row({ row, index, columns, template }: { row: RunRow | undefined; index: number; columns: Column[]; template: string }): JSX.Element {
  const style = { top: `${index * ROW}px`, gridTemplateColumns: template };
  if (row === undefined) {
    return (
      <div class="runs-tr loading" style={style}>
        <div class="runs-td check sticky" />
        <div class="runs-td sticky muted">…</div>
      </div>
    );
  }
  const checked = isSelected(s.selection.value, row.name);
  return (
    <div class="runs-tr" style={style} role="row" data-run={row.name} data-testid="runs-row">
      <label class="runs-td check sticky">
        <input type="checkbox" checked={checked} onChange={() => s.toggleRun(row.name)} aria-label={`Select ${row.name}`} />
        <i class="swatch" style={{ background: runColor(row.name) }} />
      </label>
      {columns.map((c) => (
        <div key={c.id} class={`runs-td ${c.numeric ? "num" : ""} ${c.id === "name" ? "sticky" : ""} ${c.id === "status" ? `status ${row.status ?? ""}` : ""}`} data-column={c.id} title={c.text(row)}>
          {c.text(row)}
        </div>
      ))}
    </div>
  );
}

export function RunsDashboard(): JSX.Element {
  useEffect(t.persistChoices, []);
  useEffect(syncRunsWithUrl, []);
  const version = useDataVersion();
  const [available, setAvailable] = useState<RunColumns | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetchRunColumns(abort.signal).then(setAvailable, () => undefined);
    return () => abort.abort();
  }, [version]);

  // Typing pauses before the query is sent; Enter sends it at once.
  const text = t.queryText.value;
  useEffect(() => {
    const timer = setTimeout(() => (t.appliedQuery.value = text), QUERY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const columns = buildColumns(available, t.hiddenColumns.value, t.chosenMetrics.value);
  const query: RunsQuery = {
    where: t.appliedQuery.value,
    sort: sortParam(t.sort.value, columns),
    metrics: t.chosenMetrics.value,
  };
  const { loaded, ensure } = useRunPages(query, version);

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
  // A new query starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setTop(0);
  }, [loaded.key]);

  const total = loaded.total ?? 0;
  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(total, Math.ceil((top + height) / ROW) + OVERSCAN);
  useEffect(() => ensure(pagesInView(first, last - 1, total)));

  const template = `${CHECK_WIDTH}px ${columns.map((c) => `${c.width}px`).join(" ")}`;
  const width = CHECK_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);
  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const row = loaded.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
    rows.push(<Row key={row?.name ?? `#${i}`} row={row} index={i} columns={columns} template={template} />);
  }

  const [busy, setBusy] = useState<string | null>(null);
  const allMatching = async (withMetrics: boolean): Promise<RunRow[]> =>
    await fetchAllRunRows(withMetrics ? query : { ...query, metrics: [] });
  const act = (label: string, work: () => Promise<void>): void => {
    setBusy(label);
    work()
      .catch((error: unknown) => {
        s.loadError.value = `${label} failed: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => setBusy(null));
  };
  const hasQuery = query.where.trim() !== "";
  const selectMatching = (select: boolean): void =>
    act("Selecting", async () => {
      const names = (await allMatching(false)).map((r) => r.name);
      s.selection.value = setSelected(s.selection.value, names, select);
    });
  const onlyMatching = (): void =>
    act("Selecting", async () => {
      const names = (await allMatching(false)).map((r) => r.name);
      s.selection.value = { kind: "only", runs: new Set(names) };
    });
  const exportCsv = (): void =>
    act("Export", async () => {
      saveFile("runs.csv", toCsv(columns, await allMatching(true)), "text/csv");
    });

  return (
    <div class="runs-dashboard" data-testid="runs-dashboard">
      <div class="runs-toolbar">
        <input
          class={`filter runs-query ${loaded.badQuery ? "invalid" : ""}`}
          type="search"
          placeholder={PLACEHOLDER}
          value={text}
          onInput={(e) => (t.queryText.value = e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") t.appliedQuery.value = e.currentTarget.value;
          }}
          aria-invalid={loaded.badQuery}
          aria-label="Filter runs with a query"
          spellcheck={false}
          data-testid="runs-query"
        />
        <span class="count" data-testid="runs-total">
          {loaded.error !== null ? "" : loaded.total === null ? "…" : `${loaded.total.toLocaleString("en-US")} ${hasQuery ? "match" : "runs"}`}
        </span>
        <div class="select-buttons">
          <button onClick={() => onlyMatching()} disabled={busy !== null} data-testid="runs-only-matching" title="Select these runs only">
            Only these
          </button>
          <button onClick={() => selectMatching(true)} disabled={busy !== null} title="Add these runs to the selection">
            Select
          </button>
          <button onClick={() => selectMatching(false)} disabled={busy !== null} title="Remove these runs from the selection">
            Unselect
          </button>
          <button class={t.chooserOpen.value ? "active" : ""} onClick={() => (t.chooserOpen.value = !t.chooserOpen.value)} data-testid="runs-columns">
            Columns
          </button>
          <button onClick={exportCsv} disabled={busy !== null} data-testid="runs-csv">
            CSV
          </button>
        </div>
      </div>
      {loaded.error !== null &&
        (loaded.badQuery ? (
          <QueryError query={query.where} message={loaded.error} />
        ) : (
          <div class="query-error" role="alert">{loaded.error}</div>
        ))}
      {t.chooserOpen.value && <ColumnChooser available={available} />}
      <div class="runs-table" ref={scroller} onScroll={(e) => setTop(e.currentTarget.scrollTop)} role="table" data-testid="runs-table">
        <div class="runs-head" style={{ gridTemplateColumns: template, width: `${width}px` }} role="row">
          <div class="runs-th check sticky" />
          {columns.map((c) => (
            <HeaderCell key={c.id} column={c} />
          ))}
        </div>
        <div class="runs-body" style={{ height: `${total * ROW}px`, width: `${width}px` }}>
          {rows}
        </div>
        {loaded.total === 0 && <div class="empty">No run matches.</div>}
      </div>
    </div>
  );
}
