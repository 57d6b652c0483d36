/**
 * The view as URL: a link reproduces what its sender saw. Parameter names follow TensorBoard's
 * Time Series deep links (`tagFilter`, `runFilter`, `smoothing`, `pinnedCards`); the dashboard is
 * the hash (`#scalars`). Values equal to their default are left out so links stay short, and
 * parameters Heron does not know are kept as they are.
 */
import { SMOOTHERS, SMOOTHING_DEFAULT, SMOOTHING_MAX, SMOOTHING_MIN, type Smoother } from "./smoothing";

export type XAxis = "step" | "relative" | "wall";
export const X_AXES: readonly XAxis[] = ["step", "relative", "wall"];

export interface ViewState {
  tab: string;
  tagFilter: string;
  runFilter: string;
  smoothing: number;
  smoother: Smoother;
  xAxis: XAxis;
  logY: boolean;
  logX: boolean;
  ignoreOutliers: boolean;
  /** Pinned scalar tags, in pin order. */
  pinned: string[];
  /** Only these runs are selected (`runs`); null when not in that mode. */
  selectedRuns: string[] | null;
  /** All runs but these, including runs that appear later (`hiddenRuns`). */
  hiddenRuns: string[] | null;
}

export const DEFAULT_VIEW: ViewState = {
  tab: "",
  tagFilter: "",
  runFilter: "",
  smoothing: SMOOTHING_DEFAULT,
  smoother: "ema",
  xAxis: "step",
  logY: false,
  logX: false,
  // Off by default, unlike TensorBoard's Time Series: Heron's point is never hiding a spike.
  ignoreOutliers: false,
  pinned: [],
  selectedRuns: null,
  hiddenRuns: null,
};

const KNOWN = [
  "tagFilter",
  "runFilter",
  "smoothing",
  "smoother",
  "xAxis",
  "logY",
  "logX",
  "ignoreOutliers",
  "pinnedCards",
  "runs",
  "hiddenRuns",
];

function parseJsonList(text: string | null): unknown[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function parsePinned(text: string | null): string[] {
  const list = parseJsonList(text) ?? [];
  const tags: string[] = [];
  for (const item of list) {
    if (typeof item === "object" && item !== null && "tag" in item) {
      const { tag, plugin } = item as { tag: unknown; plugin?: unknown };
      if (typeof tag === "string" && (plugin === undefined || plugin === "scalars")) tags.push(tag);
    }
  }
  return tags;
}

export function parseView(search: string, hash: string): ViewState {
  const params = new URLSearchParams(search);
  const smoothingText = params.get("smoothing");
  const smoothingValue = smoothingText === null ? Number.NaN : Number(smoothingText);
  const xAxis = params.get("xAxis");
  const smoother = params.get("smoother");
  const runs = parseJsonList(params.get("runs"));
  const hidden = runs === null ? parseJsonList(params.get("hiddenRuns")) : null;
  return {
    tab: hash.replace(/^#/, "").split("&")[0] ?? "",
    tagFilter: params.get("tagFilter") ?? "",
    runFilter: params.get("runFilter") ?? "",
    smoothing: Number.isFinite(smoothingValue)
      ? Math.min(Math.max(smoothingValue, SMOOTHING_MIN), SMOOTHING_MAX)
      : SMOOTHING_DEFAULT,
    smoother: SMOOTHERS.includes(smoother as Smoother) ? (smoother as Smoother) : "ema",
    xAxis: X_AXES.includes(xAxis as XAxis) ? (xAxis as XAxis) : "step",
    logY: params.get("logY") === "true",
    logX: params.get("logX") === "true",
    ignoreOutliers:
      params.has("ignoreOutliers")
        ? params.get("ignoreOutliers") === "true"
        : DEFAULT_VIEW.ignoreOutliers,
    pinned: parsePinned(params.get("pinnedCards")),
    selectedRuns: runs === null ? null : runs.filter((r): r is string => typeof r === "string"),
    hiddenRuns: hidden === null ? null : hidden.filter((r): r is string => typeof r === "string"),
  };
}

/** The query string (with "?", or "" when empty) for ``view``, keeping unknown parameters. */
export function serializeView(view: ViewState, previousSearch = ""): string {
  const params = new URLSearchParams(previousSearch);
  for (const key of KNOWN) params.delete(key);
  if (view.tagFilter) params.set("tagFilter", view.tagFilter);
  if (view.runFilter) params.set("runFilter", view.runFilter);
  if (view.smoothing !== SMOOTHING_DEFAULT) params.set("smoothing", String(view.smoothing));
  if (view.smoother !== "ema") params.set("smoother", view.smoother);
  if (view.xAxis !== "step") params.set("xAxis", view.xAxis);
  if (view.logY) params.set("logY", "true");
  if (view.logX) params.set("logX", "true");
  if (view.ignoreOutliers !== DEFAULT_VIEW.ignoreOutliers) {
    params.set("ignoreOutliers", String(view.ignoreOutliers));
  }
  if (view.pinned.length > 0) {
    params.set(
      "pinnedCards",
      JSON.stringify(view.pinned.map((tag) => ({ plugin: "scalars", tag }))),
    );
  }
  if (view.selectedRuns !== null) params.set("runs", JSON.stringify(view.selectedRuns));
  else if (view.hiddenRuns !== null) params.set("hiddenRuns", JSON.stringify(view.hiddenRuns));
  const text = params.toString();
  return text ? `?${text}` : "";
}
