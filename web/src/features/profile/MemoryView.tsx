/**
 * Allocated memory over time per device (uPlot), with the peak marked and stated, and under it
 * the allocations live at the peak (replayed by the server from the allocation and free events):
 * which ops held the memory when it was highest.
 */
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { fetchMemory, type MemoryDevice, type ProfileKey } from "../../api/profile";
import { PeakTable } from "./PeakTable";
import * as s from "../../state/store";
import { formatBytes, formatMicros } from "./opSort";
import { useCaptureFetch } from "./useFetch";

/** The allocator's total holds from one event to the next: a step line, not a slope. */
const stepAfter = uPlot.paths.stepped?.({ align: 1 });

function MemoryChart({ device, dark }: { device: MemoryDevice; dark: boolean }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const times = device.times_us.map((t) => t / 1000);
    const peakIndex = device.allocated_bytes.indexOf(device.peak.bytes);
    const peak = device.allocated_bytes.map((v, i) => (i === peakIndex ? v : null));
    const axis = { stroke: dark ? "#c9d1d9" : "#374151", grid: { stroke: dark ? "#2a2f3a" : "#e5e7eb" } };
    const plot = new uPlot(
      {
        width: Math.max(300, element.clientWidth),
        height: 260,
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: "time (ms)" },
          { ...axis, size: 80, values: (_u, splits) => splits.map((v) => formatBytes(v)) },
        ],
        series: [
          {},
          { label: "allocated", stroke: "#2563eb", fill: "rgba(37, 99, 235, 0.12)", width: 1.5, ...(stepAfter === undefined ? {} : { paths: stepAfter }), points: { show: false }, value: (_u, v) => (v === null ? "" : formatBytes(v)) },
          { label: "peak", stroke: "#dc2626", width: 0, paths: () => null, points: { show: true, size: 11, fill: "#dc2626" }, value: (_u, v) => (v === null ? "" : formatBytes(v)) },
        ],
      },
      [times, device.allocated_bytes, peak] as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [device, dark]);
  return <div class="memory-chart" ref={host} />;
}

export function MemoryView({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchMemory);
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  if (value.length === 0) {
    return <div class="empty">No memory events: capture with <code>profile_memory=True</code>.</div>;
  }
  return (
    <div class="profile-memory">
      {value.map((device) => (
        <section class="profile-card" key={device.device} data-device={device.device}>
          <h3>{device.device}</h3>
          <p class="memory-peak">
            Peak <strong data-testid="memory-peak">{formatBytes(device.peak.bytes)}</strong> at {formatMicros(device.peak.time_us)}
          </p>
          <MemoryChart device={device} dark={s.dark.value} />
          <PeakTable device={device} />
        </section>
      ))}
    </div>
  );
}
