/** The chart tooltip: every shown run at the cursor's x, sorted as the settings say (by value by default). */
import type uPlot from "uplot";
import { pointAt, type ChartTable } from "../lib/chartData";
import { runColor } from "../lib/colors";
import { compareTags } from "../lib/naturalSort";
import { formatClock, formatDuration, formatStep, formatValue } from "../lib/format";
import type { ChartSettings } from "./ScalarChart";

interface Row {
  run: string;
  value: number;
  raw: number | null;
  step: number | null;
  wall: number | null;
}

const MAX_ROWS = 12;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xLabel(x: number, settings: ChartSettings): string {
  if (settings.axis === "relative") return formatDuration(x);
  if (settings.axis === "wall") return new Date(x * 1000).toLocaleString();
  return `step ${formatStep(x)}`;
}

export function renderTooltip(
  u: uPlot,
  el: HTMLElement,
  table: ChartTable | null,
  settings: ChartSettings,
): void {
  const idx = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  if (table === null || idx === null || idx === undefined || left < 0) {
    el.hidden = true;
    return;
  }
  const stride = table.smoothed ? 2 : 1;
  const rows: Row[] = [];
  table.runs.forEach((run, r) => {
    const raw = (table.columns[1 + r * stride] ?? [])[idx] ?? null;
    const sm = table.smoothed ? ((table.columns[2 + r * stride] ?? [])[idx] ?? null) : raw;
    if (sm === null) return;
    const point = pointAt(table, r, idx);
    rows.push({ run, value: sm, raw, step: point?.step ?? null, wall: point?.wall ?? null });
  });
  if (rows.length === 0) {
    el.hidden = true;
    return;
  }
  if (settings.tooltipSort === "descending") rows.sort((a, b) => b.value - a.value);
  else if (settings.tooltipSort === "ascending") rows.sort((a, b) => a.value - b.value);
  else if (settings.tooltipSort === "nearest") {
    const y = u.posToVal(u.cursor.top ?? 0, "y");
    rows.sort((a, b) => Math.abs(a.value - y) - Math.abs(b.value - y));
  } else if (settings.tooltipSort === "alphabetical") rows.sort((a, b) => compareTags(a.run, b.run));
  const x = (table.columns[0] ?? [])[idx] ?? 0;
  const head = table.smoothed
    ? "<th></th><th>Run</th><th>Smoothed</th><th>Value</th><th>Step</th><th>Time</th>"
    : "<th></th><th>Run</th><th>Value</th><th>Step</th><th>Time</th>";
  const body = rows
    .slice(0, MAX_ROWS)
    .map((row) => {
      const cells = [
        `<td><i style="background:${runColor(row.run)}"></i></td>`,
        `<td class="run">${escape(row.run)}</td>`,
        `<td class="num">${formatValue(row.value)}</td>`,
        table.smoothed ? `<td class="num">${formatValue(row.raw)}</td>` : "",
        `<td class="num">${row.step === null ? "–" : formatStep(row.step)}</td>`,
        `<td class="num">${row.wall === null ? "–" : formatClock(row.wall)}</td>`,
      ];
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  const more = rows.length > MAX_ROWS ? `<div class="more">+${rows.length - MAX_ROWS} more</div>` : "";
  el.innerHTML = `<div class="x">${escape(xLabel(x, settings))}</div><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
  el.hidden = false;
  // Keep the tooltip inside the card: flip to the left of the cursor past the middle.
  const overLeft = u.over.offsetLeft;
  const top = (u.cursor.top ?? 0) + u.over.offsetTop;
  const flip = left > u.over.clientWidth / 2;
  el.style.top = `${Math.max(0, top - 10)}px`;
  el.style.left = flip ? "" : `${overLeft + left + 14}px`;
  el.style.right = flip ? `${u.root.clientWidth - overLeft - left + 14}px` : "";
}
