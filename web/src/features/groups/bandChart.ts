/**
 * What the two "line inside a band" charts share — grouped runs (GroupChart) and custom-scalar
 * margin charts (MarginChart): the scalar card's axis look and size (charts/ScalarChart.ts), its
 * drag-to-zoom on x with double-click to reset, a zoom that survives a redraw with new data, the
 * tooltip placed like the PR-curve one, and the drawn window as data attributes for tests.
 * Both charts are rebuilt on each draw (they are few), so the zoom is kept here, not in uPlot.
 */
import uPlot from "uplot";
import { Y_AXIS_WIDTH } from "../../charts/ScalarChart";
import { formatStep, formatValue } from "../../lib/format";
import { tooltipLeft } from "../pr_curves/curve";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Step on x, values on y, in the scalar card's colours, font and y-axis width. */
export function bandAxes(dark: boolean): uPlot.Axis[] {
  const text = dark ? "#9ca3af" : "#6b7280";
  const grid = dark ? "rgba(255,255,255,0.07)" : "rgba(0,0,0,0.06)";
  const tick = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.15)";
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: tick, width: 1, size: 4 }, font: "11px system-ui, sans-serif" };
  return [
    { ...axis, size: 34, values: (_u, splits) => splits.map((v) => formatStep(v)) },
    { ...axis, size: Y_AXIS_WIDTH, values: (_u, splits) => splits.map((v) => formatValue(v)) },
  ];
}

/** The x scale: one point gets a small window around it rather than uPlot's [x, x + 100]. */
export const STEP_SCALE: uPlot.Scale = { time: false, range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) };

/** Drag across x to zoom (uPlot sets the scale), double-click to fit again (uPlot's default). */
export const ZOOM_CURSOR: uPlot.Cursor = { drag: { x: true, y: false, setScale: true }, points: { show: false } };

/**
 * Keeps a user's x zoom across rebuilds: ``remember`` after a drag or reset, ``window`` to
 * reapply on the next plot, ``describe`` to publish what is in view on the host.
 */
export class ZoomKeeper {
  private zoom: { min: number; max: number } | null = null;

  /** Hooks for the plot's options: a drag zooms, and is remembered; each draw is described. */
  hooks(host: HTMLElement): Partial<uPlot.Hooks.Arrays> {
    return {
      draw: [(u) => this.describe(u, host)],
      setSelect: [
        (u) => {
          if (u.select.width <= 2) return;
          this.zoom = { min: u.posToVal(u.select.left, "x"), max: u.posToVal(u.select.left + u.select.width, "x") };
        },
      ],
    };
  }

  /** Listens for the reset on a new plot, and puts the remembered zoom back on it. */
  attach(plot: uPlot, host: HTMLElement): void {
    // Capture on the root runs before uPlot's own reset on its overlay.
    plot.root.addEventListener(
      "dblclick",
      () => {
        this.zoom = null;
        host.dataset["zoomed"] = "false";
      },
      true,
    );
    if (this.zoom) plot.setScale("x", this.zoom);
    this.describe(plot, host);
  }

  private describe(u: uPlot, host: HTMLElement): void {
    const x = u.scales["x"];
    const y = u.scales["y"];
    const d = host.dataset;
    d["xMin"] = String(x?.min ?? "");
    d["xMax"] = String(x?.max ?? "");
    d["yMin"] = String(y?.min ?? "");
    d["yMax"] = String(y?.max ?? "");
    d["zoomed"] = String(this.zoom !== null);
  }
}

/** Shows ``html`` in the tooltip next to the cursor, kept inside the chart. */
export function placeTooltip(u: uPlot, tip: HTMLElement, host: HTMLElement, html: string): void {
  tip.innerHTML = html;
  tip.hidden = false;
  const box = tip.getBoundingClientRect();
  tip.style.right = "";
  tip.style.left = `${tooltipLeft(u.over.offsetLeft + (u.cursor.left ?? 0), box.width, host.clientWidth)}px`;
  tip.style.top = `${u.over.offsetTop + 8}px`;
}

/** Hides the tooltip when the pointer leaves the plot. */
export function hideOnLeave(u: uPlot, tip: HTMLElement): void {
  u.over.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });
}
