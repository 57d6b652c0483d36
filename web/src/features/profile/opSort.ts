/**
 * Sorting the op table by a column: numbers largest first by default (what a user looking for
 * the expensive ops wants), text in natural order; ties keep the server's order (most self time).
 */
import type { OpRow } from "../../api/profile";

export type OpColumn = "name" | "category" | "device" | "calls" | "self_us" | "total_us" | "self_percent" | "step_percent";

export interface OpSort {
  column: OpColumn;
  descending: boolean;
}

const TEXT_COLUMNS: ReadonlySet<OpColumn> = new Set(["name", "category", "device"]);
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** The sort after clicking `column`: the same column flips, a new one starts in its natural direction. */
export function nextSort(current: OpSort, column: OpColumn): OpSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: !TEXT_COLUMNS.has(column) };
}

export function sortOps(rows: readonly OpRow[], sort: OpSort): OpRow[] {
  return sortRows(rows, sort.column, sort.descending);
}

/**
 * `rows` sorted by `column`: numbers numerically, text naturally ("op10" after "op9"); a missing
 * value (null) sorts below every number; ties keep the input order.
 */
export function sortRows<T, K extends keyof T>(rows: readonly T[], column: K, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((a, b) => {
    const x = a.row[column];
    const y = b.row[column];
    const order =
      x === null || y === null || (typeof x === "number" && typeof y === "number")
        ? numeric(x, y)
        : collator.compare(String(x), String(y));
    return order !== 0 ? sign * order : a.index - b.index;
  });
  return indexed.map((item) => item.row);
}

function numeric(x: unknown, y: unknown): number {
  const a = typeof x === "number" ? x : Number.NEGATIVE_INFINITY;
  const b = typeof y === "number" ? y : Number.NEGATIVE_INFINITY;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Microseconds as a short human duration: "812 µs", "12.4 ms", "1.52 s". */
export function formatMicros(us: number): string {
  if (us < 1000) return `${us.toFixed(us < 10 ? 1 : 0)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** Bytes with binary units: "512 B", "3.5 KiB", "1.20 MiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
