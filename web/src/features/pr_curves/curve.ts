/**
 * Pure logic of the PR-curves dashboard: the card's step list, which step each run shows, the
 * points drawn, and the point nearest the pointer. Kept apart from the chart so it is unit-tested.
 */
import type { PrCurveStep } from "../../api/prCurves";
import { nearestIndex } from "../media/steps";

/** Every step any run has, ascending and without repeats: what the card's slider walks over. */
export function unionSteps(byRun: ReadonlyMap<string, readonly PrCurveStep[]>): number[] {
  const all = new Set<number>();
  for (const steps of byRun.values()) for (const s of steps) all.add(s.step);
  return [...all].sort((a, b) => a - b);
}

/**
 * The step each run shows for the card's ``step``: its own nearest one (runs logged at different
 * steps still show a curve), or its latest when ``step`` is null.
 */
export function curveAt(steps: readonly PrCurveStep[], step: number | null): PrCurveStep | null {
  if (steps.length === 0) return null;
  if (step === null) return steps[steps.length - 1] ?? null;
  return steps[nearestIndex(steps.map((s) => s.step), step)] ?? null;
}

/**
 * The curve as (recall, precision) points with recall ascending. Thresholds rise along the wire
 * arrays and recall falls with them, so the reversed order is sorted by recall already (what
 * uPlot's line path expects). Non-finite points are dropped. ``index`` maps back to thresholds.
 */
export function curvePoints(curve: PrCurveStep): { xs: number[]; ys: number[]; index: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const index: number[] = [];
  for (let i = curve.recall.length - 1; i >= 0; i--) {
    const x = curve.recall[i] as number;
    const y = curve.precision[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xs.push(x);
    ys.push(y);
    index.push(i);
  }
  return { xs, ys, index };
}

/**
 * The threshold index of the point of ``curve`` nearest to (x, y), distance measured in pixels
 * (``pxPerX`` / ``pxPerY`` pixels per unit), or -1 when the curve has no finite point.
 */
export function nearestThreshold(curve: PrCurveStep, x: number, y: number, pxPerX: number, pxPerY: number): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < curve.recall.length; i++) {
    const dx = ((curve.recall[i] as number) - x) * pxPerX;
    const dy = ((curve.precision[i] as number) - y) * pxPerY;
    const d = dx * dx + dy * dy;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** Pixels between the pointer and its tooltip. */
const GAP = 14;

/**
 * The tooltip's left edge for a pointer at ``x`` (in the chart's pixels): right of the pointer,
 * else left of it when that overflows the chart, and never past either edge.
 */
export function tooltipLeft(x: number, width: number, chartWidth: number): number {
  const right = x + GAP;
  const left = right + width > chartWidth ? x - GAP - width : right;
  return Math.max(0, Math.min(left, chartWidth - width));
}
