/**
 * A chart of grouped runs: per group a centre line inside a translucent band (uPlot's `bands`
 * fill between the group's upper and lower series), and optionally its member runs as faint
 * lines. Rebuilt on every draw: group charts are few and redrawn only when their data changes.
 */
import uPlot from "uplot";
import type { RunGroupLine } from "../../api/runs";
import { runColor, withAlpha } from "../../lib/colors";
import { formatStep, formatValue } from "../../lib/format";
import { alignLines, type Line } from "./align";

export const GROUP_CHART_HEIGHT = 240;

export interface MemberLine extends Line {
  run: string;
  group: string;
}

export function groupColor(label: string): string {
  return runColor(`group:${label}`);
}

export class GroupChart {
  private plot: uPlot | null = null;

  constructor(private readonly host: HTMLElement) {}

  draw(tag: string, groups: readonly RunGroupLine[], members: readonly MemberLine[], width: number, dark: boolean): void {
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
    const text = dark ? "#9ca3af" : "#6b7280";
    const grid = dark ? "rgba(255,255,255,0.07)" : "rgba(0,0,0,0.06)";
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(width, 200),
      height: GROUP_CHART_HEIGHT,
      series,
      bands,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((v) => formatStep(v)) },
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v)) },
      ],
    };
    this.plot = new uPlot(options, [xs, ...columns] as uPlot.AlignedData, this.host);
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }
}
