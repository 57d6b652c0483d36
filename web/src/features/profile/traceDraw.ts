/**
 * Painting one frame of the trace viewer on a 2D canvas: blocks of a (possibly older, coarser)
 * window placed by the current view, the ruler, process headers and track labels, counters
 * inside their process, the selection, a range being dragged and flow arrows. Called on every
 * change of the view, so it touches only the blocks of one window (a screenful) and sets a
 * fill colour only when it changes.
 */
import type { RangeRows, SpanBrief, SpanDetails, WindowColumns } from "./traceApi";
import { AXIS_HEIGHT, COUNTER_HEIGHT, LABEL_WIDTH, PROCESS_HEIGHT, ROW_HEIGHT, TRACK_GAP, arrowEnds, formatTick, rangeBands, rowY, ticks, timeToX, type Layout, type TimeWindow } from "./traceLayout";
import { MARKER_SIZE, counterOutline, instantPoint } from "./traceMarks";

const PALETTE = ["#60a5fa", "#34d399", "#fbbf24", "#f87171", "#a78bfa", "#f472b6", "#22d3ee", "#a3e635"];

export function colorOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] as string;
}

export interface Frame {
  data: WindowColumns;
  layout: Layout;
  view: TimeWindow;
  dark: boolean;
  /** Lower-cased search text; "" for none. */
  search: string;
  selected: SpanBrief | null;
  flows: SpanDetails["flows"];
  /** A range being dragged or chosen, in µs, over the rows it covers (all without them). */
  range: (TimeWindow & Partial<RangeRows>) | null;
  /** The selected instant (its time and track) or counter point, outlined. */
  marked: { time: number; track: number; counter: boolean } | null;
}

/** Paint `frame`; returns how many flow arrows were drawn (what tests wait for). */
export function drawFrame(canvas: HTMLCanvasElement, frame: Frame): number {
  const { data, layout, view, dark } = frame;
  const width = canvas.clientWidth;
  const height = layout.height;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.floor(width * ratio) || canvas.height !== Math.floor(height * ratio)) {
    canvas.width = Math.floor(width * ratio);
    canvas.height = Math.floor(height * ratio);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  if (ctx === null) return 0;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  // Process header bands under everything (a range drawn later tints them too).
  ctx.fillStyle = dark ? "#1f2530" : "#f3f4f6";
  for (const block of layout.processes) ctx.fillRect(LABEL_WIDTH, block.y, width - LABEL_WIDTH, PROCESS_HEIGHT);
  const merged = dark ? "#6b7280" : "#9ca3af";
  const colors = data.names.map(colorOf);
  const matches = data.names.map((n) => frame.search !== "" && n.toLowerCase().includes(frame.search));
  let fill = "";
  const labels: [string, number, number, number][] = [];
  for (let i = 0; i < data.count; i++) {
    const y = rowY(layout, data.track[i] as number, data.depth[i] as number);
    if (y === undefined) continue;
    const start = data.blockStart[i] as number;
    const x0 = Math.max(LABEL_WIDTH, timeToX(start, view, width));
    const x1 = Math.min(width, timeToX(start + (data.blockDuration[i] as number), view, width));
    if (x1 < LABEL_WIDTH || x0 > width) continue;
    const name = data.name[i] as number;
    const color = (data.spanCount[i] as number) > 1 && name < 0 ? merged : (colors[name] ?? merged);
    const alpha = frame.search === "" || (name >= 0 && matches[name]) ? 1 : 0.18;
    const style = alpha === 1 ? color : `${color}2e`;
    if (style !== fill) {
      ctx.fillStyle = style;
      fill = style;
    }
    const w = Math.max(1, x1 - x0);
    ctx.fillRect(x0, y + 1, w, ROW_HEIGHT - 2);
    if (w > 40) labels.push([name >= 0 ? (data.names[name] ?? "") : `${data.spanCount[i]} spans`, x0, y, w]);
  }
  drawCounters(ctx, frame, width);
  ctx.fillStyle = "#111827";
  for (const [label, x, y, w] of labels) {
    const fits = Math.floor((w - 6) / 6);
    if (fits < 2) continue;
    ctx.fillText(label.length > fits ? `${label.slice(0, fits - 1)}…` : label, x + 3, y + ROW_HEIGHT / 2);
  }
  if (frame.range !== null) {
    const { range } = frame;
    const x0 = Math.max(LABEL_WIDTH, timeToX(range.start, view, width));
    const x1 = Math.min(width, timeToX(range.end, view, width));
    const w = Math.max(1, x1 - x0);
    ctx.fillStyle = dark ? "rgba(96,165,250,0.18)" : "rgba(37,99,235,0.12)";
    ctx.strokeStyle = dark ? "#60a5fa" : "#2563eb";
    ctx.lineWidth = 1;
    for (const [top, bottom] of rangeBands(layout, { tracks: range.tracks ?? null, counters: range.counters ?? null })) {
      ctx.fillRect(x0, top, w, bottom - top);
      ctx.strokeRect(x0 + 0.5, top + 0.5, w - 1, bottom - top - 1);
    }
  }
  if (frame.selected !== null) {
    const s = frame.selected;
    const y = rowY(layout, s.track, s.depth);
    if (y !== undefined) {
      const x0 = timeToX(s.start, view, width);
      const x1 = Math.max(x0 + 2, timeToX(s.start + s.duration, view, width));
      ctx.strokeStyle = dark ? "#ffffff" : "#111827";
      ctx.lineWidth = 2;
      ctx.strokeRect(x0, y + 1, x1 - x0, ROW_HEIGHT - 2);
    }
  }
  const arrows = drawArrows(ctx, frame, width);
  drawChrome(ctx, frame, width, height);
  drawInstants(ctx, frame, width, height); // after the ruler: global instants sit on it
  return arrows;
}

function drawCounters(ctx: CanvasRenderingContext2D, frame: Frame, width: number): void {
  const { data, layout, view } = frame;
  for (let c = 0; c < data.counterTracks.length; c++) {
    const outline = counterOutline(data, c, layout, view, width, data.extent);
    if (outline.length === 0) continue;
    const info = data.counterTracks[c];
    const color = colorOf(`${info?.name ?? ""}/${info?.series ?? ""}`);
    ctx.beginPath();
    outline.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
    ctx.fillStyle = `${color}99`;
    ctx.fill();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  const m = frame.marked;
  if (m !== null && m.counter) {
    const top = layout.counterY[m.track];
    if (top !== undefined) {
      const x = timeToX(m.time, view, width);
      ctx.strokeStyle = frame.dark ? "#ffffff" : "#111827";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + COUNTER_HEIGHT - 2);
      ctx.stroke();
    }
  }
}

/** Instant markers: a triangle at the top of their thread (or on the ruler for global ones,
 * with a faint line down the timeline); merged markers are grey. */
function drawInstants(ctx: CanvasRenderingContext2D, frame: Frame, width: number, height: number): void {
  const { data, layout, view } = frame;
  const { instants } = data;
  const merged = frame.dark ? "#9ca3af" : "#6b7280";
  const line = frame.dark ? "rgba(249,250,251,0.25)" : "rgba(17,24,39,0.2)";
  for (let i = 0; i < instants.count; i++) {
    const at = instantPoint(data, i, layout, view, width);
    if (at === null || at.x < LABEL_WIDTH || at.x > width) continue;
    const name = instants.name[i] as number;
    if ((instants.track[i] as number) < 0) {
      ctx.fillStyle = line;
      ctx.fillRect(Math.round(at.x), AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
    }
    ctx.fillStyle = name < 0 ? merged : "#e11d48";
    ctx.beginPath();
    ctx.moveTo(at.x - MARKER_SIZE / 2, at.y);
    ctx.lineTo(at.x + MARKER_SIZE / 2, at.y);
    ctx.lineTo(at.x, at.y + MARKER_SIZE);
    ctx.closePath();
    ctx.fill();
  }
  const m = frame.marked;
  if (m !== null && !m.counter) {
    const top = m.track < 0 ? AXIS_HEIGHT - MARKER_SIZE - 1 : layout.trackY[m.track];
    if (top !== undefined) {
      ctx.strokeStyle = frame.dark ? "#ffffff" : "#111827";
      ctx.lineWidth = 1.5;
      const x = timeToX(m.time, view, width);
      ctx.strokeRect(x - MARKER_SIZE / 2 - 2, top - 2, MARKER_SIZE + 4, MARKER_SIZE + 4);
    }
  }
}

function drawArrows(ctx: CanvasRenderingContext2D, frame: Frame, width: number): number {
  let drawn = 0;
  ctx.strokeStyle = frame.dark ? "#f9fafb" : "#111827";
  ctx.fillStyle = ctx.strokeStyle;
  ctx.lineWidth = 1.5;
  for (const flow of frame.flows) {
    const ends = arrowEnds(flow.from, flow.to, frame.layout, frame.view, width);
    if (ends === null) continue;
    const { x0, y0, x1, y1 } = ends;
    const bend = Math.max(20, Math.abs(x1 - x0) / 3);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(x0 + bend, y0, x1 - bend, y1, x1, y1);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 8, y1 - 4);
    ctx.lineTo(x1 - 8, y1 + 4);
    ctx.closePath();
    ctx.fill();
    drawn++;
  }
  return drawn;
}

/** Label column, ruler: drawn last so blocks never cover them. */
function drawChrome(ctx: CanvasRenderingContext2D, frame: Frame, width: number, height: number): void {
  const { data, layout, view, dark } = frame;
  const panel = dark ? "#171a21" : "#ffffff";
  const text = dark ? "#c9d1d9" : "#374151";
  const rule = dark ? "#30363d" : "#e5e7eb";
  ctx.fillStyle = panel;
  ctx.fillRect(0, 0, LABEL_WIDTH, height);
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  ctx.fillStyle = text;
  ctx.strokeStyle = rule;
  ctx.lineWidth = 1;
  const marks = ticks(view, width);
  const step = marks.length > 1 ? (marks[1] as number) - (marks[0] as number) : view.end - view.start;
  for (const t of marks) {
    const x = Math.round(timeToX(t, view, width)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT - 6);
    ctx.lineTo(x, AXIS_HEIGHT);
    ctx.stroke();
    ctx.fillText(formatTick(t, step, view.end), x + 3, AXIS_HEIGHT / 2);
  }
  ctx.beginPath();
  ctx.moveTo(0, AXIS_HEIGHT - 0.5);
  ctx.lineTo(width, AXIS_HEIGHT - 0.5);
  ctx.stroke();
  const line = (y: number, from: number): void => {
    ctx.beginPath();
    ctx.moveTo(from, Math.round(y) - 0.5);
    ctx.lineTo(width, Math.round(y) - 0.5);
    ctx.stroke();
  };
  const header = dark ? "#232a36" : "#e5e7eb";
  const muted = dark ? "#8b949e" : "#6b7280";
  for (const block of layout.processes) {
    ctx.fillStyle = header;
    ctx.fillRect(0, block.y, LABEL_WIDTH, PROCESS_HEIGHT);
    ctx.fillStyle = text;
    ctx.font = "600 11px system-ui, sans-serif";
    const name = block.name.slice(0, 24);
    ctx.fillText(name, 6, block.y + PROCESS_HEIGHT / 2);
    if (block.name !== block.pid) {
      const after = 6 + ctx.measureText(name).width + 6;
      ctx.font = "11px system-ui, sans-serif";
      ctx.fillStyle = muted;
      if (after < LABEL_WIDTH - 40) ctx.fillText(`pid ${block.pid}`.slice(0, Math.floor((LABEL_WIDTH - after) / 6)), after, block.y + PROCESS_HEIGHT / 2);
    }
    ctx.font = "11px system-ui, sans-serif";
    line(block.y, 0);
    line(block.y + PROCESS_HEIGHT, 0);
  }
  ctx.fillStyle = text;
  data.counterTracks.forEach((counter, c) => {
    const y = layout.counterY[c];
    if (y === undefined) return;
    const series = counter.series === counter.name ? "" : ` · ${counter.series}`;
    ctx.fillText(`${counter.name}${series}`.slice(0, 30), 14, y + COUNTER_HEIGHT / 2 - 6);
    ctx.fillStyle = muted;
    ctx.fillText(`max ${formatValue(counter.max)}`.slice(0, 30), 14, y + COUNTER_HEIGHT / 2 + 7);
    ctx.fillStyle = text;
    line(y + COUNTER_HEIGHT, 14);
  });
  data.tracks.forEach((track, i) => {
    const y = layout.trackY[i];
    if (y === undefined) return;
    ctx.fillText(track.thread.slice(0, 30), 14, y + ROW_HEIGHT / 2);
    line(y - TRACK_GAP / 2, 14); // may repeat the header's or a counter's line: same pixels
  });
}

/** A counter value for a label: integers as they are, others with 4 significant digits. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString() : v.toPrecision(4);
}
