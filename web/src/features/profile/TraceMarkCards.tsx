/**
 * The trace viewer's cards for a clicked instant (its arguments come from the server) or a
 * clicked counter (its value at that time, from the window already held).
 */
import { Fragment, type JSX } from "preact";
import { formatMicros } from "./opSort";
import type { CounterTrack, InstantDetails, TrackInfo } from "./traceApi";
import { formatValue } from "./traceDraw";

export interface PickedInstant {
  id: number;
  time: number;
  track: number;
  name: string;
}

export function InstantCard({ picked, details, tracks }: { picked: PickedInstant; details: InstantDetails | null; tracks: TrackInfo[] }): JSX.Element {
  const track = tracks[picked.track];
  return (
    <section class="profile-card trace-details" data-testid="trace-instant">
      <h3>{picked.name}</h3>
      <dl class="environment">
        <dt>Kind</dt>
        <dd>Instant event</dd>
        <dt>Thread</dt>
        <dd>{picked.track < 0 ? "Global" : track === undefined ? "" : `${track.process} · ${track.thread}`}</dd>
        <dt>Time</dt>
        <dd>{formatMicros(picked.time)}</dd>
        {details !== null &&
          Object.entries(details.args).map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
            </Fragment>
          ))}
      </dl>
    </section>
  );
}

export interface PickedCounter {
  track: number;
  time: number;
  value: number;
}

export function CounterCard({ picked, counter }: { picked: PickedCounter; counter: CounterTrack | undefined }): JSX.Element {
  return (
    <section class="profile-card trace-details" data-testid="trace-counter">
      <h3>{counter === undefined ? "Counter" : counter.series === counter.name ? counter.name : `${counter.name} · ${counter.series}`}</h3>
      <dl class="environment">
        <dt>Kind</dt>
        <dd>Counter</dd>
        <dt>Process</dt>
        <dd>{counter?.process ?? ""}</dd>
        <dt>Value</dt>
        <dd data-testid="trace-counter-value">{formatValue(picked.value)}</dd>
        <dt>Since</dt>
        <dd>{formatMicros(picked.time)}</dd>
        {counter !== undefined && (
          <>
            <dt>Trace max</dt>
            <dd>{formatValue(counter.max)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
