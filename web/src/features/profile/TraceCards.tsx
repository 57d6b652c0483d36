/**
 * The trace viewer's cards under the canvas: the selected span (details and its flows, from the
 * server) and a range's summary tables (spans by name; counters' min / mean / max).
 */
import { Fragment, type JSX } from "preact";
import { formatMicros } from "./opSort";
import type { CounterRange, RangeSummary, SpanBrief, SpanDetails, WindowColumns } from "./traceApi";
import { formatValue } from "./traceDraw";
import type { TimeWindow } from "./traceLayout";

export function SpanCard({ selected, details, tracks }: { selected: SpanBrief; details: SpanDetails | null; tracks: WindowColumns["tracks"] }): JSX.Element {
  const track = tracks[selected.track];
  return (
    <section class="profile-card trace-details" data-testid="trace-selection">
      <h3>{selected.name}</h3>
      <dl class="environment">
        <dt>Thread</dt>
        <dd>{track === undefined ? "" : `${track.process} · ${track.thread}`}</dd>
        <dt>Start</dt>
        <dd>{formatMicros(selected.start)}</dd>
        <dt>Duration</dt>
        <dd>{formatMicros(selected.duration)}</dd>
        {details !== null && (
          <>
            <dt>Self time</dt>
            <dd>{formatMicros(details.self)}</dd>
            <dt>Category</dt>
            <dd>{details.category}</dd>
            {details.flows.map((flow) => (
              <Fragment key={`${flow.id}:${flow.from.id}:${flow.to.id}`}>
                <dt>Flow {flow.id}</dt>
                <dd data-testid="trace-flow">
                  {flow.from.id === selected.id ? `→ ${flow.to.name} at ${formatMicros(flow.to.start)}` : `← ${flow.from.name} at ${formatMicros(flow.from.start)}`}
                </dd>
              </Fragment>
            ))}
            {Object.entries(details.args).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
              </Fragment>
            ))}
          </>
        )}
      </dl>
    </section>
  );
}

/** A sub-heading between the range's tables (the card's own styles know only h3). */
const SUBHEAD = { margin: "12px 0 4px", fontSize: "13px", fontWeight: 600 };

/** "1 span", "2,000 spans". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
}

export function RangeCard({ range, summary, onClose }: { range: TimeWindow; summary: RangeSummary | null; onClose: () => void }): JSX.Element {
  const counters = summary?.counters ?? [];
  return (
    <section class="profile-card trace-range" data-testid="trace-range">
      <h3>
        Range {formatMicros(range.start)} – {formatMicros(range.end)} ({formatMicros(range.end - range.start)}){" "}
        <button type="button" onClick={onClose} title="Clear the range (Esc)">Clear</button>
      </h3>
      {summary === null ? (
        <p class="muted">Summarising…</p>
      ) : (
        <>
          <p class="muted">
            {counted(summary.spans, "span")} of {counted(summary.names, "name")} {summary.spans === 1 ? "overlaps" : "overlap"} the range
            {counters.length > 0 && ` · ${counted(counters.length, "counter series", "counter series")} with values in it`}
          </p>
          {counters.length > 0 && (
            <>
              <h4 style={SUBHEAD}>Counters</h4>
              <CounterTable counters={counters} />
              {summary.ops.length > 0 && <h4 style={SUBHEAD}>Spans</h4>}
            </>
          )}
          {summary.ops.length > 0 && (
            <table class="profile-table trace-range-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Count</th>
                  <th>Total in range</th>
                  <th>Self in range</th>
                </tr>
              </thead>
              <tbody>
                {summary.ops.map((op) => (
                  <tr key={op.name}>
                    <td class="op-name" title={op.name}>{op.name}</td>
                    <td class="num">{op.count.toLocaleString()}</td>
                    <td class="num">{formatMicros(op.total_us)}</td>
                    <td class="num">{formatMicros(op.self_us)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** Per counter series in the range: samples inside it, min, time-weighted mean and max. */
function CounterTable({ counters }: { counters: CounterRange[] }): JSX.Element {
  return (
    <table class="profile-table trace-range-table trace-range-counters" data-testid="trace-range-counters">
      <thead>
        <tr>
          <th>Counter</th>
          <th>Process</th>
          <th title="Samples inside the range">Samples</th>
          <th>Min</th>
          <th title="Weighted by how long each value holds inside the range">Mean</th>
          <th>Max</th>
        </tr>
      </thead>
      <tbody>
        {counters.map((c) => (
          <tr key={c.track}>
            <td class="op-name">{c.series === c.name ? c.name : `${c.name} · ${c.series}`}</td>
            <td>{c.process}</td>
            <td class="num">{c.samples.toLocaleString()}</td>
            <td class="num">{formatValue(c.min)}</td>
            <td class="num">{formatValue(c.mean)}</td>
            <td class="num">{formatValue(c.max)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
