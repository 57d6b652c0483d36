/**
 * The trace viewer's cards under the canvas: the selected span (details and its flows, from the
 * server) and a range's summary table.
 */
import { Fragment, type JSX } from "preact";
import { formatMicros } from "./opSort";
import type { RangeSummary, SpanBrief, SpanDetails, WindowColumns } from "./traceApi";
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

export function RangeCard({ range, summary, onClose }: { range: TimeWindow; summary: RangeSummary | null; onClose: () => void }): JSX.Element {
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
            {summary.spans.toLocaleString()} spans of {summary.names.toLocaleString()} names overlap the range
          </p>
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
        </>
      )}
    </section>
  );
}
