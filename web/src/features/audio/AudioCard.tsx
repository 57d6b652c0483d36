/** One (run, tag, sample) of audio: a player for the chosen step, its label, and a waveform preview. */
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { fetchAudioSteps } from "../../api/media";
import type { MediaCardKey } from "../media/cards";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import { StepSlider } from "../media/StepSlider";
import { playInSequence } from "./sequence";
import { Waveform } from "./Waveform";

export function AudioCard({ card }: { card: MediaCardKey }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const player = useRef<HTMLAudioElement>(null);
  const { data, error, index, choose } = useCardSteps(
    el,
    card.tag,
    card.id,
    `audio|${card.tag}|${card.sample}`,
    (signal) => fetchAudioSteps(card.run, card.tag, card.sample, signal),
  );
  const [progress, setProgress] = useState(0);
  const [stop, setStop] = useState<(() => void) | null>(null);
  const playRuns = (): void => {
    // The players of this tag and sample on the page, in card order (cards never scrolled near
    // have not loaded a player and are left out).
    const selector = `[data-testid=audio-card][data-tag="${CSS.escape(card.tag)}"][data-sample="${card.sample}"] audio`;
    const players = [...document.querySelectorAll<HTMLAudioElement>(selector)];
    const stopper = playInSequence(players, () => setStop(null));
    setStop(() => stopper);
  };
  const current = data?.[index];
  const onTime = (): void => {
    const a = player.current;
    if (a && a.duration > 0) setProgress(a.currentTime / a.duration);
  };
  return (
    <div class="card media-card" ref={el} data-testid="audio-card" data-run={card.run} data-tag={card.tag} data-sample={card.sample}>
      <MediaCardHead card={card}>
        <button
          class={`icon-button small ${stop ? "active" : ""}`}
          onClick={() => (stop ? stop() : playRuns())}
          title={
            stop
              ? "Stop"
              : "Play this tag's clip of every run shown, one after another (with Sync steps, all at the same step)"
          }
          data-testid="play-runs"
        >
          {stop ? "■ Stop" : "▶ All runs"}
        </button>
      </MediaCardHead>
      {current ? (
        <div class="audio-body">
          <Waveform
            key={current.url}
            url={current.url}
            progress={progress}
            onSeek={(fraction) => {
              const a = player.current;
              if (a && Number.isFinite(a.duration)) a.currentTime = fraction * a.duration;
            }}
          />
          {current.label && (
            <div class="audio-label" data-testid="audio-label" title={current.label}>
              {current.label}
            </div>
          )}
          <audio
            ref={player}
            key={current.url}
            controls
            preload="metadata"
            src={current.url}
            data-testid="audio"
            onTimeUpdate={onTime}
            onEnded={() => setProgress(1)}
            onLoadStart={() => setProgress(0)}
          />
        </div>
      ) : (
        <div class={`chart-placeholder static ${error ? "error" : ""}`}>{error ?? (data ? "No clips at this sample." : "Loading…")}</div>
      )}
      {data && data.length > 0 && <StepSlider steps={data.map((d) => d.step)} index={index} onChange={choose} />}
    </div>
  );
}
