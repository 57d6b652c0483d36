/**
 * Op statistics: host vs device time, pies of self time by op type (host, device), and every op
 * in a table sortable by any column (click a header; again to flip), with its share of all ops'
 * self time and of step time.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { fetchOpStats } from "../../api/profile";
import type { ProfileKey } from "../../api/profile";
import { formatMicros, nextSort, sortOps, type OpColumn, type OpSort } from "./opSort";
import { PieChart } from "./PieChart";
import { useCaptureFetch } from "./useFetch";

const COLUMNS: readonly { id: OpColumn; label: string; title?: string }[] = [
  { id: "name", label: "Op" },
  { id: "category", label: "Category" },
  { id: "device", label: "Host / device" },
  { id: "calls", label: "Calls" },
  { id: "self_us", label: "Self time" },
  { id: "total_us", label: "Total time" },
  { id: "self_percent", label: "Self %", title: "self time as a share of all ops' self time" },
  { id: "step_percent", label: "% of step", title: "self time inside steps as a share of all step time" },
];

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "—";
}

export function OpTable({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchOpStats);
  const [sort, setSort] = useState<OpSort>({ column: "self_us", descending: true });
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  const rows = sortOps(value.ops, sort);
  const { host_us: host, device_us: device } = value.host_device;
  const total = host + device;
  return (
    <div class="profile-ops">
      <section class="profile-card">
        <h3>Host vs device</h3>
        <div class="breakdown-bar host-device-bar" role="img" aria-label="host vs device self time">
          <div class="breakdown-part cat-host" style={{ width: total > 0 ? `${(100 * host) / total}%` : "0%" }} />
          <div class="breakdown-part cat-device" style={{ width: total > 0 ? `${(100 * device) / total}%` : "0%" }} />
        </div>
        <ul class="breakdown-legend host-device">
          <li data-side="host">
            <span class="swatch cat-host" /> Host: <strong>{percent(host, total)}</strong> <span class="muted">({formatMicros(host)})</span>
          </li>
          <li data-side="device">
            <span class="swatch cat-device" /> Device: <strong>{percent(device, total)}</strong> <span class="muted">({formatMicros(device)})</span>
          </li>
        </ul>
        <div class="op-pies">
          <PieChart title="Host self time by op" slices={value.op_types.host} kind="host" />
          <PieChart title="Device self time by op" slices={value.op_types.device} kind="device" />
        </div>
      </section>
      <section class="profile-card">
        <table class="profile-table op-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.id} title={c.title} aria-sort={sort.column === c.id ? (sort.descending ? "descending" : "ascending") : "none"}>
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
                <td class="op-name" title={op.name}>{op.name}</td>
                <td>{op.category}</td>
                <td>{op.device}</td>
                <td class="num" data-value={op.calls}>{op.calls}</td>
                <td class="num" data-value={op.self_us}>{formatMicros(op.self_us)}</td>
                <td class="num" data-value={op.total_us}>{formatMicros(op.total_us)}</td>
                <td class="num" data-value={op.self_percent}>{op.self_percent.toFixed(2)}</td>
                <td class="num" data-value={op.step_percent ?? ""}>{op.step_percent === null ? "—" : op.step_percent.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
