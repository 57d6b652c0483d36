/**
 * One histogram series drawn on a canvas, TensorBoard-style:
 * - offset (ridge) mode: one filled curve per step, each on its own baseline; the baseline's
 *   height is the step's position on the time axis (step / relative / wall), earliest at the
 *   back (top), latest in front (bottom), so the front curves occlude older ones;
 * - overlay mode: every step on one baseline, outlined, coloured from faint (old) to strong (new).
 *
 * Drawing is the expensive part with hundreds of steps, so the main canvas is redrawn only when
 * the data, size, mode, axis or theme change. Hover draws on a second canvas on top.
 */
import type { HistogramStep } from "../../api/histograms";
import { formatValue } from "../../lib/format";
import type { XAxis } from "../../lib/urlState";
import { mix } from "./colors";
import { bucketAt, buildCurves, countAt, type Curves } from "./curves";
import type { HistogramMode } from "./mode";
import { niceTicks } from "./ticks";
import { formatTime, timeValues } from "./timeAxis";

export interface HistogramView {
  mode: HistogramMode;
  axis: XAxis;
  dark: boolean;
  color: string;
}

/** Grid bins the buckets are re-binned onto (TensorBoard re-bins to a few dozen too). */
const BINS = 48;
const MARGIN = { top: 10, bottom: 24, left: 10, right: 10 };
/** The space the time axis labels need (right in offset mode, left counts in overlay). */
const SIDE_AXIS = 52;
/** In offset mode each ridge is this share of the plot's height at the card's highest count. */
const RIDGE_SHARE = 0.38;
/** Ridge heights below this (in CSS pixels) are not drawn in offset mode. */
const MIN_RIDGE_PX = 0.75;

interface Theme {
  bg: string;
  text: string;
  grid: string;
  highlight: string;
}

function theme(dark: boolean): Theme {
  return dark
    ? { bg: "#171a21", text: "#8b93a1", grid: "rgba(255,255,255,0.07)", highlight: "#f8fafc" }
    : { bg: "#ffffff", text: "#6b7280", grid: "rgba(0,0,0,0.07)", highlight: "#111827" };
}

interface Layout {
  left: number;
  right: number;
  top: number;
  bottom: number;
  ridge: number;
  tMin: number;
  tMax: number;
  times: number[];
}

export interface Hover {
  index: number;
  value: number;
  x: number;
  y: number;
}

export class HistogramCanvas {
  private readonly base: HTMLCanvasElement;
  private readonly over: HTMLCanvasElement;
  private steps: readonly HistogramStep[] = [];
  private curves: Curves | null = null;
  private layout: Layout | null = null;
  private view: HistogramView | null = null;
  private width = 0;
  private height = 0;
  private signature = "";

  constructor(
    host: HTMLElement,
    private readonly onHover: (hover: Hover | null, step: HistogramStep | null) => void,
  ) {
    this.base = document.createElement("canvas");
    this.over = document.createElement("canvas");
    this.base.className = "histogram-canvas";
    this.over.className = "histogram-canvas over";
    this.base.dataset["testid"] = "histogram-canvas";
    host.append(this.base, this.over);
    this.over.addEventListener("mousemove", (e) => this.hover(e.offsetX, e.offsetY));
    this.over.addEventListener("mouseleave", () => this.hover(null, null));
  }

  /** Redraws only if something that changes the picture changed. */
  update(steps: readonly HistogramStep[], view: HistogramView, width: number, height: number): void {
    const signature = JSON.stringify([view, width, height]);
    if (steps === this.steps && signature === this.signature) return;
    if (steps !== this.steps) this.curves = buildCurves(steps, BINS);
    this.steps = steps;
    this.view = view;
    this.signature = signature;
    this.width = width;
    this.height = height;
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [this.base, this.over]) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    this.draw(ratio);
    // The hover mark was cleared with the canvas; its tooltip would describe stale data.
    this.onHover(null, null);
  }

  png(): string {
    return this.base.toDataURL("image/png");
  }

  destroy(): void {
    this.base.remove();
    this.over.remove();
  }

  private context(canvas: HTMLCanvasElement, ratio: number): CanvasRenderingContext2D | null {
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    return ctx;
  }

  private xOf(value: number): number {
    const c = this.curves;
    const l = this.layout;
    if (!c || !l) return 0;
    return l.left + ((value - c.min) / (c.max - c.min)) * (l.right - l.left);
  }

  private valueOf(x: number): number {
    const c = this.curves;
    const l = this.layout;
    if (!c || !l) return 0;
    return c.min + ((x - l.left) / (l.right - l.left)) * (c.max - c.min);
  }

  /** The baseline of step ``i``: its time in offset mode, the plot's bottom in overlay mode. */
  private baseline(i: number): number {
    const l = this.layout as Layout;
    if (this.view?.mode !== "offset") return l.bottom;
    const top = l.top + l.ridge;
    const span = l.tMax - l.tMin;
    const t = span > 0 ? ((l.times[i] ?? l.tMin) - l.tMin) / span : 1;
    return top + t * (l.bottom - top);
  }

  private heightOf(count: number): number {
    const c = this.curves as Curves;
    return (count / c.maxCount) * (this.layout as Layout).ridge;
  }

  private draw(ratio: number): void {
    const ctx = this.context(this.base, ratio);
    this.context(this.over, ratio);
    const view = this.view;
    const curves = this.curves;
    this.base.dataset["steps"] = String(this.steps.length);
    this.base.dataset["mode"] = view?.mode ?? "";
    if (!ctx || !view || !curves) {
      this.layout = null;
      return;
    }
    const offset = view.mode === "offset";
    const times = timeValues(this.steps, view.axis);
    const left = MARGIN.left + (offset ? 0 : SIDE_AXIS);
    const right = this.width - MARGIN.right - (offset ? SIDE_AXIS : 0);
    const top = MARGIN.top;
    const bottom = this.height - MARGIN.bottom;
    const plot = bottom - top;
    this.layout = {
      left,
      right,
      top,
      bottom,
      // Overlay: one baseline, so a curve may use nearly the whole height.
      ridge: offset ? (this.steps.length > 1 ? plot * RIDGE_SHARE : plot * 0.9) : plot * 0.95,
      tMin: Math.min(...times),
      tMax: Math.max(...times),
      times,
    };
    const colors = theme(view.dark);
    this.drawAxes(ctx, colors, view);
    const n = this.steps.length;
    for (let i = 0; i < n; i++) {
      // Older steps fade toward the background, so the newest stands out in both modes.
      const age = n > 1 ? 1 - i / (n - 1) : 0;
      const row = curves.counts[i] as Float64Array;
      this.tracePath(ctx, row, i, offset);
      if (offset) {
        ctx.fillStyle = mix(view.color, colors.bg, 0.2 + 0.6 * age);
        ctx.fill();
        // A thin outline separates each ridge from the one behind (fainter for older ones).
        ctx.strokeStyle = mix(view.color, view.dark ? "#ffffff" : "#000000", 0.35);
        ctx.globalAlpha = 0.2 + 0.6 * (1 - age);
        ctx.lineWidth = 0.75;
        this.strokeRaised(ctx, row, i);
        ctx.globalAlpha = 1;
      } else {
        ctx.strokeStyle = mix(view.color, colors.bg, 0.85 * age);
        ctx.lineWidth = i === n - 1 ? 1.75 : 1;
        ctx.stroke();
      }
    }
    if (!offset && n > 1) this.drawLegend(ctx, colors, view);
  }

  /**
   * The curve of step ``i`` through the grid's bin centres, trimmed to the bins around its data:
   * a flat line along the baseline where a step has nothing would stack into stripes.
   */
  private tracePath(ctx: CanvasRenderingContext2D, row: Float64Array, i: number, closed: boolean): void {
    const c = this.curves as Curves;
    const base = this.baseline(i);
    const binWidth = (c.max - c.min) / c.bins;
    // Filled ridges drop tails under a pixel high: anti-aliased, they read as hairlines.
    const shows = (j: number): boolean =>
      closed ? this.heightOf(row[j] ?? 0) >= MIN_RIDGE_PX : (row[j] ?? 0) > 0;
    let first = 0;
    while (first < row.length - 1 && !shows(first)) first++;
    let last = row.length - 1;
    while (last > first && !shows(last)) last--;
    const from = Math.max(0, first - 1);
    const to = Math.min(row.length - 1, last + 1);
    ctx.beginPath();
    for (let j = from; j <= to; j++) {
      const x = this.xOf(c.min + (j + 0.5) * binWidth);
      const y = base - this.heightOf(row[j] ?? 0);
      if (j === from) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    if (closed) {
      ctx.lineTo(this.xOf(c.min + (to + 0.5) * binWidth), base);
      ctx.lineTo(this.xOf(c.min + (from + 0.5) * binWidth), base);
      ctx.closePath();
    }
  }

  /**
   * Outlines step ``i`` only where it rises off its baseline: the near-empty tails of dozens of
   * stacked ridges would otherwise draw as horizontal stripes.
   */
  private strokeRaised(ctx: CanvasRenderingContext2D, row: Float64Array, i: number): void {
    const c = this.curves as Curves;
    const base = this.baseline(i);
    const binWidth = (c.max - c.min) / c.bins;
    const raised = (j: number): boolean => this.heightOf(row[j] ?? 0) >= MIN_RIDGE_PX;
    ctx.beginPath();
    let drawing = false;
    for (let j = 0; j < row.length; j++) {
      const visible = raised(j) || (j > 0 && raised(j - 1)) || (j < row.length - 1 && raised(j + 1));
      if (!visible) {
        drawing = false;
        continue;
      }
      const x = this.xOf(c.min + (j + 0.5) * binWidth);
      const y = base - this.heightOf(row[j] ?? 0);
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.stroke();
  }

  private drawAxes(ctx: CanvasRenderingContext2D, colors: Theme, view: HistogramView): void {
    const l = this.layout as Layout;
    const c = this.curves as Curves;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = colors.text;
    ctx.strokeStyle = colors.grid;
    ctx.lineWidth = 1;
    // Values along the bottom.
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const xTicks = niceTicks(c.min, c.max, Math.max(2, Math.floor((l.right - l.left) / 80)));
    for (const v of xTicks) {
      const x = Math.round(this.xOf(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, l.top);
      ctx.lineTo(x, l.bottom + 4);
      ctx.stroke();
      ctx.fillText(formatValue(v), x, l.bottom + 7);
    }
    if (view.mode === "offset") {
      // Time down the right side, at the baselines it stands for.
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      const count = Math.max(2, Math.floor((l.bottom - l.top - l.ridge) / 36));
      const ticks = l.tMax > l.tMin ? niceTicks(l.tMin, l.tMax, count) : [l.tMax];
      const top = l.top + l.ridge;
      for (const t of ticks) {
        const y = l.tMax > l.tMin ? top + ((t - l.tMin) / (l.tMax - l.tMin)) * (l.bottom - top) : l.bottom;
        ctx.beginPath();
        ctx.moveTo(l.right, Math.round(y) + 0.5);
        ctx.lineTo(l.right + 4, Math.round(y) + 0.5);
        ctx.stroke();
        ctx.fillText(formatTime(view.axis, t), l.right + 7, y);
      }
    } else {
      // Counts up the left side (per grid bin, the unit the curves are drawn in).
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      const max = c.maxCount / 0.95;
      for (const v of niceTicks(0, max, Math.max(2, Math.floor((l.bottom - l.top) / 40)))) {
        const y = Math.round(l.bottom - (v / max) * (l.bottom - l.top)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(l.left, y);
        ctx.lineTo(l.right, y);
        ctx.stroke();
        ctx.fillText(formatValue(v), l.left - 6, y);
      }
    }
  }

  /** Overlay mode: a small gradient bar telling which colour is which step. */
  private drawLegend(ctx: CanvasRenderingContext2D, colors: Theme, view: HistogramView): void {
    const l = this.layout as Layout;
    const width = 72;
    const x = l.right - width;
    const y = l.top + 4;
    const gradient = ctx.createLinearGradient(x, 0, x + width, 0);
    gradient.addColorStop(0, mix(view.color, colors.bg, 0.85));
    gradient.addColorStop(1, view.color);
    ctx.fillStyle = gradient;
    ctx.fillRect(x, y, width, 6);
    ctx.fillStyle = colors.text;
    ctx.font = "10px system-ui, sans-serif";
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(formatTime(view.axis, l.tMin), x, y + 9);
    ctx.textAlign = "right";
    ctx.fillText(formatTime(view.axis, l.tMax), x + width, y + 9);
    ctx.textAlign = "right";
    ctx.fillText(view.axis === "step" ? "step" : "time", x - 6, y - 2);
  }

  /** Finds the curve nearest the pointer (vertically, at the pointer's value) and marks it. */
  private hover(px: number | null, py: number | null): void {
    const ratio = window.devicePixelRatio || 1;
    const ctx = this.context(this.over, ratio);
    const c = this.curves;
    const l = this.layout;
    if (!ctx || px === null || py === null || !c || !l || px < l.left || px > l.right) {
      this.onHover(null, null);
      return;
    }
    const value = this.valueOf(px);
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < c.counts.length; i++) {
      const y = this.baseline(i) - this.heightOf(countAt(c.counts[i] as Float64Array, c.min, c.max, value));
      const distance = Math.abs(y - py);
      // Ties go to the later step: it is drawn in front.
      if (distance <= bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    const step = this.steps[best];
    if (best < 0 || !step) {
      this.onHover(null, null);
      return;
    }
    const row = c.counts[best] as Float64Array;
    const y = this.baseline(best) - this.heightOf(countAt(row, c.min, c.max, value));
    const colors = theme(this.view?.dark ?? false);
    this.tracePath(ctx, row, best, false);
    ctx.strokeStyle = colors.highlight;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(px, y, 3.5, 0, Math.PI * 2);
    ctx.fillStyle = colors.highlight;
    ctx.fill();
    this.onHover({ index: best, value, x: px, y }, step);
  }
}

/** The tooltip's lines for a hovered step: its bucket at the pointer and that bucket's count. */
export function describeHover(step: HistogramStep, value: number): { range: string; count: string } {
  const bucket = bucketAt(step.buckets, value);
  if (!bucket) return { range: `${formatValue(value)} (no data)`, count: "0" };
  return { range: `[${formatValue(bucket[0])}, ${formatValue(bucket[1])}]`, count: formatValue(bucket[2]) };
}
