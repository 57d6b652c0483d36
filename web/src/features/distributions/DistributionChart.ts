/**
 * One distribution chart: a thin owner of a uPlot instance drawing the nested basis-point bands
 * (uPlot `bands` fill between pairs of series) and the median line on top.
 */
import uPlot from "uplot";
import { withAlpha } from "../../lib/colors";
import { formatValue } from "../../lib/format";
import type { XAxis } from "../../lib/urlState";
import { formatTime } from "../histograms/timeAxis";
import { BAND_PAIRS, MEDIAN, VALUE_LABELS, type BandColumns } from "./bands";

export const DISTRIBUTION_HEIGHT = 230;

export interface DistributionView {
  axis: XAxis;
  dark: boolean;
  color: string;
}

/** Each band adds this much opacity over the ones around it: the centre is the darkest. */
const BAND_ALPHA = { light: 0.17, dark: 0.24 };

export class DistributionChart {
  private plot: uPlot | null = null;
  private signature = "";
  private columns: BandColumns | null = null;
  private width = 400;

  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
  ) {}

  update(columns: BandColumns, view: DistributionView, width: number): void {
    this.columns = columns;
    this.width = Math.max(200, Math.floor(width));
    const data = [columns.x, ...columns.values] as uPlot.AlignedData;
    const signature = JSON.stringify(view);
    if (this.plot === null || signature !== this.signature) {
      this.create(data, view);
      this.signature = signature;
    } else {
      this.plot.setSize({ width: this.width, height: DISTRIBUTION_HEIGHT });
      this.plot.setData(data);
    }
    this.host.dataset["steps"] = String(columns.x.length);
    this.host.dataset["bands"] = String(BAND_PAIRS.length);
  }

  png(): string | null {
    return this.plot?.ctx.canvas.toDataURL("image/png") ?? null;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private create(data: uPlot.AlignedData, view: DistributionView): void {
    this.plot?.destroy();
    const text = view.dark ? "#9ca3af" : "#6b7280";
    const grid = view.dark ? "rgba(255,255,255,0.07)" : "rgba(0,0,0,0.06)";
    const tick = view.dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.15)";
    const series: uPlot.Series[] = [{}];
    VALUE_LABELS.forEach((label, k) => {
      const median = k === MEDIAN;
      series.push({
        label,
        stroke: median ? view.color : withAlpha(view.color, view.dark ? 0.35 : 0.3),
        width: median ? 1.75 : 0.75,
        points: { show: false },
        spanGaps: true,
      });
    });
    // uPlot numbers series from 1 (0 is x); a band is [upper, lower].
    const bands: uPlot.Band[] = BAND_PAIRS.map(([lower, upper]) => ({
      series: [upper + 1, lower + 1],
      fill: withAlpha(view.color, view.dark ? BAND_ALPHA.dark : BAND_ALPHA.light),
    }));
    const axis = (values?: uPlot.Axis.Values): uPlot.Axis => ({
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: tick, width: 1, size: 4 },
      font: "11px system-ui, sans-serif",
      ...(values ? { values } : {}),
    });
    const format =
      (f: (v: number) => string) =>
      (_u: uPlot, splits: number[]): string[] =>
        splits.map((v) => (v === null || v === undefined ? "" : f(v)));
    const options: uPlot.Options = {
      width: this.width,
      height: DISTRIBUTION_HEIGHT,
      legend: { show: false },
      scales: {
        x: { time: view.axis === "wall", range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) },
        y: {
          range: (_u, min, max) => {
            if (min === max) return [min - (Math.abs(min) * 0.1 || 1), max + (Math.abs(max) * 0.1 || 1)];
            const pad = (max - min) * 0.05;
            return [min - pad, max + pad];
          },
        },
      },
      axes: [
        { ...(view.axis === "wall" ? axis() : axis(format((v) => formatTime(view.axis, v)))), size: 34 },
        { ...axis(format(formatValue)), size: 56 },
      ],
      series,
      bands,
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      hooks: { setCursor: [(u) => this.renderTooltip(u, view)] },
    };
    this.plot = new uPlot(options, data, this.host);
    this.plot.over.addEventListener("mouseleave", () => {
      this.tooltip.hidden = true;
    });
  }

  /** Step and the nine values at the cursor, highest first (as the bands stack on screen). */
  private renderTooltip(u: uPlot, view: DistributionView): void {
    const idx = u.cursor.idx;
    const cols = this.columns;
    const left = u.cursor.left ?? -1;
    if (idx === null || idx === undefined || !cols || left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const step = cols.steps[idx];
    if (step === undefined) return;
    const rows = VALUE_LABELS.map((label, k) => ({ label, k, v: cols.values[k]?.[idx] ?? null })).reverse();
    const time =
      view.axis === "step" ? "" : ` · ${formatTime(view.axis, cols.x[idx] ?? 0)}`;
    const body = rows
      .map(
        ({ label, k, v }) =>
          `<tr${k === MEDIAN ? ' class="median"' : ""}><th>${label}</th><td class="num">${formatValue(v)}</td></tr>`,
      )
      .join("");
    this.tooltip.innerHTML = `<div class="x">Step ${step}${time}</div><table><tbody>${body}</tbody></table>`;
    this.tooltip.hidden = false;
    const plotLeft = u.over.offsetLeft;
    const x = plotLeft + left;
    const flip = x > this.width / 2;
    this.tooltip.style.top = "8px";
    this.tooltip.style.left = flip ? "" : `${x + 14}px`;
    this.tooltip.style.right = flip ? `${this.width - x + 14}px` : "";
  }
}
