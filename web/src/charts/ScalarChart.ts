/**
 * One scalar chart: a thin imperative owner of a uPlot instance. Components hand it data and
 * settings; it decides whether uPlot must be rebuilt (series set, axes or theme changed) or can
 * just take new data, in which case a user's zoom is kept.
 */
import uPlot from "uplot";
import { buildTable, pointAt, type ChartTable, type RunColumns } from "../lib/chartData";
import { runColor, withAlpha } from "../lib/colors";
import { formatDuration, formatStep, formatValue } from "../lib/format";
import { outlierExtent } from "../lib/outliers";
import type { Smoother } from "../lib/smoothing";
import type { XAxis } from "../lib/urlState";
import { stepRangeOfRows, stepRangeOfWindow, type StepRange } from "../lib/zoom";
import { sparseLinear } from "./sparsePaths";
import { renderTooltip } from "./tooltip";

export type TooltipOrder = "descending" | "ascending" | "nearest" | "alphabetical" | "default";

export interface ChartSettings {
  axis: XAxis;
  tooltipSort: TooltipOrder;
  smoother: Smoother;
  smoothing: number;
  logY: boolean;
  logX: boolean;
  ignoreOutliers: boolean;
  dark: boolean;
}

export const CHART_HEIGHT = 220;
/** Width of the y axis (labels and ticks): the plot gets the rest of the chart's width. */
export const Y_AXIS_WIDTH = 56;

function themeColors(dark: boolean): { text: string; grid: string; tick: string } {
  return dark
    ? { text: "#9ca3af", grid: "rgba(255,255,255,0.07)", tick: "rgba(255,255,255,0.15)" }
    : { text: "#6b7280", grid: "rgba(0,0,0,0.06)", tick: "rgba(0,0,0,0.15)" };
}

/** Log axes hand minor ticks over as null: they get no label. */
function labels(format: (v: number) => string): (u: uPlot, splits: (number | null)[]) => string[] {
  return (_u, splits) => splits.map((v) => (v === null || v === undefined ? "" : format(v)));
}

function xFormatter(axis: XAxis): (u: uPlot, splits: (number | null)[]) => string[] {
  return labels(axis === "relative" ? formatDuration : formatStep);
}

/**
 * Each value drawn in the rows in view (``u.series[1].idxs``, which uPlot sets before it asks
 * for the y range), visiting only the rows where each run has points: the series are not
 * ``auto``, so uPlot never scans the table's millions of empty cells for their extent.
 */
function forEachInView(u: uPlot, table: ChartTable, visit: (v: number) => void): void {
  const idxs = u.series[1]?.idxs;
  if (!idxs) return;
  const [first, last] = idxs;
  const stride = table.smoothed ? 2 : 1;
  for (let c = 1; c < table.columns.length; c++) {
    const col = table.columns[c] ?? [];
    for (const row of table.rows[Math.floor((c - 1) / stride)] ?? []) {
      if (row < first || row > last) continue;
      const v = col[row];
      if (v !== null && v !== undefined) visit(v);
    }
  }
}

/**
 * The y range: padded full extent, or TensorBoard's 5–95 % rule over what is in view.
 * ``onExtent`` hears the highest value in view (what describe() reports as drawn).
 */
function yRange(settings: ChartSettings, table: () => ChartTable | null, onExtent: (max: number) => void) {
  return (u: uPlot): uPlot.Range.MinMax => {
    const drawn = table();
    let lo: number | null = null;
    let hi: number | null = null;
    if (drawn) {
      const inView: number[] = [];
      forEachInView(u, drawn, (v) => {
        if (lo === null || v < lo) lo = v;
        if (hi === null || v > hi) hi = v;
        if (settings.ignoreOutliers) inView.push(v);
      });
      onExtent(hi ?? Number.NEGATIVE_INFINITY);
      if (settings.ignoreOutliers && !settings.logY) {
        const extent = outlierExtent(inView);
        if (extent) [lo, hi] = extent;
      }
    }
    if (lo === null || hi === null) return [0, 1];
    if (settings.logY) return uPlot.rangeLog(Math.max(lo, Number.MIN_VALUE), hi, 10, false);
    if (lo === hi) {
      const pad = Math.abs(lo) * 0.1 || 1;
      return [lo - pad, hi + pad];
    }
    const pad = (hi - lo) * 0.06;
    return [lo - pad, hi + pad];
  };
}

export class ScalarChart {
  private plot: uPlot | null = null;
  private table: ChartTable | null = null;
  private settings: ChartSettings | null = null;
  private signature = "";
  private zoomed = false;
  /** The highest value in view at the last y ranging (see describe). */
  private drawnMax = Number.NEGATIVE_INFINITY;
  private axis: XAxis = "step";
  private width = 400;
  private height = CHART_HEIGHT;

  /**
   * ``onZoom(range)``: the steps now in view after the user zoomed (null after a reset), so the
   * card can ask the server for that range alone and draw it at full resolution.
   */
  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
    private readonly onZoom: (range: StepRange | null) => void = () => undefined,
  ) {}

  /** Draws ``runs`` (already the min/max envelope for the chart's width). */
  update(runs: readonly RunColumns[], settings: ChartSettings): void {
    const table = buildTable(runs, { ...settings, logX: settings.logX && settings.axis !== "wall" });
    this.table = table;
    this.axis = settings.axis;
    // The tooltip's order is read when the tooltip draws: changing it needs no new plot.
    this.settings = settings;
    const { tooltipSort: _tooltipOnly, ...drawn } = settings;
    const signature = JSON.stringify([table.runs, table.smoothed, drawn]);
    if (this.plot === null || signature !== this.signature) {
      const keep = this.zoomed && this.plot ? this.xWindow() : null;
      this.create(table, settings);
      this.signature = signature;
      if (keep && this.plot) {
        this.zoomed = true;
        this.plot.setScale("x", keep);
      }
    } else {
      // New data: keep the user's zoom, else fit the new extent. uPlot only recomputes which
      // rows are in view on a scale change, so the zoom window is set again after the data.
      const keep = this.zoomed ? this.xWindow() : null;
      this.plot.setData(table.columns as uPlot.AlignedData, keep === null);
      if (keep) this.plot.setScale("x", keep);
    }
    this.describe();
  }

  resize(width: number, height = CHART_HEIGHT): void {
    this.width = Math.max(200, Math.floor(width));
    this.height = Math.max(120, Math.floor(height));
    this.plot?.setSize({ width: this.width, height: this.height });
  }

  /** The chart as a PNG data URL (axes included: uPlot draws them on the same canvas). */
  png(): string | null {
    return this.plot?.ctx.canvas.toDataURL("image/png") ?? null;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  /** The user dragged across [left, left + width] px: report the steps in that window. */
  private reportZoom(u: uPlot, left: number, width: number): void {
    const min = u.posToVal(left, "x");
    const max = u.posToVal(left + width, "x");
    const table = this.table;
    const range =
      this.axis === "step" || !table
        ? stepRangeOfWindow(min, max)
        : stepRangeOfRows(
            (u.data[0] ?? []) as number[],
            table.runs.length,
            (r, row) => pointAt(table, r, row)?.step ?? null,
            min,
            max,
          );
    if (range) this.onZoom(range);
  }

  private xWindow(): { min: number; max: number } | null {
    const x = this.plot?.scales["x"];
    return x && x.min !== undefined && x.max !== undefined ? { min: x.min, max: x.max } : null;
  }

  private create(table: ChartTable, settings: ChartSettings): void {
    this.plot?.destroy();
    const colors = themeColors(settings.dark);
    const series: uPlot.Series[] = [{}];
    table.runs.forEach((run, r) => {
      const color = runColor(run);
      // Lines walk only the run's own rows (see sparsePaths.ts); one builder serves both lines.
      const paths = sparseLinear(table.rows[r] ?? new Int32Array(0));
      // The faint raw line never shows point markers; the main line shows them when sparse
      // (uPlot's default), so a series of one or two points is still visible.
      series.push({
        label: run,
        stroke: table.smoothed ? withAlpha(color, settings.dark ? 0.35 : 0.28) : color,
        width: table.smoothed ? 1 : 1.5,
        spanGaps: true,
        paths,
        auto: false,
        points: table.smoothed ? { show: false } : { size: 5, fill: color },
      });
      if (table.smoothed) {
        series.push({
          label: `${run} (smoothed)`,
          stroke: color,
          width: 1.75,
          spanGaps: true,
          paths,
          auto: false,
          points: { size: 5, fill: color },
        });
      }
    });
    const axis = (values?: uPlot.Axis.Values): uPlot.Axis => ({
      stroke: colors.text,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.tick, width: 1, size: 4 },
      font: "11px system-ui, sans-serif",
      ...(values ? { values } : {}),
    });
    const options: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      scales: {
        x: {
          time: settings.axis === "wall",
          // Wall time on a log axis means nothing; step and relative time may be logarithmic.
          distr: settings.logX && settings.axis !== "wall" ? 3 : 1,
          // One point: a small window around it, not uPlot's default of [x, x + 100].
          range: (_u, min, max) =>
            settings.logX && settings.axis !== "wall"
              ? uPlot.rangeLog(min, max, 10, false)
              : min === max
                ? [min - 1, max + 1]
                : [min, max],
        },
        y: {
          distr: settings.logY ? 3 : 1,
          range: yRange(
            settings,
            () => this.table,
            (max) => {
              this.drawnMax = max;
            },
          ),
        },
      },
      axes: [
        { ...(settings.axis === "wall" ? axis() : axis(xFormatter(settings.axis))), size: 34 },
        { ...axis(labels(formatValue)), size: Y_AXIS_WIDTH },
      ],
      series,
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      hooks: {
        // Fired by a drag before uPlot sets the x scale to the selection.
        setSelect: [
          (u) => {
            if (u.select.width <= 2) return;
            this.zoomed = true;
            this.reportZoom(u, u.select.left, u.select.width);
          },
        ],
        setCursor: [(u) => renderTooltip(u, this.tooltip, this.table, this.settings ?? settings)],
        draw: [() => this.describe()],
      },
    };
    this.plot = new uPlot(options, table.columns as uPlot.AlignedData, this.host);
    this.zoomed = false;
    // Capture on the root runs before uPlot's own reset on its overlay, so that reset is not
    // taken for a zoom.
    this.plot.root.addEventListener(
      "dblclick",
      () => {
        this.zoomed = false;
        this.onZoom(null);
      },
      true,
    );
    this.plot.over.addEventListener("mouseleave", () => {
      this.tooltip.hidden = true;
    });
  }

  /**
   * What is drawn, as data attributes on the host: lets browser tests (and curious users in
   * devtools) check the y range and the drawn values without reading pixels.
   */
  private describe(): void {
    const u = this.plot;
    const table = this.table;
    if (!u || !table) return;
    const y = u.scales["y"];
    const x = u.scales["x"];
    const d = this.host.dataset;
    d["yMin"] = String(y?.min ?? "");
    d["yMax"] = String(y?.max ?? "");
    d["xMin"] = String(x?.min ?? "");
    d["xMax"] = String(x?.max ?? "");
    d["runs"] = JSON.stringify(table.runs);
    const points = table.columns[0]?.length ?? 0;
    d["points"] = String(points);
    // Set once the chart has drawn real data (what bench/ui_render.py and the tests wait for).
    if (points > 0) d["drawn"] = "true";
    d["zoomed"] = String(this.zoomed);
    // The last drawn value of each run's visible line (smoothed when smoothing).
    const last: Record<string, number | null> = {};
    const stride = table.smoothed ? 2 : 1;
    table.runs.forEach((run, r) => {
      const col = table.columns[1 + r * stride + (table.smoothed ? 1 : 0)] ?? [];
      const rows = table.rows[r] ?? new Int32Array(0);
      let v: number | null = null;
      for (let k = rows.length - 1; k >= 0 && v === null; k--) v = col[rows[k] as number] ?? null;
      last[run] = v;
    });
    d["last"] = JSON.stringify(last);
    // The highest value drawn in the rows in view, found while ranging y (yRange).
    d["drawnMax"] = String(this.drawnMax);
  }
}
