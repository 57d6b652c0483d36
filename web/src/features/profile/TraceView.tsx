/**
 * The trace viewer: a canvas timeline with a row per (thread, nesting depth). W/S zoom, A/D pan
 * (or the buttons), click selects a span and shows its details. Each change of the visible window
 * asks the server for that window at the canvas width, already merged to a pixel's detail, so a
 * trace of a million spans draws what a screenful costs.
 */
import { Fragment, type JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchTraceWindow, type ProfileKey, type TraceEvent, type TraceWindow } from "../../api/profile";
import * as s from "../../state/store";
import { formatMicros } from "./opSort";
import { LABEL_WIDTH, ROW_HEIGHT, hitTest, layoutRows, pan, timeToX, zoom, type TimeWindow } from "./traceLayout";

const PALETTE = ["#60a5fa", "#34d399", "#fbbf24", "#f87171", "#a78bfa", "#f472b6", "#22d3ee", "#a3e635"];

function colorOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] as string;
}

function draw(canvas: HTMLCanvasElement, data: TraceWindow, view: TimeWindow, selected: TraceEvent | null, dark: boolean, search: string): void {
  const needle = search.trim().toLowerCase();
  const layout = layoutRows(data);
  const width = canvas.clientWidth;
  const height = Math.max(120, layout.height);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(width * ratio);
  canvas.height = Math.floor(height * ratio);
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const event of data.events) {
    const y = layout.rowY.get(`${event.track}:${event.depth}`);
    if (y === undefined) continue;
    const x0 = Math.max(LABEL_WIDTH, timeToX(event.start, view, width));
    const x1 = Math.min(width, timeToX(event.start + event.duration, view, width));
    if (x1 < LABEL_WIDTH || x0 > width) continue;
    const w = Math.max(1, x1 - x0);
    const name = data.names[event.name] ?? "";
    ctx.fillStyle = event.count > 1 ? (dark ? "#4b5563" : "#9ca3af") : colorOf(name);
    // A search dims what does not match (merged blocks have no single name: dimmed too).
    ctx.globalAlpha = needle === "" || (event.count === 1 && name.toLowerCase().includes(needle)) ? 1 : 0.18;
    ctx.fillRect(x0, y + 1, w, ROW_HEIGHT - 2);
    ctx.globalAlpha = 1;
    if (event === selected) {
      ctx.strokeStyle = dark ? "#ffffff" : "#111827";
      ctx.lineWidth = 2;
      ctx.strokeRect(x0, y + 1, w, ROW_HEIGHT - 2);
    }
    if (w > 40) {
      ctx.fillStyle = "#111827";
      const label = event.count > 1 ? `${event.count} spans` : name;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y, w, ROW_HEIGHT);
      ctx.clip();
      ctx.fillText(label, x0 + 3, y + ROW_HEIGHT / 2);
      ctx.restore();
    }
  }
  ctx.fillStyle = dark ? "#171a21" : "#ffffff";
  ctx.fillRect(0, 0, LABEL_WIDTH, height);
  ctx.fillStyle = dark ? "#c9d1d9" : "#374151";
  for (const [track, y] of layout.trackY) {
    const info = data.tracks[track];
    if (info === undefined) continue;
    ctx.fillText(`${info.process} · ${info.thread}`.slice(0, 34), 6, y + ROW_HEIGHT / 2);
  }
}

export function TraceView({ capture }: { capture: ProfileKey }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [data, setData] = useState<TraceWindow | null>(null);
  const [view, setView] = useState<TimeWindow | null>(null);
  const [selected, setSelected] = useState<TraceEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const dark = s.dark.value;

  useEffect(() => {
    const abort = new AbortController();
    const width = (canvas.current?.clientWidth ?? 1200) - LABEL_WIDTH;
    const timer = window.setTimeout(() => {
      const request = view === null ? null : { ...view, width };
      fetchTraceWindow(capture, request, abort.signal)
        .then((answer) => {
          setData(answer);
          if (view === null) setView({ start: answer.start, end: answer.end });
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
        });
    }, view === null ? 0 : 60);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [capture.run, capture.session, capture.host, capture.format, view?.start, view?.end]);

  useEffect(() => {
    if (canvas.current !== null && data !== null && view !== null) {
      draw(canvas.current, data, view, selected, dark, search);
      canvas.current.dataset["drawnSearch"] = search; // what tests wait for
    }
  }, [data, view, selected, dark, search]);

  const move = (key: string): void => {
    if (data === null || view === null) return;
    const center = (view.start + view.end) / 2;
    if (key === "w") setView(zoom(view, 0.7, center, data.extent));
    else if (key === "s") setView(zoom(view, 1 / 0.7, center, data.extent));
    else if (key === "a") setView(pan(view, -0.2, data.extent));
    else if (key === "d") setView(pan(view, 0.2, data.extent));
    else if (key === "0") setView({ start: 0, end: data.extent });
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (["w", "a", "s", "d", "0"].includes(key)) {
        event.preventDefault();
        move(key);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const onClick = (event: MouseEvent): void => {
    if (canvas.current === null || data === null || view === null) return;
    const box = canvas.current.getBoundingClientRect();
    setSelected(hitTest(data, layoutRows(data), view, canvas.current.clientWidth, event.clientX - box.left, event.clientY - box.top));
  };

  if (error !== null) return <div class="empty error">{error}</div>;
  return (
    <div class="profile-trace">
      <div class="trace-toolbar">
        <button type="button" onClick={() => move("w")} title="Zoom in (W)">Zoom in</button>
        <button type="button" onClick={() => move("s")} title="Zoom out (S)">Zoom out</button>
        <button type="button" onClick={() => move("a")} title="Pan left (A)">◀</button>
        <button type="button" onClick={() => move("d")} title="Pan right (D)">▶</button>
        <button type="button" onClick={() => move("0")} title="Whole trace (0)">Reset</button>
        <input
          type="search"
          class="trace-search"
          placeholder="Search spans"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
        <span class="muted trace-window" data-testid="trace-window">
          {view === null ? "" : `${formatMicros(view.start)} – ${formatMicros(view.end)}`}
        </span>
        <span class="muted">{data === null ? "" : `${data.events.length.toLocaleString()} blocks`}</span>
        <span class="muted">
          <kbd>W</kbd>/<kbd>S</kbd> zoom, <kbd>A</kbd>/<kbd>D</kbd> pan, click selects
        </span>
      </div>
      <canvas class="trace-canvas" ref={canvas} onClick={onClick} data-tracks={data?.tracks.length ?? 0} />
      {selected !== null && data !== null && (
        <section class="profile-card trace-details" data-testid="trace-selection">
          <h3>{selected.count > 1 ? `${selected.count} merged spans` : data.names[selected.name]}</h3>
          <dl class="environment">
            <dt>Start</dt>
            <dd>{formatMicros(selected.start)}</dd>
            <dt>Duration</dt>
            <dd>{formatMicros(selected.duration)}</dd>
            {selected.category !== undefined && (
              <>
                <dt>Category</dt>
                <dd>{selected.category}</dd>
              </>
            )}
            {Object.entries(selected.args ?? {}).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}
