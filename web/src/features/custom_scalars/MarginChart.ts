/**
 * A margin chart: per run, the value as a line inside a translucent band from its lower to its
 * upper bound (uPlot's `bands` fill between two series). Like a scalar card it honours the
 * dashboard's smoothing (the raw value then shows faintly behind the smoothed line and band),
 * zooms on an x drag and resets on double-click (groups/bandChart.ts, shared with group charts).
 * Few and small, so rebuilt on each draw; the zoom is kept across rebuilds.
 */
import uPlot from "uplot";
import { runColor, withAlpha } from "../../lib/colors";
import { formatStep, formatValue } from "../../lib/format";
import type { Smoother } from "../../lib/smoothing";
import { alignLines, type Line } from "../groups/align";
import { bandAxes, escapeHtml, hideOnLeave, placeTooltip, STEP_SCALE, ZOOM_CURSOR, ZoomKeeper } from "../groups/bandChart";
import type { Band } from "./layout";
import { smoothBand } from "./marginSmooth";

export const MARGIN_CHART_HEIGHT = 220;

export interface BandLine {
  run: string;
  label: string;
  band: Band;
}

export interface MarginSettings {
  smoothing: number;
  smoother: Smoother;
  dark: boolean;
}

/** null cells as NaN, which alignLines leaves out. */
function ys(column: readonly (number | null)[]): number[] {
  return column.map((v) => (v === null ? Number.NaN : v));
}

export class MarginChart {
  private plot: uPlot | null = null;
  private readonly zoom = new ZoomKeeper();

  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
  ) {}

  draw(raw: readonly BandLine[], width: number, settings: MarginSettings): void {
    this.destroy();
    const { dark } = settings;
    const smoothed = settings.smoothing > 0;
    const bands = raw.map((b) => ({ ...b, band: smoothBand(b.band, settings.smoothing, settings.smoother) }));
    const lines: Line[] = [];
    const series: uPlot.Series[] = [{}];
    const uBands: uPlot.Band[] = [];
    bands.forEach(({ label, band }, i) => {
      const color = runColor(label);
      if (smoothed) {
        lines.push({ xs: band.steps, ys: ys(raw[i]?.band.value ?? []) });
        series.push({ label: `${label} (raw)`, stroke: withAlpha(color, dark ? 0.35 : 0.28), width: 1, spanGaps: true, points: { show: false } });
      }
      const upper = series.length;
      lines.push({ xs: band.steps, ys: ys(band.upper) }, { xs: band.steps, ys: ys(band.lower) }, { xs: band.steps, ys: ys(band.value) });
      series.push(
        { label: `${label} upper`, stroke: withAlpha(color, 0.35), width: 1, spanGaps: true, points: { show: false } },
        { label: `${label} lower`, stroke: withAlpha(color, 0.35), width: 1, spanGaps: true, points: { show: false } },
        { label, stroke: color, width: 1.75, spanGaps: true, points: { size: 4, fill: color } },
      );
      uBands.push({ series: [upper, upper + 1], fill: withAlpha(color, dark ? 0.22 : 0.16) });
    });
    const { xs, columns } = alignLines(lines);
    const options: uPlot.Options = {
      width: Math.max(width, 200),
      height: MARGIN_CHART_HEIGHT,
      series,
      bands: uBands,
      legend: { show: false },
      cursor: ZOOM_CURSOR,
      scales: { x: STEP_SCALE },
      axes: bandAxes(dark),
      hooks: { ...this.zoom.hooks(this.host), setCursor: [(u) => this.hover(u, bands, raw, smoothed)] },
    };
    this.plot = new uPlot(options, [xs, ...columns] as uPlot.AlignedData, this.host);
    hideOnLeave(this.plot, this.tooltip);
    this.zoom.attach(this.plot, this.host);
    // What is drawn, for tests: per line the number of steps with a full band, and its last value.
    const full: Record<string, number> = {};
    const last: Record<string, number | null> = {};
    for (const { label, band } of bands) {
      full[label] = band.steps.filter((_, i) => band.lower[i] !== null && band.upper[i] !== null).length;
      last[label] = band.value.length > 0 ? (band.value[band.value.length - 1] ?? null) : null;
    }
    const d = this.host.dataset;
    d["bands"] = JSON.stringify(full);
    d["last"] = JSON.stringify(last);
    d["smoothed"] = String(smoothed);
    d["runs"] = JSON.stringify(bands.map((b) => b.label));
    if (xs.length > 0) d["drawn"] = "true";
  }

  png(): string | null {
    return this.plot?.ctx.canvas.toDataURL("image/png") ?? null;
  }

  destroy(): void {
    this.tooltip.hidden = true;
    this.plot?.destroy();
    this.plot = null;
  }

  private hover(u: uPlot, bands: readonly BandLine[], raw: readonly BandLine[], smoothed: boolean): void {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (idx === null || idx === undefined || left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const step = u.data[0][idx] as number;
    const rows: string[] = [];
    bands.forEach(({ label, band }, n) => {
      const i = band.steps.indexOf(step);
      if (i < 0) return;
      const rawValue = smoothed ? `<td class="num">${formatValue(raw[n]?.band.value[i] ?? null)}</td>` : "";
      rows.push(
        `<tr><td class="run"><i style="background:${runColor(label)}"></i> ${escapeHtml(label)}</td>` +
          `<td class="num">${formatValue(band.value[i] ?? null)}</td>${rawValue}<td class="num">${formatValue(band.lower[i] ?? null)}</td>` +
          `<td class="num">${formatValue(band.upper[i] ?? null)}</td></tr>`,
      );
    });
    if (rows.length === 0) {
      this.tooltip.hidden = true;
      return;
    }
    const head = smoothed ? "<th>Run</th><th>Smoothed</th><th>Value</th><th>Lower</th><th>Upper</th>" : "<th>Run</th><th>Value</th><th>Lower</th><th>Upper</th>";
    placeTooltip(
      u,
      this.tooltip,
      this.host,
      `<div class="x">step ${formatStep(step)}</div><table><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`,
    );
  }
}
