/**
 * Parallel coordinates on two stacked canvases: the base layer (axes, every session's line,
 * brushes) is redrawn when data, scales, filters or colours change; the overlay (the hovered
 * line) on every pointer move, so hovering stays cheap with thousands of sessions.
 *
 * Drag along an axis to brush it (one brush per axis, all AND-ed): while dragging, an even sample
 * of the lines is drawn, kept or dimmed by the brush as it stands; on release the filter is set
 * and every line drawn again, so a brush stays fluid at 100,000 sessions (bench/hparams_ui.py).
 * A click on an axis clears its brush. Hover a line to see its values; click it to pin the session.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { formatValue } from "../../lib/format";
import * as s from "../../state/store";
import { prepare, readTheme } from "./canvas";
import { brushExtent, brushFilter, type Filters, matching as matchingSessions } from "./filter";
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
/** While a brush is dragged, at most this many lines are drawn (an even sample). */
export const BRUSH_SAMPLE = 2_500;

/**
 * Which sessions to draw: all of them, or an even sample of ``limit`` (every k-th, so the sample
 * keeps the data's order and looks the same on every frame of a drag).
 */
export function sampleOrder(count: number, limit: number): number[] {
  const stride = count > limit ? count / limit : 1;
  const out: number[] = [];
  for (let f = 0; f < count; f += stride) out.push(Math.floor(f));
  return out;
}

interface Drag {
  axis: number;
  from: number;
  to: number;
}

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

/** The hovered session's name and its value on every axis; both plots show it alike. */
export function SessionTooltip({ session, axes, className, left, top }: { session: Session; axes: Axis[]; className: string; left: number; top: number }): JSX.Element {
  return (
    <div class={className} data-testid="hp-tooltip" style={{ left: `${left}px`, top: `${top}px` }}>
      <b>{session.name}</b>
      <table>
        <tbody>
          {axes.map((axis) => (
            <tr key={axis.id}>
              <td>{axis.label}</td>
              <td>{valueText(session, axis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ParallelCoords({ axes, scales, sessions, matching, colors, filters }: PlotProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const [height, setHeight] = useState(440);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const brushing = drag !== null && Math.abs(drag.to - drag.from) >= 3;
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
  // While a brush is dragged: which sessions of the drawn sample it keeps, with the other axes'
  // filters, computed here for the sample alone. The dashboard's filter (and everything that
  // follows it: the count, the URL, the other views) changes once, on release.
  const preview = useMemo(() => {
    if (!brushing || drag === null) return null;
    const axis = axes[drag.axis] as Axis;
    const t = (y: number): number => 1 - (y - TOP) / plotH;
    const next = new Map(filters);
    next.set(axis.id, brushFilter(axis, scales[drag.axis] as Scale, t(drag.from), t(drag.to)));
    const sample = sampleOrder(sessions.length, BRUSH_SAMPLE).map((k) => sessions[k] as Session);
    return matchingSessions(sample, axes, next);
  }, [brushing, drag, filters, axes, scales, sessions, plotH]);

  // Base layer.
  useEffect(() => {
    const canvas = base.current;
    if (!canvas) return;
    const ctx = prepare(canvas, width, height);
    if (!ctx) return;
    const theme = readTheme(dark);
    // Adds session k's polyline to the current path (the caller strokes).
    const line = (k: number): void => {
      const p = ys[k] as Float64Array;
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
    };
    // Dimmed lines first, in one colour; then the matching ones in their colours on top. Lines
    // are batched into one path per colour (one stroke call, not one per session: 100,000
    // strokes take seconds, 100,000 segments in a path tens of milliseconds), and their alpha
    // falls with their number so that dense regions still show where lines concentrate.
    const t0 = performance.now();
    const order = sampleOrder(sessions.length, brushing ? BRUSH_SAMPLE : sessions.length);
    const many = order.length > 500;
    const kept = preview ?? matching;
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.dimmed;
    ctx.globalAlpha = many ? Math.min(0.45, Math.max(0.08, 30 / Math.sqrt(order.length))) : 1;
    ctx.beginPath();
    for (const k of order) if (!kept.has((sessions[k] as Session).name)) line(k);
    ctx.stroke();
    const byColor = new Map<string, number[]>();
    for (const k of order) {
      const name = (sessions[k] as Session).name;
      if (!kept.has(name)) continue;
      const color = colors.get(name) ?? theme.muted;
      const bucket = byColor.get(color);
      if (bucket) bucket.push(k);
      else byColor.set(color, [k]);
    }
    ctx.lineWidth = many ? 1 : 1.6;
    ctx.globalAlpha = many ? Math.min(0.5, Math.max(0.1, 40 / Math.sqrt(kept.size || 1))) : 0.9;
    for (const [color, members] of byColor) {
      ctx.strokeStyle = color;
      ctx.beginPath();
      for (const k of members) line(k);
      ctx.stroke();
    }
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
    // For bench/hparams_ui.py and the tests: how long the last full draw took and what it drew.
    const d = canvas.dataset;
    d["drawMs"] = (performance.now() - t0).toFixed(1);
    d["draws"] = String(Number(d["draws"] ?? 0) + 1);
    d["lines"] = String(order.length);
    d["matching"] = String(kept.size);
  }, [ys, xs, colors, matching, filters, dark, width, height, axes, scales, sessions, brushing, preview]);

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
  const applyBrush = (d: Drag): void => {
    const axis = axes[d.axis] as Axis;
    const t = (y: number): number => 1 - (y - TOP) / plotH;
    h.setFilter(axis.id, brushFilter(axis, scales[d.axis] as Scale, t(d.from), t(d.to)));
  };
  const onMove = (e: MouseEvent): void => {
    const { x, y } = local(e);
    if (drag !== null) {
      const next = { ...drag, to: Math.min(TOP + plotH, Math.max(TOP, y)) };
      setDrag(next);
      return;
    }
    const k = hitLine(x, y);
    setHover(k === null ? null : { index: k, x, y });
  };
  /** Ends a drag: a click on an axis clears its brush, a drag sets it (then all lines are drawn). */
  const endDrag = (d: Drag): void => {
    if (Math.abs(d.to - d.from) < 3) h.setFilter((axes[d.axis] as Axis).id, undefined);
    else applyBrush(d);
    setDrag(null);
  };
  const onUp = (e: MouseEvent): void => {
    if (drag !== null) {
      endDrag(drag);
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
            // Leaving mid-drag keeps the brush drawn so far (its filter is already applied).
            if (drag !== null && Math.abs(drag.to - drag.from) >= 3) endDrag(drag);
            else setDrag(null);
          }}
        />
        {hovered && hover && (
          <SessionTooltip session={hovered} axes={axes} className="hp-tooltip" left={Math.min(hover.x + 14, width - 260)} top={hover.y + 14} />
        )}
      </div>
    </div>
  );
}
