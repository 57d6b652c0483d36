/**
 * One (run, tag, sample): the image at the chosen step, a slider over the steps with images, and
 * a click to open it large. The <img> loads the bytes itself (immutable, cached by the browser);
 * GIFs from add_video play as they are.
 */
import type { JSX } from "preact";
import { useCallback, useRef, useState } from "preact/hooks";
import { fetchImageSteps } from "../../api/media";
import { formatClock } from "../../lib/format";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import * as m from "../media/mediaState";
import { StepSlider } from "../media/StepSlider";
import { isSmallImage } from "./imageView";
import { Lightbox } from "./Lightbox";

export function ImageCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `images|${card.tag}|${card.sample}`,
    (signal) => fetchImageSteps(card.run, card.tag, card.sample, signal),
  );
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [open, setOpen] = useState(false);
  // The browser could not decode the bytes (e.g. an MP4 video this build cannot show as an image).
  const [broken, setBroken] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const current = data?.[index];
  const small = natural !== null && isSmallImage(natural.width, natural.height);
  const size = m.imageSize.value;
  return (
    <div class="card media-card" ref={el} data-testid="image-card" data-run={card.run} data-tag={card.tag} data-sample={card.sample}>
      <MediaCardHead card={card} />
      <div class={`image-frame ${size}`}>
        {current ? (
          <img
            src={current.url}
            alt={`${card.tag} at step ${current.step}`}
            class={small ? "pixelated" : ""}
            style={{ filter: m.imageFilter(m.brightness.value, m.contrast.value) }}
            data-testid="image"
            title={`Step ${current.step}, ${formatClock(current.wallTime)}. Click to enlarge.`}
            tabIndex={0}
            onLoad={(e) => {
              setBroken(false);
              setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight });
            }}
            onError={() => setBroken(true)}
            onClick={() => setOpen(true)}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") {
                e.preventDefault();
                setOpen(true);
              }
            }}
          />
        ) : (
          <div class={`chart-placeholder ${error ? "error" : ""}`}>{error ?? (data ? "No images at this sample." : "Loading…")}</div>
        )}
        {broken && <div class="chart-placeholder">This image could not be shown.</div>}
        {natural && !broken && (
          <span class="image-size" title="Size in pixels">
            {natural.width}×{natural.height}
          </span>
        )}
      </div>
      {data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
      {open && data && (
        <Lightbox card={card} steps={data} index={index} natural={natural} onIndex={choose} onClose={close} />
      )}
    </div>
  );
}
