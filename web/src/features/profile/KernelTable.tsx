/**
 * GPU kernel statistics: per kernel name, calls, total / mean / min / max duration, share of
 * device time, the host op that launched it, and launch shape (grid, block, registers per thread,
 * achieved occupancy) when the trace records them. Sortable like the op table; longest total first.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { fetchOpStats, type KernelRow, type ProfileKey } from "../../api/profile";
import { formatMicros, sortRows } from "./opSort";
import { useCaptureFetch } from "./useFetch";

type KernelColumn = keyof KernelRow;
const TEXT: ReadonlySet<KernelColumn> = new Set(["name", "launched_by", "grid", "block"]);
const COLUMNS: readonly { id: KernelColumn; label: string; show: (k: KernelRow) => string }[] = [
  { id: "name", label: "Kernel", show: (k) => k.name },
  { id: "launched_by", label: "Launched by", show: (k) => k.launched_by ?? "—" },
  { id: "calls", label: "Calls", show: (k) => String(k.calls) },
  { id: "total_us", label: "Total", show: (k) => formatMicros(k.total_us) },
  { id: "mean_us", label: "Mean", show: (k) => formatMicros(k.mean_us) },
  { id: "min_us", label: "Min", show: (k) => formatMicros(k.min_us) },
  { id: "max_us", label: "Max", show: (k) => formatMicros(k.max_us) },
  { id: "device_percent", label: "% of device", show: (k) => k.device_percent.toFixed(1) },
  { id: "grid", label: "Grid", show: (k) => k.grid ?? "—" },
  { id: "block", label: "Block", show: (k) => k.block ?? "—" },
  { id: "registers", label: "Regs / thread", show: (k) => (k.registers === null ? "—" : String(k.registers)) },
  { id: "occupancy", label: "Occupancy %", show: (k) => (k.occupancy === null ? "—" : k.occupancy.toFixed(1)) },
];

export function KernelTable({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchOpStats);
  const [sort, setSort] = useState<{ column: KernelColumn; descending: boolean }>({ column: "total_us", descending: true });
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  if (value.kernels.length === 0) {
    return (
      <div class="empty kernel-empty">
        No GPU kernels in this capture. With a GPU, profile with <code>ProfilerActivity.CUDA</code> (torch; <code>heron.profile()</code> adds it when CUDA is available).
      </div>
    );
  }
  const rows = sortRows(value.kernels, sort.column, sort.descending);
  const click = (column: KernelColumn): void =>
    setSort(sort.column === column ? { column, descending: !sort.descending } : { column, descending: !TEXT.has(column) });
  return (
    <section class="profile-card">
      <p class="profile-summary">
        <strong data-testid="kernel-count">{value.kernels.length}</strong> kernels, {formatMicros(value.device_total_us)} of device time
      </p>
      <table class="profile-table kernel-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.id} aria-sort={sort.column === c.id ? (sort.descending ? "descending" : "ascending") : "none"}>
                <button type="button" class="sort-button" data-column={c.id} onClick={() => click(c.id)}>
                  {c.label}
                  {sort.column === c.id ? (sort.descending ? " ▼" : " ▲") : ""}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => (
            <tr key={k.name}>
              {COLUMNS.map((c) => (
                <td key={c.id} class={c.id === "name" || c.id === "launched_by" ? "op-name" : TEXT.has(c.id) ? "" : "num"} data-column={c.id} data-value={String(k[c.id] ?? "")} title={c.id === "name" ? k.name : undefined}>
                  {c.show(k)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
