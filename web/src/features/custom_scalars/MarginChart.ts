/**
 * A margin chart: per run, the value as a line inside a translucent band from its lower to its
 * upper bound (uPlot's `bands` fill between two series). Few and small, so rebuilt on each draw.
 */
import uPlot from "uplot";
import { runColor, withAlpha } from "../../lib/colors";
import { formatStep, formatValue } from "../../lib/format";
import { alignLines, type Line } from "../groups/align";
import { tooltipLeft } from "../pr_curves/curve";
import type { Band } from "./layout";

export const MARGIN_CHART_HEIGHT = 220;

export interface BandLine {
  run: string;
  label: string;
  band: Band;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** null cells as NaN, which alignLines leaves out. */
function ys(column: readonly (number | null)[]): number[] {
  return column.map((v) => (v === null ? Number.NaN : v));
}

export class MarginChart {
  private plot: uPlot | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
  ) {}

  draw(bands: readonly BandLine[], width: number, dark: boolean): void {
    this.destroy();
    const lines: Line[] = [];
    const series: uPlot.Series[] = [{}];
    const uBands: uPlot.Band[] = [];
    for (const { label, band } of bands) {
      const color = runColor(label);
      const upper = series.length;
      lines.push({ xs: band.steps, ys: ys(band.upper) }, { xs: band.steps, ys: ys(band.lower) }, { xs: band.steps, ys: ys(band.value) });
      series.push(
        { label: `${label} upper`, stroke: withAlpha(color, 0.35), width: 1, spanGaps: true, points: { show: false } },
        { label: `${label} lower`, stroke: withAlpha(color, 0.35), width: 1, spanGaps: true, points: { show: false } },
        { label, stroke: color, width: 1.75, spanGaps: true, points: { size: 4, fill: color } },
      );
      uBands.push({ series: [upper, upper + 1], fill: withAlpha(color, dark ? 0.22 : 0.16) });
    }
    const { xs, columns } = alignLines(lines);
    const text = dark ? "#9ca3af" : "#6b7280";
    const grid = dark ? "rgba(255,255,255,0.07)" : "rgba(0,0,0,0.06)";
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif" };
    const options: uPlot.Options = {
      width: Math.max(width, 200),
      height: MARGIN_CHART_HEIGHT,
      series,
      bands: uBands,
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      scales: { x: { time: false, range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) } },
      axes: [
        { ...axis, size: 34, values: (_u, splits) => splits.map((v) => formatStep(v)) },
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v)) },
      ],
      hooks: { setCursor: [(u) => this.hover(u, bands)] },
    };
    this.plot = new uPlot(options, [xs, ...columns] as uPlot.AlignedData, this.host);
    this.plot.over.addEventListener("mouseleave", () => {
      this.tooltip.hidden = true;
    });
    // What is drawn, for tests: per line the number of steps with a full band.
    const full: Record<string, number> = {};
    for (const { label, band } of bands) {
      full[label] = band.steps.filter((_, i) => band.lower[i] !== null && band.upper[i] !== null).length;
    }
    this.host.dataset["bands"] = JSON.stringify(full);
    this.host.dataset["runs"] = JSON.stringify(bands.map((b) => b.label));
    if (xs.length > 0) this.host.dataset["drawn"] = "true";
  }

  png(): string | null {
    return this.plot?.ctx.canvas.toDataURL("image/png") ?? null;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private hover(u: uPlot, bands: readonly BandLine[]): void {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (idx === null || idx === undefined || left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const step = u.data[0][idx] as number;
    const rows: string[] = [];
    for (const { label, band } of bands) {
      const i = band.steps.indexOf(step);
      if (i < 0) continue;
      rows.push(
        `<tr><td class="run"><i style="background:${runColor(label)}"></i> ${escape(label)}</td>` +
          `<td class="num">${formatValue(band.value[i] ?? null)}</td><td class="num">${formatValue(band.lower[i] ?? null)}</td>` +
          `<td class="num">${formatValue(band.upper[i] ?? null)}</td></tr>`,
      );
    }
    if (rows.length === 0) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.innerHTML =
      `<div class="x">step ${formatStep(step)}</div><table><thead><tr><th>Run</th><th>Value</th><th>Lower</th><th>Upper</th></tr></thead>` +
      `<tbody>${rows.join("")}</tbody></table>`;
    this.tooltip.hidden = false;
    const box = this.tooltip.getBoundingClientRect();
    this.tooltip.style.left = `${tooltipLeft(u.over.offsetLeft + left, box.width, this.host.clientWidth)}px`;
    this.tooltip.style.top = `${u.over.offsetTop + 8}px`;
  }
}
