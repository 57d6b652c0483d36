/**
 * One (run, tag) of tables: the step list is fetched when the card nears the viewport, then only
 * the chosen step's table (tables can be large, and most steps are never looked at). Live data
 * refetches the step list, and a new latest step brings its table.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchTable, fetchTableSteps, type Table } from "../../api/tables";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import { StepSlider } from "../media/StepSlider";
import type { SortState } from "./sort";
import { TableView } from "./TableView";

export function TableCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `table|${card.tag}`,
    (signal) => fetchTableSteps(card.run, card.tag, signal),
  );
  const step = data?.[index]?.step;
  // Kept across steps: slide through steps while sorted by a metric.
  const [sort, setSort] = useState<SortState | null>(null);
  const [table, setTable] = useState<Table | null>(null);
  const [tableError, setTableError] = useState<string | null>(null);
  useEffect(() => {
    if (step === undefined) return undefined;
    const abort = new AbortController();
    fetchTable(card.run, card.tag, step, abort.signal).then(
      (t) => {
        setTableError(null);
        setTable(t);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setTableError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // A step's table never changes under its step (the steps list refetches on live data).
  }, [card.run, card.tag, step]);
  // While the next step's table loads, the last one stays (dimmed) rather than the card jumping.
  const shown = table !== null && step !== undefined ? table : null;
  const problem = error ?? tableError;
  return (
    <div class="card media-card table-card" ref={el} data-testid="table-card" data-run={card.run} data-tag={card.tag}>
      <MediaCardHead card={card} />
      {shown ? (
        <div class={shown.step === step ? "" : "stale"} data-testid="table-step" data-step={shown.step}>
          <TableView table={shown} sort={sort} onSort={setSort} />
        </div>
      ) : (
        <div class={`chart-placeholder static ${problem ? "error" : ""}`}>
          {problem ?? (data && data.length === 0 ? "No table." : "Loading…")}
        </div>
      )}
      {data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
    </div>
  );
}
