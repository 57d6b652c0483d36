/**
 * A chart of grouped runs: per group a centre line inside a translucent band (uPlot's `bands`
 * fill between the group's upper and lower series), and optionally its member runs as faint
 * lines. Rebuilt on every draw: group charts are few and redrawn only when their data changes;
 * the user's zoom (drag on x, double-click to reset, as on scalar cards) is kept across redraws
 * by bandChart.ts. Hovering lists each group's centre, band bounds and member count at the step.
 */
import uPlot from "uplot";
import type { GroupBand, RunGroupLine } from "../../api/runs";
import { runColor, withAlpha } from "../../lib/colors";
import { formatStep, formatValue } from "../../lib/format";
import { alignLines, type Line } from "./align";
import { bandAxes, escapeHtml, hideOnLeave, placeTooltip, STEP_SCALE, ZOOM_CURSOR, ZoomKeeper } from "./bandChart";

export const GROUP_CHART_HEIGHT = 240;

export interface MemberLine extends Line {
  run: string;
  group: string;
}

/** How the group's line and band were computed: named in the tooltip's header. */
export interface GroupDrawing {
  center: "mean" | "median";
  band: GroupBand;
}

export function groupColor(label: string): string {
  return runColor(`group:${label}`);
}

/** One group's numbers at one step, as the tooltip lists them. */
export interface GroupAtStep {
  label: string;
  step: number;
  center: number | null;
  lower: number | null;
  upper: number | null;
  count: number;
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/** Index of the step nearest ``x`` in ascending ``steps`` (-1 when empty). */
export function nearestIndex(steps: readonly number[], x: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  const before = lo - 1;
  return before >= 0 && x - (steps[before] as number) < (steps[lo] as number) - x ? before : lo;
}

/**
 * Each group's centre, band and member count at its grid step nearest ``x`` (the groups share
 * the server's step grid; member runs drawn faintly add steps of their own between its points).
 */
export function groupsAtStep(groups: readonly RunGroupLine[], tag: string, x: number): GroupAtStep[] {
  const found: GroupAtStep[] = [];
  for (const group of groups) {
    const line = group.series.find((s) => s.tag === tag);
    const i = line ? nearestIndex(line.steps, x) : -1;
    if (!line || i < 0) continue;
    found.push({ label: group.label, step: line.steps[i] as number, center: finite(line.center[i]), lower: finite(line.lower[i]), upper: finite(line.upper[i]), count: line.count[i] ?? 0 });
  }
  return found;
}

const BAND_HEADS: Record<GroupBand, string> = { minmax: "min … max", std: "± std", ci95: "95 % CI", none: "" };

export function groupTooltipHtml(rows: readonly GroupAtStep[], how: GroupDrawing): string {
  const step = rows[0]?.step ?? 0;
  const banded = how.band !== "none";
  const body = rows
    .map(
      (row) =>
        `<tr><td><i style="background:${groupColor(row.label)}"></i></td><td class="run">${escapeHtml(row.label || "(empty)")}</td>` +
        `<td class="num">${formatValue(row.center)}</td>` +
        (banded ? `<td class="num">${formatValue(row.lower)} … ${formatValue(row.upper)}</td>` : "") +
        `<td class="num">${row.count}</td></tr>`,
    )
    .join("");
  const head = `<th></th><th>Group</th><th>${how.center}</th>${banded ? `<th>${BAND_HEADS[how.band]}</th>` : ""}<th>Runs</th>`;
  return `<div class="x">step ${formatStep(step)}</div><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export class GroupChart {
  private plot: uPlot | null = null;
  private readonly zoom = new ZoomKeeper();

  constructor(
    private readonly host: HTMLElement,
    private readonly tooltip: HTMLElement,
  ) {}

  draw(tag: string, groups: readonly RunGroupLine[], members: readonly MemberLine[], width: number, dark: boolean, how: GroupDrawing): void {
    this.destroy();
    const lines: Line[] = [];
    const series: uPlot.Series[] = [{}];
    const bands: uPlot.Band[] = [];
    for (const member of members) {
      lines.push(member);
      series.push({ label: member.run, stroke: withAlpha(groupColor(member.group), 0.28), width: 1, spanGaps: true, points: { show: false } });
    }
    for (const group of groups) {
      const line = group.series.find((s) => s.tag === tag);
      if (!line || line.steps.length === 0) continue;
      const color = groupColor(group.label);
      const upper = series.length;
      lines.push({ xs: line.steps, ys: line.upper }, { xs: line.steps, ys: line.lower }, { xs: line.steps, ys: line.center });
      series.push(
        { label: `${group.label} upper`, stroke: "transparent", width: 0, points: { show: false } },
        { label: `${group.label} lower`, stroke: "transparent", width: 0, points: { show: false } },
        { label: group.label, stroke: color, width: 2, points: { show: false } },
      );
      bands.push({ series: [upper, upper + 1], fill: withAlpha(color, 0.18) });
    }
    const { xs, columns } = alignLines(lines);
    const options: uPlot.Options = {
      width: Math.max(width, 200),
      height: GROUP_CHART_HEIGHT,
      series,
      bands,
      legend: { show: false },
      cursor: ZOOM_CURSOR,
      scales: { x: STEP_SCALE },
      axes: bandAxes(dark),
      hooks: { ...this.zoom.hooks(this.host), setCursor: [(u) => this.hover(u, tag, groups, how)] },
    };
    this.plot = new uPlot(options, [xs, ...columns] as uPlot.AlignedData, this.host);
    hideOnLeave(this.plot, this.tooltip);
    this.zoom.attach(this.plot, this.host);
    // What the lines are, for tests (the tooltip names it too).
    this.host.dataset["center"] = how.center;
    this.host.dataset["band"] = how.band;
  }

  destroy(): void {
    // A tooltip of the old plot would show numbers it no longer draws.
    this.tooltip.hidden = true;
    this.plot?.destroy();
    this.plot = null;
  }

  private hover(u: uPlot, tag: string, groups: readonly RunGroupLine[], how: GroupDrawing): void {
    const idx = u.cursor.idx;
    if (idx === null || idx === undefined || (u.cursor.left ?? -1) < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const rows = groupsAtStep(groups, tag, u.posToVal(u.cursor.left ?? 0, "x"));
    if (rows.length === 0) {
      this.tooltip.hidden = true;
      return;
    }
    placeTooltip(u, this.tooltip, this.host, groupTooltipHtml(rows, how));
  }
}
