/**
 * The step / relative / wall "x axis" setting, as it applies to a histogram series: the value
 * that orders (and in offset mode, spaces) each step, and how to print it.
 */
import { formatClock, formatDuration, formatStep } from "../../lib/format";
import type { XAxis } from "../../lib/urlState";

export interface Timed {
  step: number;
  wallTime: number;
}

/** One position per step: the step, seconds since the series' first point, or wall seconds. */
export function timeValues(points: readonly Timed[], axis: XAxis): number[] {
  const first = points[0]?.wallTime ?? 0;
  return points.map((p) => (axis === "step" ? p.step : axis === "relative" ? p.wallTime - first : p.wallTime));
}

export function formatTime(axis: XAxis, value: number): string {
  if (axis === "step") return formatStep(Math.round(value));
  if (axis === "relative") return formatDuration(value);
  return formatClock(value);
}

export const AXIS_LABEL: Record<XAxis, string> = { step: "Step", relative: "Relative", wall: "Wall" };
