/**
 * Parallel coordinates on two stacked canvases: the base layer (axes, every session's line,
 * brushes) is redrawn when data, scales, filters or colours change; the overlay (the hovered
 * line) on every pointer move, so hovering stays cheap with thousands of sessions.
 *
 * Drag along an axis to brush it (one brush per axis, all AND-ed); a click on an axis clears its
 * brush. Hover a line to see its values; click it to pin the session.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { formatValue } from "../../lib/format";
import * as s from "../../state/store";
import { prepare, readTheme } from "./canvas";
import { brushExtent, brushFilter, type Filters } from "./filter";
import { type Axis, categoryOf, type Session } from "./model";
import { canLog, type Scale } from "./scales";
import * as h from "./state";

const PAD_X = 70;
const TOP = 56;
const BOTTOM = 24;
/** The plot fills the height it is given, within these bounds. */
const MIN_HEIGHT = 320;
const MAX_HEIGHT = 720;
const AXIS_GRAB = 14;
const HOVER_DISTANCE = 6;

export interface PlotProps {
  axes: Axis[];
  scales: Scale[];
  sessions: Session[];
  matching: ReadonlySet<string>;
  colors: ReadonlyMap<string, string>;
  filters: Filters;
}

/** Positions (0 = bottom, 1 = top) of each session on each axis; NaN where it has no value. */
function positions(sessions: Session[], axes: Axis[], scales: Scale[]): Float64Array[] {
  return sessions.map((session) => {
    const ys = new Float64Array(axes.length);
    axes.forEach((axis, i) => {
      const v = session.values.get(axis.id);
      const t = v === undefined ? null : (scales[i] as Scale).position(axis.numeric ? (typeof v === "number" ? v : NaN) : categoryOf(v));
      ys[i] = t ?? NaN;
    });
    return ys;
  });
}

export function valueText(session: Session, axis: Axis): string {
  const v = session.values.get(axis.id);
  if (v === undefined) return "–";
  return typeof v === "number" ? formatValue(v) : categoryOf(v);
}

export function ParallelCoords({ axes, scales, sessions, matching, colors, filters }: PlotProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const [height, setHeight] = useState(440);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [drag, setDrag] = useState<{ axis: number; from: number; to: number } | null>(null);
  const dark = s.dark.value;

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    // The view around the plot sets its height: the plot takes what is left, within bounds.
    const view = el.parentElement ?? el;
    const observer = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      setHeight(Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, view.clientHeight - 12))));
    });
    observer.observe(el);
    observer.observe(view);
    return () => observer.disconnect();
  }, []);

  const plotH = height - TOP - BOTTOM;
  const xs = useMemo(() => {
    const n = axes.length;
    return axes.map((_, i) => (n === 1 ? width / 2 : PAD_X + (i * (width - 2 * PAD_X)) / (n - 1)));
  }, [axes, width]);
  const ys = useMemo(() => positions(sessions, axes, scales), [sessions, axes, scales]);
  const yOf = (t: number): number => TOP + (1 - t) * plotH;

  // Base layer.
  useEffect(() => {
    const canvas = base.current;
    if (!canvas) return;
    const ctx = prepare(canvas, width, height);
    if (!ctx) return;
    const theme = readTheme(dark);
    const line = (k: number): void => {
      const p = ys[k] as Float64Array;
      ctx.beginPath();
      let open = false;
      for (let i = 0; i < p.length; i++) {
        const t = p[i] as number;
        if (Number.isNaN(t)) {
          open = false;
          continue;
        }
        if (open) ctx.lineTo(xs[i] as number, yOf(t));
        else ctx.moveTo(xs[i] as number, yOf(t));
        open = true;
      }
      ctx.stroke();
    };
    // Dimmed lines first, in one colour; then the matching ones in their colours on top.
    const many = sessions.length > 500;
    // Thousands of faint lines still add up to a solid grey: thin them out further.
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.dimmed;
    ctx.globalAlpha = many ? 0.45 : 1;
    sessions.forEach((session, k) => {
      if (!matching.has(session.name)) line(k);
    });
    ctx.lineWidth = many ? 1 : 1.6;
    ctx.globalAlpha = many ? 0.5 : 0.9;
    sessions.forEach((session, k) => {
      if (!matching.has(session.name)) return;
      ctx.strokeStyle = colors.get(session.name) ?? theme.muted;
      line(k);
    });
    ctx.globalAlpha = 1;
    // Axes, ticks and brushes.
    ctx.font = "11px system-ui, sans-serif";
    axes.forEach((axis, i) => {
      const x = xs[i] as number;
      ctx.strokeStyle = theme.muted;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, TOP);
      ctx.lineTo(x, TOP + plotH);
      ctx.stroke();
      const scale = scales[i] as Scale;
      ctx.fillStyle = theme.text;
      ctx.textBaseline = "middle";
      ctx.textAlign = "right";
      const ticks = scale.ticks();
      const every = Math.max(1, Math.ceil(ticks.length / Math.max(2, Math.floor(plotH / 16))));
      ticks.forEach((tick, j) => {
        if (j % every !== 0) return;
        const y = yOf(tick.t);
        ctx.beginPath();
        ctx.moveTo(x - 4, y);
        ctx.lineTo(x, y);
        ctx.stroke();
        const label = tick.label.length > 12 ? `${tick.label.slice(0, 11)}…` : tick.label;
        // A text halo keeps labels readable over the lines.
        ctx.lineWidth = 3;
        ctx.strokeStyle = theme.panel;
        ctx.strokeText(label, x - 6, y);
        ctx.fillText(label, x - 6, y);
        ctx.lineWidth = 1;
        ctx.strokeStyle = theme.muted;
      });
      const filter = filters.get(axis.id);
      const extent = filter ? brushExtent(filter, scale) : null;
      if (extent) {
        ctx.fillStyle = dark ? "rgba(96, 165, 250, 0.25)" : "rgba(37, 99, 235, 0.18)";
        ctx.strokeStyle = theme.accent;
        const y0 = yOf(extent[1]);
        const y1 = yOf(extent[0]);
        ctx.fillRect(x - 7, y0, 14, Math.max(2, y1 - y0));
        ctx.strokeRect(x - 7, y0, 14, Math.max(2, y1 - y0));
      }
    });
  }, [ys, xs, colors, matching, filters, dark, width, height, axes, scales, sessions]);

  // Overlay: the hovered line and the brush being dragged.
  useEffect(() => {
    const canvas = overlay.current;
    if (!canvas) return;
    const ctx = prepare(canvas, width, height);
    if (!ctx) return;
    const theme = readTheme(dark);
    if (hover !== null) {
      const p = ys[hover.index] as Float64Array;
      ctx.lineWidth = 3;
      ctx.strokeStyle = theme.text;
      ctx.beginPath();
      let open = false;
      p.forEach((t, i) => {
        if (Number.isNaN(t)) {
          open = false;
          return;
        }
        if (open) ctx.lineTo(xs[i] as number, yOf(t));
        else ctx.moveTo(xs[i] as number, yOf(t));
        open = true;
      });
      ctx.stroke();
      ctx.fillStyle = theme.text;
      p.forEach((t, i) => {
        if (Number.isNaN(t)) return;
        ctx.beginPath();
        ctx.arc(xs[i] as number, yOf(t), 3.5, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
    if (drag !== null) {
      const x = xs[drag.axis] as number;
      ctx.fillStyle = dark ? "rgba(96, 165, 250, 0.3)" : "rgba(37, 99, 235, 0.22)";
      ctx.fillRect(x - 7, Math.min(drag.from, drag.to), 14, Math.abs(drag.to - drag.from));
    }
  }, [hover, drag, ys, xs, dark, width, height]);

  const local = (e: MouseEvent): { x: number; y: number } => {
    const rect = (overlay.current as HTMLCanvasElement).getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const nearestAxis = (x: number): number => {
    let best = -1;
    xs.forEach((ax, i) => {
      if (Math.abs(ax - x) <= AXIS_GRAB && (best === -1 || Math.abs(ax - x) < Math.abs((xs[best] as number) - x))) best = i;
    });
    return best;
  };
  const hitLine = (x: number, y: number): number | null => {
    // The pair of axes around x; each line's height there by linear interpolation.
    let i = 0;
    while (i < xs.length - 2 && x > (xs[i + 1] as number)) i++;
    const x0 = xs[i] as number;
    const x1 = (xs[i + 1] ?? x0) as number;
    const u = x1 === x0 ? 0 : Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
    let best: number | null = null;
    let bestD = HOVER_DISTANCE;
    ys.forEach((p, k) => {
      const a = p[i] as number;
      const b = (xs.length > 1 ? p[i + 1] : a) as number;
      if (Number.isNaN(a) || Number.isNaN(b)) return;
      // Prefer matching sessions: a dimmed line under the pointer loses to a bright one.
      const d = Math.abs(yOf(a + (b - a) * u) - y) + (matching.has((sessions[k] as Session).name) ? 0 : 2);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    return best;
  };

  const onDown = (e: MouseEvent): void => {
    const { x, y } = local(e);
    const axis = nearestAxis(x);
    if (axis !== -1 && y >= TOP - 16 && y <= TOP + plotH + 16) {
      const clamped = Math.min(TOP + plotH, Math.max(TOP, y));
      setDrag({ axis, from: clamped, to: clamped });
      e.preventDefault();
    }
  };
  const onMove = (e: MouseEvent): void => {
    const { x, y } = local(e);
    if (drag !== null) {
      setDrag({ ...drag, to: Math.min(TOP + plotH, Math.max(TOP, y)) });
      return;
    }
    const k = hitLine(x, y);
    setHover(k === null ? null : { index: k, x, y });
  };
  const onUp = (e: MouseEvent): void => {
    if (drag !== null) {
      const axis = axes[drag.axis] as Axis;
      if (Math.abs(drag.to - drag.from) < 3) {
        h.setFilter(axis.id, undefined); // a click on an axis clears its brush
      } else {
        const t = (y: number): number => 1 - (y - TOP) / plotH;
        h.setFilter(axis.id, brushFilter(axis, scales[drag.axis] as Scale, t(drag.from), t(drag.to)));
      }
      setDrag(null);
      return;
    }
    const { x, y } = local(e);
    const k = hitLine(x, y);
    if (k !== null) h.pinned.value = (sessions[k] as Session).name;
  };

  const hovered = hover === null ? null : (sessions[hover.index] ?? null);
  return (
    <div class="hp-parallel" ref={box} data-testid="hp-parallel">
      <div class="hp-canvas-stack" style={{ height: `${height}px` }}>
        <canvas
          ref={base}
          role="img"
          aria-label={`Parallel coordinates of ${sessions.length} sessions over ${axes.map((a) => a.label).join(", ")}; ${matching.size} pass the filters`}
          data-testid="hp-parallel-canvas"
          data-plot-top={TOP}
          data-plot-height={plotH}
        />
        <div class="hp-axis-heads" style={{ height: `${TOP - 14}px` }}>
          {axes.map((axis, i) => (
            <div
              key={axis.id}
              class={`hp-axis-head ${axis.kind}`}
              style={{ left: `${xs[i] ?? 0}px`, width: `${Math.max(60, Math.min(150, width / Math.max(1, axes.length) - 6))}px` }}
              data-axis={axis.id}
            >
              <span class="hp-axis-label" title={axis.label}>{axis.label}</span>
              {axis.numeric && canLog(axis.extent) && (
                <button
                  class="hp-log"
                  data-testid="hp-log-toggle"
                  title="Linear or log scale"
                  onClick={() => h.setLog(axis.id, (scales[i] as Scale).kind !== "log")}
                >
                  {(scales[i] as Scale).kind === "log" ? "log" : "lin"}
                </button>
              )}
            </div>
          ))}
        </div>
        <canvas
          ref={overlay}
          class={`hp-overlay ${hover ? "pointer" : ""}`}
          onMouseDown={onDown}
          onMouseMove={onMove}
          onMouseUp={onUp}
          onMouseLeave={() => {
            setHover(null);
            setDrag(null);
          }}
        />
        {hovered && hover && (
          <div
            class="hp-tooltip"
            data-testid="hp-tooltip"
            style={{ left: `${Math.min(hover.x + 14, width - 260)}px`, top: `${hover.y + 14}px` }}
          >
            <b>{hovered.name}</b>
            <table>
              <tbody>
                {axes.map((axis) => (
                  <tr key={axis.id}>
                    <td>{axis.label}</td>
                    <td>{valueText(hovered, axis)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
