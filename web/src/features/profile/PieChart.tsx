/**
 * A small SVG pie with a legend: self time per op type. SVG rather than a canvas library because
 * a pie has at most nine slices, and SVG slices are real elements a test (or a screen reader
 * through the legend) can find.
 */
import type { JSX } from "preact";
import type { OpTypeSlice } from "../../api/profile";
import { formatMicros } from "./opSort";

/** Distinguishable in light and dark themes; "other" is always grey. */
const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"];
const OTHER = "#9ca3af";

export function sliceColor(slice: OpTypeSlice, index: number): string {
  return slice.name === "other" ? OTHER : COLORS[index % COLORS.length] ?? OTHER;
}

function arc(start: number, end: number, r: number): string {
  const x0 = r * Math.sin(start);
  const y0 = -r * Math.cos(start);
  const x1 = r * Math.sin(end);
  const y1 = -r * Math.cos(end);
  const large = end - start > Math.PI ? 1 : 0;
  return `M0,0 L${x0.toFixed(3)},${y0.toFixed(3)} A${r},${r} 0 ${large} 1 ${x1.toFixed(3)},${y1.toFixed(3)} Z`;
}

export function PieChart({ title, slices, kind }: { title: string; slices: readonly OpTypeSlice[]; kind: string }): JSX.Element {
  const total = slices.reduce((sum, s) => sum + s.self_us, 0);
  let angle = 0;
  return (
    <figure class="op-pie" data-kind={kind}>
      <figcaption>
        {title} <span class="muted">({formatMicros(total)})</span>
      </figcaption>
      {total <= 0 ? (
        <p class="muted">No {kind} time in this trace.</p>
      ) : (
        <div class="op-pie-body">
          <svg viewBox="-52 -52 104 104" width="150" height="150" role="img" aria-label={title}>
            {slices.length === 1 ? (
              <circle r="50" fill={sliceColor(slices[0] as OpTypeSlice, 0)} class="pie-slice" data-name={slices[0]?.name}>
                <title>{`${slices[0]?.name}: 100 %`}</title>
              </circle>
            ) : (
              slices.map((s, i) => {
                const start = angle;
                angle += (2 * Math.PI * s.self_us) / total;
                return (
                  <path key={s.name} d={arc(start, angle, 50)} fill={sliceColor(s, i)} class="pie-slice" data-name={s.name} stroke="var(--panel)" stroke-width="0.8">
                    <title>{`${s.name}: ${s.percent.toFixed(1)} %`}</title>
                  </path>
                );
              })
            )}
          </svg>
          <ul class="pie-legend">
            {slices.map((s, i) => (
              <li key={s.name} title={s.name}>
                <span class="swatch" style={{ background: sliceColor(s, i) }} />
                <span class="pie-name">{s.name}</span>
                <span class="pie-percent">{s.percent.toFixed(1)} %</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </figure>
  );
}
