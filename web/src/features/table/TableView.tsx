/** A logged table: click a header to sort by it (ascending, descending, then as logged). */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { Table, TableCell } from "../../api/tables";
import { nextSort, numericValue, sortedRowOrder, type SortState } from "./sort";

/** Rows drawn before "Show all": a logged table of 100,000 rows must not freeze the page. */
export const ROW_LIMIT = 500;

/** CSS height of image cells (media.css). */
const THUMB_HEIGHT = 40;

function Cell({ cell }: { cell: TableCell }): JSX.Element {
  if (cell === null) return <td class="empty-cell" />;
  if (typeof cell === "object") {
    if (cell.imageUrl === null) return <td class="empty-cell">(missing image)</td>;
    return (
      <td class="image-cell">
        <a href={cell.imageUrl} target="_blank" rel="noopener noreferrer" title="Open the image">
          <img
            src={cell.imageUrl}
            alt=""
            loading="lazy"
            data-testid="table-image"
            onLoad={(e) => {
              // Thumbnails are one height; small images (a few pixels) are enlarged with hard edges.
              const img = e.currentTarget;
              img.classList.toggle("pixelated", img.naturalHeight < THUMB_HEIGHT);
            }}
          />
        </a>
      </td>
    );
  }
  if (typeof cell === "boolean") return <td class="bool-cell">{cell ? "true" : "false"}</td>;
  const number = numericValue(cell);
  if (number !== null) {
    const text = typeof cell === "number" && !Number.isInteger(cell) ? String(Number(cell.toPrecision(6))) : String(cell);
    return (
      <td class="num-cell" title={String(cell)}>
        {text}
      </td>
    );
  }
  return <td>{cell}</td>;
}

export function TableView({
  table,
  sort,
  onSort,
}: {
  table: Table;
  sort: SortState | null;
  onSort: (sort: SortState | null) => void;
}): JSX.Element {
  const [all, setAll] = useState(false);
  // Sorting covers every row; only drawing is limited.
  const order = sortedRowOrder(table.rows, sort);
  const shown = all ? order : order.slice(0, ROW_LIMIT);
  return (
    <div class="table-scroll">
      <table class="logged-table" data-testid="logged-table">
        <thead>
          <tr>
            {table.columns.map((name, column) => {
              const direction = sort?.column === column ? sort.direction : null;
              return (
                <th
                  key={column}
                  aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"}
                  data-testid="table-header"
                >
                  <button onClick={() => onSort(nextSort(sort, column))} title="Sort by this column">
                    {name}
                    <span class="sort-mark">{direction === "asc" ? "▲" : direction === "desc" ? "▼" : ""}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((rowIndex) => (
            <tr key={rowIndex} data-row={rowIndex}>
              {(table.rows[rowIndex] ?? []).map((cell, i) => (
                <Cell key={i} cell={cell} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 && <div class="muted table-empty">No rows.</div>}
      {shown.length < order.length && (
        <div class="table-more">
          <span class="muted">
            {shown.length} of {order.length} rows
          </span>
          <button class="show-more" onClick={() => setAll(true)} data-testid="table-show-all">
            Show all
          </button>
        </div>
      )}
    </div>
  );
}
