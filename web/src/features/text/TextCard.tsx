/** One (run, tag) of text: the chosen step with a slider, or every step, newest first. */
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import { fetchTextSteps } from "../../api/media";
import { formatClock, formatStep } from "../../lib/format";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import * as m from "../media/mediaState";
import { StepSlider } from "../media/StepSlider";
import { TextBody } from "./TextBody";

export function TextCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `text|${card.tag}`,
    (signal) => fetchTextSteps(card.run, card.tag, signal),
  );
  const all = m.textSteps.value === "all";
  const current = data?.[index];
  let body: JSX.Element;
  if (!data || data.length === 0 || !current) {
    body = <div class={`chart-placeholder static ${error ? "error" : ""}`}>{error ?? (data ? "No text." : "Loading…")}</div>;
  } else if (all) {
    body = (
      <ol class="text-steps" reversed>
        {[...data].reverse().map((d) => (
          <li key={d.step} data-step={d.step}>
            <div class="text-step-head">
              step <b>{formatStep(d.step)}</b> <span class="muted">{formatClock(d.wallTime)}</span>
            </div>
            <TextBody html={d.html} />
          </li>
        ))}
      </ol>
    );
  } else {
    body = <TextBody key={current.step} html={current.html} />;
  }
  return (
    <div class="card media-card text-card" ref={el} data-testid="text-card" data-run={card.run} data-tag={card.tag}>
      <MediaCardHead card={card} />
      {body}
      {!all && data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
    </div>
  );
}
