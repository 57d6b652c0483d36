/**
 * Sorting a logged table by one column, as a user expects from a spreadsheet: numbers by value
 * (10 after 9, and the strings the server sends for non-finite numbers counted as numbers), text
 * in natural order ("run 2" before "run 10"), and empty cells last whichever the direction.
 */
import type { TableCell } from "../../api/tables";

export type SortDirection = "asc" | "desc";

export interface SortState {
  column: number;
  direction: SortDirection;
}

const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};

/** A cell's numeric value when it is a number (or the server's spelling of a non-finite one). */
export function numericValue(cell: TableCell): number | null {
  if (typeof cell === "number") return cell;
  if (typeof cell === "string" && cell in NON_FINITE) return NON_FINITE[cell] as number;
  return null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Kind order within a column: numbers, booleans, text, images; empty cells are handled apart. */
function rank(cell: TableCell): number {
  if (numericValue(cell) !== null) return 0;
  if (typeof cell === "boolean") return 1;
  if (typeof cell === "string") return 2;
  return 3;
}

function compareNumbers(a: number, b: number): number {
  // NaN sorts after every other number (it has no order; keeping it together is what helps).
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending order of two non-empty cells. */
export function compareCells(a: TableCell, b: TableCell): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return compareNumbers(numericValue(a) as number, numericValue(b) as number);
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) return collator.compare(a as string, b as string);
  return 0;
}

function isEmpty(cell: TableCell | undefined): boolean {
  return cell === null || cell === undefined || cell === "";
}

/** Row indices in display order: stable, so equal cells keep the order the table was logged in. */
export function sortedRowOrder(rows: readonly (readonly TableCell[])[], sort: SortState | null): number[] {
  const order = rows.map((_, i) => i);
  if (sort === null) return order;
  const sign = sort.direction === "asc" ? 1 : -1;
  return order.sort((i, j) => {
    const a = rows[i]?.[sort.column] ?? null;
    const b = rows[j]?.[sort.column] ?? null;
    const ea = isEmpty(a);
    const eb = isEmpty(b);
    if (ea || eb) return ea === eb ? i - j : ea ? 1 : -1;
    return sign * compareCells(a, b) || i - j;
  });
}

/** A header click: ascending, then descending, then the logged order. */
export function nextSort(current: SortState | null, column: number): SortState | null {
  if (current === null || current.column !== column) return { column, direction: "asc" };
  if (current.direction === "asc") return { column, direction: "desc" };
  return null;
}
