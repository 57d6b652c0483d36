/**
 * The scatter-plot matrix: one small canvas per (metric, hparam) pair — metrics down, hparams
 * across — with points coloured like the parallel coordinates and the sessions the filters leave
 * out dimmed. Dragging a rectangle in a cell brushes both of its axes (the same filters as the
 * parallel coordinates' brushes); a click on empty space in a cell clears those two.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatValue } from "../../lib/format";
import * as s from "../../state/store";
import { prepare, readTheme } from "./canvas";
import { brushExtent, brushFilter, type Filters } from "./filter";
import { type Axis, categoryOf, type Session } from "./model";
import type { PlotProps } from "./ParallelCoords";
import { valueText } from "./ParallelCoords";
import type { Scale } from "./scales";
import * as h from "./state";

const CELL_W = 200;
const CELL_H = 160;
/** Inset of the data area, so points at the extremes are drawn whole and off the border. */
const PAD = 12;
const HIT = 6;

function position(session: Session, axis: Axis, scale: Scale): number | null {
  const v = session.values.get(axis.id);
  if (v === undefined) return null;
  return scale.position(axis.numeric ? (typeof v === "number" ? v : NaN) : categoryOf(v));
}

interface CellProps {
  x: Axis;
  y: Axis;
  xScale: Scale;
  yScale: Scale;
  sessions: Session[];
  matching: ReadonlySet<string>;
  colors: ReadonlyMap<string, string>;
  filters: Filters;
  onHover(name: string | null, at: { x: number; y: number } | null): void;
}

function Cell({ x, y, xScale, yScale, sessions, matching, colors, filters, onHover }: CellProps): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const dark = s.dark.value;
  const w = CELL_W - 2 * PAD;
  const hgt = CELL_H - 2 * PAD;
  const px = (t: number): number => PAD + t * w;
  const py = (t: number): number => PAD + (1 - t) * hgt;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ctx = prepare(el, CELL_W, CELL_H);
    if (!ctx) return;
    const theme = readTheme(dark);
    ctx.strokeStyle = theme.border;
    ctx.strokeRect(0.5, 0.5, CELL_W - 1, CELL_H - 1);
    const fx = filters.get(x.id);
    const fy = filters.get(y.id);
    const ex = fx ? brushExtent(fx, xScale) : null;
    const ey = fy ? brushExtent(fy, yScale) : null;
    if (ex || ey) {
      ctx.fillStyle = dark ? "rgba(96, 165, 250, 0.14)" : "rgba(37, 99, 235, 0.08)";
      const [a, b] = ex ?? [0, 1];
      const [c, d] = ey ?? [0, 1];
      ctx.fillRect(px(a), py(d), px(b) - px(a), py(c) - py(d));
    }
    const r = sessions.length > 2000 ? 1.5 : 3;
    ctx.fillStyle = theme.dimmedPoint;
    for (const session of sessions) {
      if (matching.has(session.name)) continue;
      const tx = position(session, x, xScale);
      const ty = position(session, y, yScale);
      if (tx === null || ty === null) continue;
      ctx.fillRect(px(tx) - r, py(ty) - r, 2 * r, 2 * r);
    }
    for (const session of sessions) {
      if (!matching.has(session.name)) continue;
      const tx = position(session, x, xScale);
      const ty = position(session, y, yScale);
      if (tx === null || ty === null) continue;
      ctx.fillStyle = colors.get(session.name) ?? theme.muted;
      ctx.beginPath();
      ctx.arc(px(tx), py(ty), r, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (drag) {
      ctx.fillStyle = dark ? "rgba(96, 165, 250, 0.25)" : "rgba(37, 99, 235, 0.18)";
      ctx.fillRect(Math.min(drag.x0, drag.x1), Math.min(drag.y0, drag.y1), Math.abs(drag.x1 - drag.x0), Math.abs(drag.y1 - drag.y0));
    }
  }, [x, y, xScale, yScale, sessions, matching, colors, filters, drag, dark]);

  const local = (e: MouseEvent): { x: number; y: number } => {
    const rect = (canvas.current as HTMLCanvasElement).getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const hit = (mx: number, my: number): Session | null => {
    let best: Session | null = null;
    let bestD = HIT;
    for (const session of sessions) {
      const tx = position(session, x, xScale);
      const ty = position(session, y, yScale);
      if (tx === null || ty === null) continue;
      const d = Math.hypot(px(tx) - mx, py(ty) - my) + (matching.has(session.name) ? 0 : 2);
      if (d < bestD) {
        bestD = d;
        best = session;
      }
    }
    return best;
  };
  return (
    <canvas
      ref={canvas}
      class="hp-cell"
      data-testid="hp-scatter-cell"
      data-x={x.id}
      data-y={y.id}
      onMouseDown={(e) => {
        const p = local(e);
        setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
        e.preventDefault();
      }}
      onMouseMove={(e) => {
        const p = local(e);
        if (drag) {
          setDrag({ ...drag, x1: p.x, y1: p.y });
          return;
        }
        const found = hit(p.x, p.y);
        onHover(found?.name ?? null, found ? { x: e.clientX, y: e.clientY } : null);
      }}
      onMouseLeave={() => {
        setDrag(null);
        onHover(null, null);
      }}
      onMouseUp={(e) => {
        const p = local(e);
        if (drag && Math.hypot(drag.x1 - drag.x0, drag.y1 - drag.y0) >= 4) {
          const tx = (v: number): number => (v - PAD) / w;
          const ty = (v: number): number => 1 - (v - PAD) / hgt;
          h.setFilter(x.id, brushFilter(x, xScale, tx(drag.x0), tx(drag.x1)));
          h.setFilter(y.id, brushFilter(y, yScale, ty(drag.y0), ty(drag.y1)));
        } else {
          const found = hit(p.x, p.y);
          if (found) h.pinned.value = found.name;
          else {
            h.setFilter(x.id, undefined);
            h.setFilter(y.id, undefined);
          }
        }
        setDrag(null);
      }}
    />
  );
}

export function ScatterMatrix({ axes, scales, sessions, matching, colors, filters }: PlotProps): JSX.Element {
  const [hover, setHover] = useState<{ name: string; x: number; y: number } | null>(null);
  const hparams = axes.flatMap((a, i) => (a.kind === "hparam" ? [i] : []));
  const metrics = axes.flatMap((a, i) => (a.kind === "metric" ? [i] : []));
  if (hparams.length === 0 || metrics.length === 0) {
    return <div class="empty">The scatter-plot matrix needs at least one hparam and one metric.</div>;
  }
  const hovered = hover ? sessions.find((x) => x.name === hover.name) : undefined;
  // The axis' range under its name (cells have no room for ticks).
  const tickText = (axis: Axis): string => {
    if (!axis.numeric) return axis.categories.join(" · ");
    return axis.extent ? `${formatValue(axis.extent[0])} … ${formatValue(axis.extent[1])}` : "";
  };
  return (
    <div class="hp-scatter" data-testid="hp-scatter">
      <table class="hp-matrix">
        <thead>
          <tr>
            <th />
            {hparams.map((i) => (
              <th key={i} class="hp-col-head" title={(axes[i] as Axis).label}>
                <div>{(axes[i] as Axis).label}</div>
                <small class="muted">{(scales[i] as Scale).kind === "log" ? "log " : ""}{tickText(axes[i] as Axis)}</small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metrics.map((j) => (
            <tr key={j}>
              <th class="hp-row-head" title={(axes[j] as Axis).label}>
                <div>{(axes[j] as Axis).label}</div>
                <small class="muted">{tickText(axes[j] as Axis)}</small>
              </th>
              {hparams.map((i) => (
                <td key={i}>
                  <Cell
                    x={axes[i] as Axis}
                    y={axes[j] as Axis}
                    xScale={scales[i] as Scale}
                    yScale={scales[j] as Scale}
                    sessions={sessions}
                    matching={matching}
                    colors={colors}
                    filters={filters}
                    onHover={(name, at) => setHover(name && at ? { name, ...at } : null)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {hovered && hover && (
        <div class="hp-tooltip fixed" data-testid="hp-tooltip" style={{ left: `${hover.x + 14}px`, top: `${hover.y + 14}px` }}>
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
  );
}
