/** One card's image, large, over the page; ←/→ walk the card's steps, Esc or a click outside closes. */
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { BlobStep } from "../../api/media";
import { formatClock, formatStep } from "../../lib/format";
import type { MediaCardKey } from "../media/cards";
import { imageFilter } from "../media/mediaState";
import * as m from "../media/mediaState";
import { isSmallImage, moveIndex } from "./imageView";

export function Lightbox({
  card,
  steps,
  index,
  natural,
  onIndex,
  onClose,
}: {
  card: MediaCardKey;
  steps: readonly BlobStep[];
  index: number;
  natural: { width: number; height: number } | null;
  onIndex: (index: number) => void;
  onClose: () => void;
}): JSX.Element | null {
  // Keys repeat faster than the card re-renders: the handler reads the latest index from a ref
  // (and moves it at once), so three quick presses move three steps.
  const latest = useRef({ index, count: steps.length, onIndex, onClose });
  latest.current = { index, count: steps.length, onIndex, onClose };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const now = latest.current;
      let delta = 0;
      if (e.key === "Escape") now.onClose();
      else if (e.key === "ArrowLeft") delta = -1;
      else if (e.key === "ArrowRight") delta = 1;
      else return;
      if (delta !== 0) {
        now.index = moveIndex(now.index, delta, now.count);
        now.onIndex(now.index);
      }
      // The page must not scroll, nor the slider under the modal move as well.
      e.preventDefault();
      e.stopPropagation();
    };
    addEventListener("keydown", onKey, true);
    return () => removeEventListener("keydown", onKey, true);
  }, []);
  const current = steps[index];
  if (!current) return null;
  const small = natural !== null && isSmallImage(natural.width, natural.height);
  return (
    <div class="lightbox" role="dialog" aria-modal="true" aria-label={`${card.tag} (${card.run})`} data-testid="lightbox" onClick={onClose}>
      <div class="lightbox-bar" onClick={(e) => e.stopPropagation()}>
        <b>{card.tag}</b>
        <span>{card.run}</span>
        <span>
          step <b data-testid="lightbox-step">{formatStep(current.step)}</b> ({index + 1}/{steps.length}) · {formatClock(current.wallTime)}
        </span>
        <span class="spacer" />
        <button class="icon-button" disabled={index <= 0} onClick={() => onIndex(moveIndex(index, -1, steps.length))} title="Previous step (←)">
          ←
        </button>
        <button class="icon-button" disabled={index >= steps.length - 1} onClick={() => onIndex(moveIndex(index, 1, steps.length))} title="Next step (→)">
          →
        </button>
        <button class="icon-button" onClick={onClose} title="Close (Esc)" aria-label="Close">
          ✕
        </button>
      </div>
      <img
        class={`lightbox-image ${small ? "pixelated" : ""}`}
        src={current.url}
        alt={`${card.tag} at step ${current.step}`}
        style={{ filter: imageFilter(m.brightness.value, m.contrast.value) }}
        onClick={(e) => e.stopPropagation()}
      />
    </div>
  );
}
