/**
 * The trace viewer: a canvas timeline of processes / threads / streams, a row per nesting depth.
 * W/S zoom around the mouse, A/D pan (held keys move smoothly), the wheel zooms, a drag pans,
 * Shift+drag (or the Range mode) summarises a time range, a click selects a span (its details
 * and flow arrows come from the server), an instant marker or a counter's value; search steps
 * through matching spans. Each process is a block: a header, its counters (filled area tracks),
 * then its threads.
 *
 * Data: the server sends level-of-detail windows as typed arrays (traceApi.ts). A window twice
 * as wide as the view is asked for, so panning redraws what is held; a new one is fetched when
 * the view leaves it or the zoom changes its detail, and the previous one is drawn meanwhile.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ProfileKey } from "../../api/profile";
import * as s from "../../state/store";
import { formatMicros } from "./opSort";
import { fetchInstant, fetchSpan, fetchSummary, fetchWindow, type InstantDetails, type RangeRows, type RangeSummary, type SpanBrief, type SpanDetails, type WindowColumns } from "./traceApi";
import { drawFrame } from "./traceDraw";
import { LABEL_WIDTH, covers, dragRange, dragRows, hitTest, layoutTracks, pan, reveal, xToTime, zoom, type TimeWindow } from "./traceLayout";
import { RangeCard, SpanCard, counted } from "./TraceCards";
import { CounterCard, InstantCard, type PickedCounter, type PickedInstant } from "./TraceMarkCards";
import { counterAt, instantAt } from "./traceMarks";
import { TraceSearch } from "./TraceSearch";

/** Per millisecond a W/S key is held: the view shrinks / grows by this rate (e^-0.004 ≈ 0.996). */
const ZOOM_RATE = 0.004;
/** Per millisecond an A/D key is held: this fraction of the view. */
const PAN_RATE = 0.0012;

interface Drag {
  x: number;
  y: number;
  view: TimeWindow;
  range: boolean;
  moved: boolean;
}

export function TraceView({ capture }: { capture: ProfileKey }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [data, setData] = useState<WindowColumns | null>(null);
  const [view, setView] = useState<TimeWindow | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<SpanBrief | null>(null);
  const [merged, setMerged] = useState<{ start: number; duration: number; count: number; what: string } | null>(null);
  const [details, setDetails] = useState<SpanDetails | null>(null);
  const [instant, setInstant] = useState<PickedInstant | null>(null);
  const [instantDetails, setInstantDetails] = useState<InstantDetails | null>(null);
  const [counter, setCounter] = useState<PickedCounter | null>(null);
  const [range, setRange] = useState<(TimeWindow & RangeRows) | null>(null);
  const [summary, setSummary] = useState<RangeSummary | null>(null);
  const [rangeMode, setRangeMode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const dark = s.dark.value;
  const mouseX = useRef<number | null>(null);
  const drag = useRef<Drag | null>(null);
  const held = useRef(new Set<string>());
  const viewRef = useRef<TimeWindow | null>(null);
  viewRef.current = view;
  // Whole-trace lists only (the same in every window): rows never move while panning.
  const layout = useMemo(
    () => (data === null ? null : layoutTracks(data.tracks, data.counterTracks, data.processes)),
    [data?.tracks, data?.counterTracks, data?.processes],
  );
  const width = (): number => canvas.current?.clientWidth ?? 1200;

  useEffect(() => {
    setData(null);
    setView(null);
    setSelected(null);
    setDetails(null);
    setInstant(null);
    setCounter(null);
    setRange(null);
    setSummary(null);
  }, [capture.run, capture.session, capture.host, capture.format]);

  // Fetch a window when the held one cannot draw the view (debounced while the view moves).
  useEffect(() => {
    const plot = Math.max(100, width() - LABEL_WIDTH);
    if (view !== null && covers(data, view, plot)) return;
    const abort = new AbortController();
    const timer = window.setTimeout(
      () => {
        setLoading(true);
        const span = view === null ? 0 : view.end - view.start;
        const wide = view === null ? null : { start: Math.max(0, view.start - span / 2), end: view.end + span / 2 };
        fetchWindow(capture, wide, view === null ? plot : plot * 2, abort.signal)
          .then((answer) => {
            setData(answer);
            setLoading(false);
            if (view === null) setView({ start: answer.start, end: answer.end });
          })
          .catch((e: unknown) => {
            if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
          });
      },
      view === null ? 0 : 50,
    );
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [capture.run, capture.session, capture.host, capture.format, view?.start, view?.end, data]);

  // Paint whenever anything drawn changes.
  useEffect(() => {
    const target = canvas.current;
    if (target === null || data === null || view === null || layout === null) return;
    const flows = details?.flows ?? [];
    const marked = instant !== null ? { ...instant, counter: false } : counter !== null ? { ...counter, counter: true } : null;
    const arrows = drawFrame(target, { data, layout, view, dark, search: search.trim().toLowerCase(), selected, flows, range, marked });
    target.dataset["flows"] = String(arrows);
    target.dataset["drawnSearch"] = search;
    target.dataset["viewStart"] = String(view.start);
    target.dataset["viewEnd"] = String(view.end);
    target.dataset["windowSpan"] = String(data.end - data.start); // the held window's, µs
  });

  // Where rows are, for tests and tools that read the canvas (it has no DOM per row).
  useEffect(() => {
    const target = canvas.current;
    if (target === null || layout === null) return;
    const processes = layout.processes.map((p) => ({ pid: p.pid, y: p.y, bottom: p.bottom }));
    target.dataset["layout"] = JSON.stringify({ tracks: layout.trackY, counters: layout.counterY, processes });
  }, [layout]);

  // Details (and flow arrows) of the selected span.
  useEffect(() => {
    setDetails(null);
    if (selected === null) return;
    const abort = new AbortController();
    fetchSpan(capture, selected.id, abort.signal)
      .then(setDetails)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [selected?.id]);

  // Arguments of the clicked instant.
  useEffect(() => {
    setInstantDetails(null);
    if (instant === null) return;
    const abort = new AbortController();
    fetchInstant(capture, instant.id, abort.signal)
      .then(setInstantDetails)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [instant?.id]);

  // The range's summary, once the drag ends.
  useEffect(() => {
    setSummary(null);
    if (range === null || drag.current !== null) return;
    const abort = new AbortController();
    fetchSummary(capture, range, abort.signal)
      .then(setSummary)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [range?.start, range?.end, range?.tracks?.join(","), range?.counters?.join(","), drag.current === null]);

  const extent = data?.extent ?? 0;
  const anchor = (current: TimeWindow): number =>
    mouseX.current !== null && mouseX.current > LABEL_WIDTH ? xToTime(mouseX.current, current, width()) : (current.start + current.end) / 2;

  const step = (key: string, amount: number): void => {
    const current = viewRef.current;
    if (current === null || extent <= 0) return;
    let next = current;
    if (key === "w") next = zoom(current, Math.exp(-amount * ZOOM_RATE), anchor(current), extent);
    else if (key === "s") next = zoom(current, Math.exp(amount * ZOOM_RATE), anchor(current), extent);
    else if (key === "a") next = pan(current, -amount * PAN_RATE, extent);
    else if (key === "d") next = pan(current, amount * PAN_RATE, extent);
    viewRef.current = next;
    setView(next);
  };

  // Held W/A/S/D keys move the view every animation frame; a tap moves it one step.
  useEffect(() => {
    let frame = 0;
    let last = 0;
    const tick = (now: number): void => {
      const dt = Math.min(50, now - last);
      last = now;
      for (const key of held.current) step(key, dt);
      frame = held.current.size > 0 ? requestAnimationFrame(tick) : 0;
    };
    const onDown = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === "0" && extent > 0) {
        setView({ start: 0, end: extent });
        return;
      }
      if (key === "escape") {
        setRange(null);
        setSelected(null);
        setInstant(null);
        setCounter(null);
        return;
      }
      if (!["w", "a", "s", "d"].includes(key)) return;
      event.preventDefault();
      if (event.repeat || held.current.has(key)) return;
      held.current.add(key);
      step(key, 60); // a tap: one visible step
      if (frame === 0) {
        last = performance.now();
        frame = requestAnimationFrame(tick);
      }
    };
    const onUp = (event: KeyboardEvent): void => {
      held.current.delete(event.key.toLowerCase());
    };
    const onBlur = (): void => held.current.clear();
    window.addEventListener("keydown", onDown);
    window.addEventListener("keyup", onUp);
    window.addEventListener("blur", onBlur);
    return () => {
      window.removeEventListener("keydown", onDown);
      window.removeEventListener("keyup", onUp);
      window.removeEventListener("blur", onBlur);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [extent]);

  // The wheel zooms around the pointer (Shift or a sideways wheel pans); not passive, to keep the page still.
  useEffect(() => {
    const target = canvas.current;
    if (target === null) return;
    const onWheel = (event: WheelEvent): void => {
      const current = viewRef.current;
      if (current === null || extent <= 0) return;
      event.preventDefault();
      const box = target.getBoundingClientRect();
      mouseX.current = event.clientX - box.left;
      const sideways = event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY);
      const next = sideways
        ? pan(current, ((event.shiftKey ? event.deltaY : event.deltaX) / width()) * 1.5, extent)
        : zoom(current, Math.exp(event.deltaY * 0.002), anchor(current), extent);
      viewRef.current = next;
      setView(next);
    };
    target.addEventListener("wheel", onWheel, { passive: false });
    return () => target.removeEventListener("wheel", onWheel);
  }, [extent, data !== null]);

  const point = (event: MouseEvent): { x: number; y: number } => {
    const box = (canvas.current as HTMLCanvasElement).getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  const onMouseDown = (event: MouseEvent): void => {
    if (view === null || event.button !== 0) return;
    const { x, y } = point(event);
    drag.current = { x, y, view, range: rangeMode || event.shiftKey, moved: false };
  };

  const onMouseMove = (event: MouseEvent): void => {
    const { x, y } = point(event);
    mouseX.current = x;
    const current = drag.current;
    if (current === null || layout === null) return;
    if (!current.moved && Math.abs(x - current.x) < 4) return;
    current.moved = true;
    if (current.range) {
      setRange({ ...dragRange(current.view, width(), current.x, x), ...dragRows(layout, current.y, y) });
    } else {
      const usPerPixel = (current.view.end - current.view.start) / (width() - LABEL_WIDTH);
      const next = pan(current.view, (-(x - current.x) * usPerPixel) / (current.view.end - current.view.start), extent);
      viewRef.current = next;
      setView(next);
    }
  };

  const onMouseUp = (event: MouseEvent): void => {
    const current = drag.current;
    drag.current = null;
    if (current === null) return;
    if (current.moved) {
      if (current.range && range !== null) setRange({ ...range }); // the drag ended: summarise
      return;
    }
    if (data === null || view === null || layout === null) return;
    const { x, y } = point(event);
    setMerged(null);
    setInstant(null);
    setCounter(null);
    const marker = instantAt(data, layout, view, width(), x, y);
    if (marker >= 0) {
      setSelected(null);
      const { instants } = data;
      const time = instants.time[marker] as number;
      const count = instants.merged[marker] as number;
      if (count > 1) setMerged({ start: time, duration: Math.max(view.end - view.start, 1e-3) / 200, count, what: "instants" });
      else setInstant({ id: instants.id[marker] as number, time, track: instants.track[marker] as number, name: data.names[instants.name[marker] as number] ?? "" });
      return;
    }
    const value = counterAt(data, layout, view, width(), x, y);
    if (value !== null) {
      setSelected(null);
      setCounter(value);
      return;
    }
    const hit = hitTest(data, layout, view, width(), x, y);
    if (hit < 0) {
      setSelected(null);
      return;
    }
    const id = data.span[hit] as number;
    const brief = {
      track: data.track[hit] as number,
      depth: data.depth[hit] as number,
      start: data.blockStart[hit] as number,
      duration: data.blockDuration[hit] as number,
    };
    if (id >= 0) setSelected({ ...brief, id, name: data.names[data.name[hit] as number] ?? "" });
    else {
      setSelected(null);
      setMerged({ start: brief.start, duration: brief.duration, count: data.spanCount[hit] as number, what: "spans" });
    }
  };

  const goTo = (match: SpanBrief): void => {
    setMerged(null);
    setInstant(null);
    setCounter(null);
    setSelected(match);
    const current = viewRef.current;
    if (current !== null) setView(reveal(current, match, extent));
  };

  if (error !== null) return <div class="empty error">{error}</div>;
  return (
    <div class="profile-trace">
      <div class="trace-toolbar">
        <button type="button" onClick={() => step("w", 200)} title="Zoom in (W, wheel)">Zoom in</button>
        <button type="button" onClick={() => step("s", 200)} title="Zoom out (S, wheel)">Zoom out</button>
        <button type="button" onClick={() => step("a", 150)} title="Pan left (A, drag)">◀</button>
        <button type="button" onClick={() => step("d", 150)} title="Pan right (D, drag)">▶</button>
        <button type="button" onClick={() => extent > 0 && setView({ start: 0, end: extent })} title="Whole trace (0)">Reset</button>
        <button
          type="button"
          class={rangeMode ? "selected" : ""}
          aria-pressed={rangeMode}
          data-testid="trace-range-mode"
          onClick={() => setRangeMode(!rangeMode)}
          title="Drag to summarise a time range (or Shift+drag)"
        >
          Range
        </button>
        <TraceSearch capture={capture} value={search} onInput={setSearch} from={selected?.start ?? (view?.start ?? 0) - 1e-6} onMatch={goTo} />
        <span class="muted trace-window" data-testid="trace-window">
          {view === null ? "" : `${formatMicros(view.start)} – ${formatMicros(view.end)}`}
        </span>
        <span class="muted" data-testid="trace-blocks">
          {data === null ? "Loading…" : `${counted(data.count, "block")} of ${counted(data.spans, "span")}${loading ? " · loading" : ""}`}
        </span>
      </div>
      <p class="muted trace-help">
        <kbd>W</kbd>/<kbd>S</kbd> or wheel: zoom · <kbd>A</kbd>/<kbd>D</kbd> or drag: pan · <kbd>Shift</kbd>+drag: range summary · click: details · <kbd>0</kbd>: whole trace
      </p>
      <canvas
        class={`trace-canvas${rangeMode ? " range-mode" : ""}`}
        ref={canvas}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={() => {
          mouseX.current = null;
        }}
        data-tracks={data?.tracks.length ?? 0}
        data-counters={data?.counterTracks.length ?? 0}
        data-instants={data?.instants.count ?? 0}
        data-blocks={data?.count ?? 0}
      />
      {merged !== null && (
        <section class="profile-card trace-details" data-testid="trace-selection">
          <h3>
            {merged.count.toLocaleString()} {merged.what} merged at this zoom
          </h3>
          <p class="muted">
            {formatMicros(merged.start)} – {formatMicros(merged.start + merged.duration)}{" "}
            <button type="button" onClick={() => setView(reveal({ start: 0, end: 0 }, merged, extent))}>Zoom to them</button>
          </p>
        </section>
      )}
      {instant !== null && <InstantCard picked={instant} details={instantDetails} tracks={data?.tracks ?? []} />}
      {counter !== null && <CounterCard picked={counter} counter={data?.counterTracks[counter.track]} />}
      {selected !== null && <SpanCard selected={selected} details={details} tracks={data?.tracks ?? []} />}
      {range !== null && <RangeCard range={range} summary={summary} onClose={() => setRange(null)} />}
    </div>
  );
}
