/**
 * The runs table's columns: fixed ones (name, start, duration, last step, status), one per hparam
 * the experiment has, and last / min / max of each scalar tag the user chose. Each column knows
 * its sort key in the server's run query language, so sorting happens on the server over every
 * matching run, not on the rows that happen to be loaded.
 */
import type { HParam, RunColumns, RunRow } from "../../api/runs";
import { formatDuration, formatStep, formatValue } from "../../lib/format";

export type CellValue = number | string | boolean | null;
export type MetricStat = "last" | "min" | "max";
export const METRIC_STATS: readonly MetricStat[] = ["last", "min", "max"];

export interface Column {
  id: string;
  label: string;
  /** Shown above the label (the metric's tag), or "" for none. */
  group: string;
  /** An operand of the run query language, or null when the server cannot sort by it. */
  sortKey: string | null;
  numeric: boolean;
  width: number;
  value(row: RunRow): CellValue;
  text(row: RunRow): string;
}

/** A name as an operand: backticks accept any name but one holding a backtick. */
export function quoteName(name: string): string | null {
  return name.includes("`") ? null : `\`${name}\``;
}

function call(fn: string, name: string): string | null {
  const quoted = quoteName(name);
  return quoted === null ? null : `${fn}(${quoted})`;
}

export function duration(row: RunRow): number | null {
  return row.startTime === null || row.lastWallTime === null ? null : row.lastWallTime - row.startTime;
}

/** A run's duration: "450 ms" below a second, else as the relative axis shows time. */
export function formatElapsed(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : formatDuration(seconds);
}

export function formatStart(epochSeconds: number | null): string {
  if (epochSeconds === null) return "–";
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function hparamText(value: HParam | undefined): string {
  if (value === undefined) return "–";
  if (typeof value === "number") return formatValue(value);
  return String(value);
}

export const FIXED_COLUMNS: readonly Column[] = [
  {
    id: "name", label: "Run", group: "", sortKey: "name", numeric: false, width: 260,
    value: (r) => r.name, text: (r) => r.name,
  },
  {
    id: "start", label: "Start", group: "", sortKey: "start_time", numeric: true, width: 150,
    value: (r) => r.startTime, text: (r) => formatStart(r.startTime),
  },
  {
    id: "duration", label: "Duration", group: "", sortKey: "duration", numeric: true, width: 90,
    value: duration,
    text: (r) => {
      const d = duration(r);
      return d === null ? "–" : formatElapsed(d);
    },
  },
  {
    id: "last_step", label: "Last step", group: "", sortKey: "last_step", numeric: true, width: 90,
    value: (r) => r.lastStep, text: (r) => (r.lastStep === null ? "–" : formatStep(r.lastStep)),
  },
  {
    id: "status", label: "Status", group: "", sortKey: "status", numeric: false, width: 90,
    value: (r) => r.status, text: (r) => r.status ?? "–",
  },
];

export function hparamColumn(name: string, type: string): Column {
  return {
    id: `hp:${name}`,
    label: name,
    group: "hparam",
    sortKey: call("hparam", name),
    numeric: type === "number",
    width: 100,
    value: (r) => r.hparams[name] ?? null,
    text: (r) => hparamText(r.hparams[name]),
  };
}

export function metricColumn(tag: string, stat: MetricStat): Column {
  return {
    id: `m:${stat}:${tag}`,
    label: stat,
    group: tag,
    sortKey: call(stat, tag),
    numeric: true,
    width: 90,
    value: (r) => r.metrics[tag]?.[stat] ?? null,
    text: (r) => {
      const m = r.metrics[tag];
      return m === undefined ? "–" : formatValue(m[stat]);
    },
  };
}

/**
 * The columns shown: fixed ones not hidden, then hparams not hidden (in the server's name
 * order), then last / min / max per chosen metric in the order chosen.
 */
export function buildColumns(
  available: RunColumns | null,
  hidden: ReadonlySet<string>,
  metrics: readonly string[],
): Column[] {
  const out = FIXED_COLUMNS.filter((c) => c.id === "name" || !hidden.has(c.id));
  for (const hp of available?.hparams ?? []) {
    const column = hparamColumn(hp.name, hp.type);
    if (!hidden.has(column.id)) out.push(column);
  }
  for (const tag of metrics) for (const stat of METRIC_STATS) out.push(metricColumn(tag, stat));
  return out;
}

export interface SortState {
  column: string;
  descending: boolean;
}

/** The `sort` parameter for a sort state; ties are broken by name on the server. */
export function sortParam(sort: SortState | null, columns: readonly Column[]): string {
  if (sort === null) return "";
  const key = columns.find((c) => c.id === sort.column)?.sortKey ?? null;
  return key === null ? "" : `${sort.descending ? "-" : ""}${key}`;
}

/** Clicking a header: ascending first (descending for numbers), then the other way. */
export function nextSort(current: SortState | null, column: Column): SortState {
  if (current?.column === column.id) return { column: column.id, descending: !current.descending };
  return { column: column.id, descending: column.numeric && column.id !== "start" };
}

/** "at column 12: expected ..." → 12 (1-based, as the server counts), else null. */
export function errorColumn(message: string): number | null {
  const match = /^at column (\d+):/.exec(message.trim());
  return match ? Number(match[1]) : null;
}

function csvCell(value: CellValue): string {
  if (value === null) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: one header line (metric columns as `tag last`), raw values, CRLF ends. */
export function toCsv(columns: readonly Column[], rows: readonly RunRow[]): string {
  const header = columns.map((c) => csvCell(c.group && c.group !== "hparam" ? `${c.group} ${c.label}` : c.label));
  const lines = [header.join(",")];
  for (const row of rows) {
    lines.push(
      columns
        .map((c) => {
          const value = c.value(row);
          // Start times as ISO text: what a spreadsheet reads as a date.
          if (c.id === "start" && typeof value === "number") return new Date(value * 1000).toISOString();
          return csvCell(value);
        })
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
