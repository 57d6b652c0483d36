/**
 * Painting one frame of the trace viewer on a 2D canvas: blocks of a (possibly older, coarser)
 * window placed by the current view, the ruler, track labels, the selection, a range being
 * dragged and flow arrows. Called on every change of the view, so it touches only the blocks
 * of one window (a screenful) and sets a fill colour only when it changes.
 */
import type { SpanBrief, SpanDetails, WindowColumns } from "./traceApi";
import { AXIS_HEIGHT, LABEL_WIDTH, ROW_HEIGHT, arrowEnds, formatTick, rowY, ticks, timeToX, type Layout, type TimeWindow } from "./traceLayout";

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
  /** A range being dragged or chosen, in µs. */
  range: TimeWindow | null;
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
  ctx.fillStyle = "#111827";
  for (const [label, x, y, w] of labels) {
    const fits = Math.floor((w - 6) / 6);
    if (fits < 2) continue;
    ctx.fillText(label.length > fits ? `${label.slice(0, fits - 1)}…` : label, x + 3, y + ROW_HEIGHT / 2);
  }
  if (frame.range !== null) {
    const x0 = Math.max(LABEL_WIDTH, timeToX(frame.range.start, view, width));
    const x1 = Math.min(width, timeToX(frame.range.end, view, width));
    ctx.fillStyle = dark ? "rgba(96,165,250,0.18)" : "rgba(37,99,235,0.12)";
    ctx.fillRect(x0, AXIS_HEIGHT, Math.max(1, x1 - x0), height - AXIS_HEIGHT);
    ctx.strokeStyle = dark ? "#60a5fa" : "#2563eb";
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, AXIS_HEIGHT + 0.5, Math.max(1, x1 - x0) - 1, height - AXIS_HEIGHT - 1);
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
  return arrows;
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
  ctx.fillStyle = text;
  data.tracks.forEach((track, i) => {
    const y = layout.trackY[i];
    if (y === undefined) return;
    ctx.fillText(`${track.process} · ${track.thread}`.slice(0, 32), 6, y + ROW_HEIGHT / 2);
    if (i > 0) {
      ctx.beginPath();
      ctx.moveTo(0, y - 4.5);
      ctx.lineTo(width, y - 4.5);
      ctx.stroke();
    }
  });
}
