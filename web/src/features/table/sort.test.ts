import { describe, expect, it } from "vitest";
import type { TableCell } from "../../api/tables";
import { compareCells, nextSort, numericValue, sortedRowOrder } from "./sort";

const column = (cells: TableCell[]): TableCell[][] => cells.map((c) => [c]);
const sortColumn = (cells: TableCell[], direction: "asc" | "desc"): TableCell[] =>
  sortedRowOrder(column(cells), { column: 0, direction }).map((i) => cells[i] as TableCell);

describe("table sorting", () => {
  it("sorts numbers by value, not as text", () => {
    expect(sortColumn([10, 9, 100, -1, 2.5], "asc")).toEqual([-1, 2.5, 9, 10, 100]);
    expect(sortColumn([10, 9, 100, -1, 2.5], "desc")).toEqual([100, 10, 9, 2.5, -1]);
  });

  it("counts the server's non-finite spellings as numbers", () => {
    expect(numericValue("Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(numericValue("cat")).toBeNull();
    expect(sortColumn(["Infinity", 3, "-Infinity", "NaN", 0], "asc")).toEqual(["-Infinity", 0, 3, "Infinity", "NaN"]);
  });

  it("sorts text naturally and keeps empty cells last in both directions", () => {
    expect(sortColumn(["run 10", null, "run 2", "", "Run 1"], "asc")).toEqual(["Run 1", "run 2", "run 10", null, ""]);
    expect(sortColumn(["run 10", null, "run 2"], "desc")).toEqual(["run 10", "run 2", null]);
  });

  it("puts numbers before text, and is stable for equal cells", () => {
    expect(compareCells(1, "a")).toBeLessThan(0);
    const rows: TableCell[][] = [["b", 1], ["a", 1], ["c", 0]];
    expect(sortedRowOrder(rows, { column: 1, direction: "asc" })).toEqual([2, 0, 1]);
    expect(sortedRowOrder(rows, null)).toEqual([0, 1, 2]);
  });

  it("cycles ascending, descending, logged order on header clicks", () => {
    const first = nextSort(null, 2);
    expect(first).toEqual({ column: 2, direction: "asc" });
    const second = nextSort(first, 2);
    expect(second).toEqual({ column: 2, direction: "desc" });
    expect(nextSort(second, 2)).toBeNull();
    expect(nextSort(second, 0)).toEqual({ column: 0, direction: "asc" });
  });
});
