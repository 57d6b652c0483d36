/**
 * One (run, tag) of HTML: the chosen step's fragment in a sandboxed frame (see frame.ts), a step
 * slider, and the per-tag "Run scripts" opt-in. Changing `sandbox` on a live frame does not apply
 * until it loads again, so the frame is rebuilt (keyed) when the choice changes.
 */
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import { fetchHtmlSteps } from "../../api/media";
import { formatClock } from "../../lib/format";
import * as s from "../../state/store";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import { StepSlider } from "../media/StepSlider";
import { frameDocument, sandboxFor, scriptTags, setScripts } from "./frame";

export function HtmlCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `html|${card.tag}`,
    (signal) => fetchHtmlSteps(card.run, card.tag, signal),
  );
  const scripts = scriptTags.value.has(card.tag);
  const dark = s.dark.value;
  const current = data?.[index];
  return (
    <div class="card media-card html-card" ref={el} data-testid="html-card" data-run={card.run} data-tag={card.tag}>
      <MediaCardHead card={card}>
        <label
          class={`field check small script-toggle ${scripts ? "on" : ""}`}
          title="Let this tag's HTML run its scripts (in an isolated frame that cannot reach this page). Off by default."
        >
          <input
            type="checkbox"
            checked={scripts}
            onChange={(e) => setScripts(card.tag, e.currentTarget.checked)}
            data-testid="allow-scripts"
          />
          <span>{scripts ? "Scripts on" : "Run scripts"}</span>
        </label>
      </MediaCardHead>
      {current ? (
        <div class="html-frame">
          <iframe
            key={`${current.step}|${scripts}|${dark}`}
            title={`${card.tag} at step ${current.step}, ${formatClock(current.wallTime)}`}
            sandbox={sandboxFor(scripts)}
            srcdoc={frameDocument(current.html, dark)}
            referrerpolicy="no-referrer"
            data-testid="html-frame"
            data-step={current.step}
          />
        </div>
      ) : (
        <div class={`chart-placeholder static ${error ? "error" : ""}`}>{error ?? (data ? "No HTML." : "Loading…")}</div>
      )}
      {data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
    </div>
  );
}
