/**
 * The scatter-plot matrix: one small canvas per (metric, hparam) pair — metrics down, hparams
 * across — with points coloured like the parallel coordinates and the sessions the filters leave
 * out dimmed. Dragging a rectangle in a cell brushes both of its axes (the same filters as the
 * parallel coordinates' brushes); a click on empty space in a cell clears those two.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import * as s from "../../state/store";
import { prepare, readTheme } from "./canvas";
import { brushExtent, brushFilter, type Filters } from "./filter";
import { type Axis, categoryOf, type Session } from "./model";
import type { PlotProps } from "./ParallelCoords";
import { SessionTooltip } from "./ParallelCoords";
import { type Scale, shortLabel, thinTicks } from "./scales";
import * as h from "./state";

/** Cells shrink to fit the view's width, between these sizes (height = 0.8 × width). */
const MAX_CELL_W = 200;
const MIN_CELL_W = 130;
/** Room the row heads (name and y tick labels) and the cell spacing take. */
const ROW_HEAD_W = 190;
const CELL_GAP = 4;

/** The cell width for ``columns`` columns in ``width`` px: as large as fits, within bounds. */
export function cellWidth(width: number, columns: number): number {
  const fit = Math.floor((width - ROW_HEAD_W) / Math.max(1, columns)) - CELL_GAP;
  return Math.max(MIN_CELL_W, Math.min(MAX_CELL_W, fit));
}
/** Inset of the data area, so points at the extremes are drawn whole and off the border. */
const PAD = 12;
const HIT = 6;
/** At most this many labelled ticks per cell side: readable at 200 × 160 px cells. */
const X_TICKS = 5;
const Y_TICKS = 5;
const X_LABEL_CHARS = 10;
const Y_LABEL_CHARS = 9;

function position(session: Session, axis: Axis, scale: Scale): number | null {
  const v = session.values.get(axis.id);
  if (v === undefined) return null;
  return scale.position(axis.numeric ? (typeof v === "number" ? v : NaN) : categoryOf(v));
}

interface CellProps {
  cellW: number;
  cellH: number;
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

function Cell({ cellW: CELL_W, cellH: CELL_H, x, y, xScale, yScale, sessions, matching, colors, filters, onHover }: CellProps): JSX.Element {
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
    // Grid lines at the ticks the row and column heads label.
    ctx.strokeStyle = dark ? "rgba(255,255,255,0.06)" : "rgba(0,0,0,0.06)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const tick of thinTicks(xScale, X_TICKS)) {
      const gx = Math.round(px(tick.t)) + 0.5;
      ctx.moveTo(gx, 1);
      ctx.lineTo(gx, CELL_H - 1);
    }
    for (const tick of thinTicks(yScale, Y_TICKS)) {
      const gy = Math.round(py(tick.t)) + 0.5;
      ctx.moveTo(1, gy);
      ctx.lineTo(CELL_W - 1, gy);
    }
    ctx.stroke();
    // Points batched into one path per colour (one fill call each, not one per session).
    const t0 = performance.now();
    const r = sessions.length > 2000 ? 1.5 : 3;
    const dot = (path: Path2D, cx: number, cy: number): void => {
      if (r < 2) path.rect(cx - r, cy - r, 2 * r, 2 * r);
      else {
        path.moveTo(cx + r, cy);
        path.arc(cx, cy, r, 0, 2 * Math.PI);
      }
    };
    const dimmed = new Path2D();
    const byColor = new Map<string, Path2D>();
    // A point on a half-pixel already drawn in its colour adds nothing: at 100,000 sessions most
    // do (sweeps repeat values), and skipping them halves the drawing or better.
    const seen = new Map<Path2D, Set<number>>();
    const once = (path: Path2D, cx: number, cy: number): void => {
      const key = Math.round(cx * 2) * 4096 + Math.round(cy * 2);
      let keys = seen.get(path);
      if (!keys) seen.set(path, (keys = new Set()));
      if (keys.has(key)) return;
      keys.add(key);
      dot(path, cx, cy);
    };
    for (const session of sessions) {
      const tx = position(session, x, xScale);
      const ty = position(session, y, yScale);
      if (tx === null || ty === null) continue;
      if (!matching.has(session.name)) {
        once(dimmed, px(tx), py(ty));
        continue;
      }
      const color = colors.get(session.name) ?? theme.muted;
      let path = byColor.get(color);
      if (!path) byColor.set(color, (path = new Path2D()));
      once(path, px(tx), py(ty));
    }
    ctx.fillStyle = theme.dimmedPoint;
    ctx.fill(dimmed);
    // Dense plots: translucent points show where they pile up.
    ctx.globalAlpha = sessions.length > 2000 ? 0.6 : 1;
    for (const [color, path] of byColor) {
      ctx.fillStyle = color;
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;
    el.dataset["drawMs"] = (performance.now() - t0).toFixed(1);
    el.dataset["drawn"] = "true";
    if (drag) {
      ctx.fillStyle = dark ? "rgba(96, 165, 250, 0.25)" : "rgba(37, 99, 235, 0.18)";
      ctx.fillRect(Math.min(drag.x0, drag.x1), Math.min(drag.y0, drag.y1), Math.abs(drag.x1 - drag.x0), Math.abs(drag.y1 - drag.y0));
    }
  }, [x, y, xScale, yScale, sessions, matching, colors, filters, drag, dark, CELL_W, CELL_H]);

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

/** A column's tick labels under its bottom cell, at the cells' x positions. */
function XTicks({ scale, axis, cellW: CELL_W }: { scale: Scale; axis: string; cellW: number }): JSX.Element {
  return (
    <div class="hp-xticks" style={{ width: `${CELL_W}px` }} data-testid="hp-xticks" data-axis={axis}>
      {thinTicks(scale, X_TICKS).map((tick) => (
        <span key={tick.t} style={{ left: `${PAD + tick.t * (CELL_W - 2 * PAD)}px` }} title={tick.label}>
          {shortLabel(tick.label, X_LABEL_CHARS)}
        </span>
      ))}
    </div>
  );
}

/** A row's tick labels left of its first cell, at the cells' y positions. */
function YTicks({ scale, axis, cellH: CELL_H }: { scale: Scale; axis: string; cellH: number }): JSX.Element {
  return (
    <div class="hp-yticks" style={{ height: `${CELL_H}px` }} data-testid="hp-yticks" data-axis={axis}>
      {thinTicks(scale, Y_TICKS).map((tick) => (
        <span key={tick.t} style={{ top: `${PAD + (1 - tick.t) * (CELL_H - 2 * PAD)}px` }} title={tick.label}>
          {shortLabel(tick.label, Y_LABEL_CHARS)}
        </span>
      ))}
    </div>
  );
}

export function ScatterMatrix({ axes, scales, sessions, matching, colors, filters }: PlotProps): JSX.Element {
  const [hover, setHover] = useState<{ name: string; x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const hparams = axes.flatMap((a, i) => (a.kind === "hparam" ? [i] : []));
  const metrics = axes.flatMap((a, i) => (a.kind === "metric" ? [i] : []));
  if (hparams.length === 0 || metrics.length === 0) {
    return <div class="empty">The scatter-plot matrix needs at least one hparam and one metric.</div>;
  }
  const cellW = cellWidth(width, hparams.length);
  const cellH = Math.round(cellW * 0.8);
  const hovered = hover ? sessions.find((x) => x.name === hover.name) : undefined;
  // Linear is what one expects: only a log axis says so (its ticks are decades).
  const scaleName = (scale: Scale): string => (scale.kind === "log" ? "log" : "");
  return (
    <div class="hp-scatter" data-testid="hp-scatter" ref={box}>
      <table class="hp-matrix">
        <thead>
          <tr>
            <th />
            {hparams.map((i) => (
              <th key={i} class="hp-col-head" title={(axes[i] as Axis).label}>
                <div>{(axes[i] as Axis).label}</div>
                <small class="muted">{scaleName(scales[i] as Scale)}</small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metrics.map((j) => (
            <tr key={j}>
              <th class="hp-row-head" title={(axes[j] as Axis).label}>
                <div class="hp-row-name">
                  <div>{(axes[j] as Axis).label}</div>
                  <small class="muted">{scaleName(scales[j] as Scale)}</small>
                </div>
                <YTicks scale={scales[j] as Scale} axis={(axes[j] as Axis).id} cellH={cellH} />
              </th>
              {hparams.map((i) => (
                <td key={i}>
                  <Cell
                    cellW={cellW}
                    cellH={cellH}
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
        <tfoot>
          <tr>
            <th />
            {hparams.map((i) => (
              <td key={i}>
                <XTicks scale={scales[i] as Scale} axis={(axes[i] as Axis).id} cellW={cellW} />
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
      {hovered && hover && (
        <SessionTooltip session={hovered} axes={axes} className="hp-tooltip fixed" left={hover.x + 14} top={hover.y + 14} />
      )}
    </div>
  );
}
