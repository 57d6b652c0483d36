/**
 * The allocations live at a device's memory peak: size, share of the peak, when and by which op
 * each was allocated. Bytes at the peak that no allocation of the capture explains (allocated
 * before profiling started) get their own row, so the table adds up to the peak.
 */
import type { JSX } from "preact";
import type { MemoryDevice } from "../../api/profile";
import { formatBytes, formatMicros } from "./opSort";

export function PeakTable({ device }: { device: MemoryDevice }): JSX.Element {
  const live = device.peak_live;
  const peak = device.peak.bytes;
  const share = (bytes: number): string => (peak > 0 ? `${((100 * bytes) / peak).toFixed(1)} %` : "—");
  return (
    <div class="memory-peak-live">
      <h4>
        Live at the peak: <span data-testid="peak-count">{live.count}</span> allocations, {formatBytes(live.live_bytes)}
        {live.count > live.allocations.length ? ` (largest ${live.allocations.length} listed)` : ""}
      </h4>
      <table class="profile-table peak-table">
        <thead>
          <tr>
            <th>Size</th>
            <th>% of peak</th>
            <th>Allocated by</th>
            <th>At</th>
            <th>Address</th>
          </tr>
        </thead>
        <tbody>
          {live.allocations.map((a) => (
            <tr key={a.address} data-bytes={a.bytes}>
              <td class="num">{formatBytes(a.bytes)}</td>
              <td class="num">{share(a.bytes)}</td>
              <td class="op-name" title={a.op ?? ""}>{a.op ?? "—"}</td>
              <td class="num">{formatMicros(a.time_us)}</td>
              <td class="muted">{/^\d+$/.test(a.address) ? `0x${BigInt(a.address).toString(16)}` : a.address}</td>
            </tr>
          ))}
          {live.unattributed_bytes > 0 && (
            <tr class="unattributed" data-bytes={live.unattributed_bytes}>
              <td class="num">{formatBytes(live.unattributed_bytes)}</td>
              <td class="num">{share(live.unattributed_bytes)}</td>
              <td colSpan={3} class="muted">allocated before the capture started</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
