/**
 * A small waveform of one clip, decoded in the browser (Web Audio). It decodes through an
 * OfflineAudioContext: an AudioContext would be "not allowed to start" before a user gesture.
 * The played part is drawn in the accent colour; a click seeks the player.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchBytes } from "../../api/media";
import * as s from "../../state/store";
import { formatClipTime, peaks, type Peaks } from "./waveform";

const HEIGHT = 48;

export function Waveform({
  url,
  progress,
  onSeek,
}: {
  url: string;
  /** Played fraction, 0–1. */
  progress: number;
  onSeek: (fraction: number) => void;
}): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [samples, setSamples] = useState<Float32Array | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setFailed(false);
    fetchBytes(url, abort.signal)
      .then((bytes) => new OfflineAudioContext(1, 1, 44_100).decodeAudioData(bytes))
      .then(
        (buffer) => {
          if (abort.signal.aborted) return;
          setSamples(buffer.getChannelData(0));
          setDuration(buffer.duration);
        },
        () => {
          // A clip the browser cannot decode still plays if the <audio> element can; only the preview is lost.
          if (!abort.signal.aborted) setFailed(true);
        },
      );
    return () => abort.abort();
  }, [url]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const dark = s.dark.value;
  // Peaks depend on the clip and the width only; playing redraws colours, not peaks.
  const cache = useRef<{ key: string; peaks: Peaks } | null>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el || !samples || width === 0) return;
    const ratio = devicePixelRatio || 1;
    const key = `${url}|${width}|${ratio}`;
    let p = cache.current?.key === key ? cache.current.peaks : null;
    if (!p) {
      p = peaks(samples, Math.round(width * ratio));
      cache.current = { key, peaks: p };
    }
    el.width = Math.round(width * ratio);
    el.height = Math.round(HEIGHT * ratio);
    const ctx = el.getContext("2d");
    if (!ctx) return;
    const style = getComputedStyle(el);
    const played = style.getPropertyValue("--accent").trim() || "#2563eb";
    const rest = style.getPropertyValue("--muted").trim() || "#6b7280";
    const mid = el.height / 2;
    const playedColumns = Math.round(progress * el.width);
    ctx.clearRect(0, 0, el.width, el.height);
    for (let x = 0; x < el.width; x++) {
      const lo = p.min[x] ?? 0;
      const hi = p.max[x] ?? 0;
      const top = mid - Math.max(hi, 0) * mid;
      const bottom = mid - Math.min(lo, 0) * mid;
      ctx.fillStyle = x < playedColumns ? played : rest;
      // At least one device pixel tall, so silence still shows as a line.
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }, [samples, width, progress, dark, url]);

  return (
    <div class="waveform">
      <canvas
        ref={canvas}
        style={{ height: `${HEIGHT}px` }}
        data-testid="waveform"
        data-drawn={samples ? "true" : undefined}
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          if (rect.width > 0) onSeek((e.clientX - rect.left) / rect.width);
        }}
      />
      {duration !== null && <span class="clip-time">{formatClipTime(duration)}</span>}
      {failed && <div class="chart-placeholder">No preview for this clip.</div>}
    </div>
  );
}
