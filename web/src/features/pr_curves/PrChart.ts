/**
 * Precision (y) against recall (x) for several runs, with uPlot in its "faceted" mode (each
 * series brings its own x values: curves of different runs share no x grid). The tooltip is our
 * own: per run, the point nearest the pointer with its threshold and counts.
 */
import uPlot from "uplot";
import type { PrCurveStep } from "../../api/prCurves";
import { runColor } from "../../lib/colors";
import { formatStep } from "../../lib/format";
import { curvePoints, nearestThreshold, tooltipLeft } from "./curve";

export const PR_CHART_HEIGHT = 260;

export interface PrLine {
  run: string;
  curve: PrCurveStep;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fixed(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

function count(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v)) : String(v);
}

export class PrChart {
  private plot: uPlot | null = null;
  private lines: PrLine[] = [];
  private signature = "";
  private width = 400;

  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
  ) {}

  draw(lines: readonly PrLine[], width: number, dark: boolean): void {
    this.lines = [...lines];
    this.width = Math.max(200, Math.floor(width));
    const data: uPlot.AlignedData = [null as unknown as number[], ...this.lines.map((l) => {
      const { xs, ys } = curvePoints(l.curve);
      return [xs, ys] as unknown as number[];
    })] as uPlot.AlignedData;
    const signature = JSON.stringify([this.lines.map((l) => l.run), dark]);
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
    } else {
      this.create(data, dark);
      this.signature = signature;
    }
    this.describe();
  }

  resize(width: number): void {
    this.width = Math.max(200, Math.floor(width));
    this.plot?.setSize({ width: this.width, height: PR_CHART_HEIGHT });
  }

  png(): string | null {
    return this.plot?.ctx.canvas.toDataURL("image/png") ?? null;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private create(data: uPlot.AlignedData, dark: boolean): void {
    this.destroy();
    if (this.lines.length === 0) return; // faceted uPlot needs at least one series
    const text = dark ? "#9ca3af" : "#6b7280";
    const grid = dark ? "rgba(255,255,255,0.07)" : "rgba(0,0,0,0.06)";
    const tick = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.15)";
    const axis = (label: string): uPlot.Axis => ({
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: tick, width: 1, size: 4 },
      font: "11px system-ui, sans-serif",
      label,
      labelSize: 16,
      labelFont: "11px system-ui, sans-serif",
      values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? "" : Number(v.toFixed(2)).toString())),
    });
    const series: uPlot.Series[] = [{}];
    for (const line of this.lines) {
      const color = runColor(line.run);
      series.push({
        label: line.run,
        stroke: color,
        width: 1.75,
        facets: [
          { scale: "x", auto: false },
          { scale: "y", auto: false },
        ],
        paths: uPlot.paths.linear?.(),
        points: { show: false },
      } as uPlot.Series);
    }
    const options: uPlot.Options = {
      mode: 2,
      width: this.width,
      height: PR_CHART_HEIGHT,
      legend: { show: false },
      // Recall and precision live in [0, 1]; a little room keeps a line at 1.0 off the frame.
      scales: { x: { time: false, range: [0, 1.02] }, y: { range: [0, 1.02] } },
      axes: [
        { ...axis("Recall"), size: 34 },
        { ...axis("Precision"), size: 50 },
      ],
      series,
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false }, dataIdx: () => null } as unknown as uPlot.Cursor,
      hooks: { setCursor: [(u) => this.hover(u)] },
    };
    this.plot = new uPlot(options, data, this.host);
    this.plot.over.addEventListener("mouseleave", () => {
      this.tooltip.hidden = true;
      for (const marker of this.plot?.over.querySelectorAll<HTMLElement>(".pr-marker") ?? []) marker.hidden = true;
      this.host.dataset["hover"] = "";
    });
  }

  /** One marker per line, kept in uPlot's overlay (rebuilt with the plot). */
  private markers(u: uPlot): HTMLElement[] {
    const have = [...u.over.querySelectorAll<HTMLElement>(".pr-marker")];
    while (have.length < this.lines.length) {
      const marker = document.createElement("div");
      marker.className = "pr-marker";
      marker.hidden = true;
      u.over.appendChild(marker);
      have.push(marker);
    }
    return have;
  }

  /** Per run, the point nearest the pointer: threshold, precision, recall and the four counts. */
  private hover(u: uPlot): void {
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (left < 0 || top < 0 || this.lines.length === 0) {
      this.tooltip.hidden = true;
      return;
    }
    const x = u.posToVal(left, "x");
    const y = u.posToVal(top, "y");
    const pxPerX = u.bbox.width / devicePixelRatio / 1.02;
    const pxPerY = u.bbox.height / devicePixelRatio / 1.02;
    const rows: string[] = [];
    const found: Record<string, number> = {};
    this.markers(u).forEach((m) => (m.hidden = true));
    for (const [r, line] of this.lines.entries()) {
      const i = nearestThreshold(line.curve, x, y, pxPerX, pxPerY);
      if (i < 0) continue;
      const c = line.curve;
      found[line.run] = c.thresholds[i] as number;
      // A ring on the point each row describes.
      const marker = this.markers(u)[r];
      if (marker) {
        marker.hidden = false;
        marker.style.left = `${u.valToPos(c.recall[i] as number, "x")}px`;
        marker.style.top = `${u.valToPos(c.precision[i] as number, "y")}px`;
        marker.style.borderColor = runColor(line.run);
      }
      rows.push(
        `<tr><td><i class="swatch" style="background:${runColor(line.run)}"></i>${escape(line.run)}</td>` +
          `<td>${formatStep(c.step)}</td><td>${fixed(c.thresholds[i] as number, 3)}</td>` +
          `<td>${fixed(c.precision[i] as number)}</td><td>${fixed(c.recall[i] as number)}</td>` +
          `<td>${count(c.tp[i] as number)}</td><td>${count(c.fp[i] as number)}</td>` +
          `<td>${count(c.tn[i] as number)}</td><td>${count(c.fn[i] as number)}</td></tr>`,
      );
    }
    this.tooltip.innerHTML =
      `<table class="pr-tip"><thead><tr><th>Run</th><th>Step</th><th>Threshold</th><th>Precision</th>` +
      `<th>Recall</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
    this.tooltip.hidden = false;
    const box = this.tooltip.getBoundingClientRect();
    this.tooltip.style.left = `${tooltipLeft(u.over.offsetLeft + left, box.width, this.host.clientWidth)}px`;
    this.tooltip.style.top = `${u.over.offsetTop + Math.min(top + 10, Math.max(0, u.over.clientHeight - box.height))}px`;
    this.host.dataset["hover"] = JSON.stringify(found);
  }

  /** What is drawn, as data attributes for tests: per run the step and the (recall, precision) points. */
  private describe(): void {
    const d = this.host.dataset;
    const curves: Record<string, { step: number; recall: number[]; precision: number[] }> = {};
    for (const line of this.lines) {
      curves[line.run] = { step: line.curve.step, recall: Array.from(line.curve.recall), precision: Array.from(line.curve.precision) };
    }
    d["curves"] = JSON.stringify(curves);
    d["runs"] = JSON.stringify(this.lines.map((l) => l.run));
    if (this.lines.length > 0) d["drawn"] = "true";
  }
}
