/** Every op of the trace in a table sortable by any column (click a header; again to flip). */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { fetchOps } from "../../api/profile";
import type { ProfileKey } from "../../api/profile";
import { formatMicros, nextSort, sortOps, type OpColumn, type OpSort } from "./opSort";
import { useCaptureFetch } from "./useFetch";

const COLUMNS: readonly { id: OpColumn; label: string }[] = [
  { id: "name", label: "Op" },
  { id: "category", label: "Category" },
  { id: "device", label: "Host / device" },
  { id: "calls", label: "Calls" },
  { id: "self_us", label: "Self time" },
  { id: "total_us", label: "Total time" },
  { id: "self_percent", label: "Self %" },
];

export function OpTable({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchOps);
  const [sort, setSort] = useState<OpSort>({ column: "self_us", descending: true });
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  const rows = sortOps(value, sort);
  return (
    <section class="profile-card">
      <table class="profile-table op-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.id} aria-sort={sort.column === c.id ? (sort.descending ? "descending" : "ascending") : "none"}>
                <button type="button" class="sort-button" data-column={c.id} onClick={() => setSort(nextSort(sort, c.id))}>
                  {c.label}
                  {sort.column === c.id ? (sort.descending ? " ▼" : " ▲") : ""}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((op) => (
            <tr key={`${op.name}\u0000${op.category}`}>
              <td class="op-name">{op.name}</td>
              <td>{op.category}</td>
              <td>{op.device}</td>
              <td class="num" data-value={op.calls}>{op.calls}</td>
              <td class="num" data-value={op.self_us}>{formatMicros(op.self_us)}</td>
              <td class="num" data-value={op.total_us}>{formatMicros(op.total_us)}</td>
              <td class="num" data-value={op.self_percent}>{op.self_percent.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
