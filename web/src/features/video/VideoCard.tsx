/**
 * One (run, tag, sample) of MP4 / WebM video: a native `<video>` player for the chosen step and a
 * slider over the steps with videos. The browser streams the bytes itself (the server answers
 * byte ranges and lets it cache them for good); switching steps swaps the source and keeps the
 * loop choice. `preload="auto"`: the card exists only once scrolled near and training clips are
 * small, so play starts at once.
 */
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { fetchVideoSteps } from "../../api/media";
import { formatClock } from "../../lib/format";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import { StepSlider } from "../media/StepSlider";

export function VideoCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `video|${card.tag}|${card.sample}`,
    (signal) => fetchVideoSteps(card.run, card.tag, card.sample, signal),
  );
  const [loop, setLoop] = useState(true);
  // The browser cannot decode this video (e.g. a codec this Chromium build lacks).
  const [broken, setBroken] = useState(false);
  const current = data?.[index];
  return (
    <div class="card media-card" ref={el} data-testid="video-card" data-run={card.run} data-tag={card.tag} data-sample={card.sample}>
      <MediaCardHead card={card}>
        <label class="field check small" title="Play the video again when it ends">
          <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.currentTarget.checked)} data-testid="video-loop" />
          <span>Loop</span>
        </label>
      </MediaCardHead>
      <div class="video-frame">
        {current ? (
          <video
            key={current.url}
            src={current.url}
            controls
            muted
            loop={loop}
            playsInline
            preload="auto"
            data-testid="video"
            title={`Step ${current.step}, ${formatClock(current.wallTime)}`}
            onLoadedMetadata={() => setBroken(false)}
            onError={() => setBroken(true)}
          />
        ) : (
          <div class={`chart-placeholder ${error ? "error" : ""}`}>{error ?? (data ? "No video at this sample." : "Loading…")}</div>
        )}
        {broken && <div class="chart-placeholder">This browser cannot play this video.</div>}
      </div>
      {data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
    </div>
  );
}
