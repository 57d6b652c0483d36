/**
 * Application state as signals. Components read what they need and re-render only when that
 * changes; the URL, the theme and live updates are effects over these signals (state/effects.ts).
 */
import { computed, signal } from "@preact/signals";
import { type Dashboard, fetchMatchingRuns, fetchRunNames } from "../api/endpoints";
import type { LiveMode } from "../api/live";
import { compileFilter } from "../lib/regex";
import { type RunPredicate, shownCount as countShown, shownPredicate, NO_RUNS } from "../lib/runCount";
import { ALL, type RunSelection, isSelected as selected, setSelected, toggle } from "../lib/selection";
import { RunPageCache, type RunWindow } from "./runPages";
import { DEFAULT_VIEW, parseView, type ViewState, type XAxis } from "../lib/urlState";

const initial: ViewState =
  typeof location === "undefined" ? DEFAULT_VIEW : parseView(location.search, location.hash);

// The view (everything a link reproduces).
export const tab = signal(initial.tab);
export const tagFilter = signal(initial.tagFilter);
export const runFilter = signal(initial.runFilter);
export const smoothing = signal(initial.smoothing);
export const smoother = signal(initial.smoother);
export const xAxis = signal<XAxis>(initial.xAxis);
export const logY = signal(initial.logY);
export const logX = signal(initial.logX);
export const ignoreOutliers = signal(initial.ignoreOutliers);
/** Pinned cards: the link's, else those kept in local storage from the last visit. */
export const pinned = signal<readonly string[]>(initial.pinned.length > 0 ? initial.pinned : readPinned());
/** null: every run, including those that appear later. */
export const selection = signal<RunSelection>(selectionFromView(initial));

export function selectionFromView(view: ViewState): RunSelection {
  if (view.selectedRuns !== null) return { kind: "only", runs: new Set(view.selectedRuns) };
  if (view.hiddenRuns !== null && view.hiddenRuns.length > 0) {
    return { kind: "except", runs: new Set(view.hiddenRuns) };
  }
  return ALL;
}

export const view = computed<ViewState>(() => ({
  tab: tab.value,
  tagFilter: tagFilter.value,
  runFilter: runFilter.value,
  smoothing: smoothing.value,
  smoother: smoother.value,
  xAxis: xAxis.value,
  logY: logY.value,
  logX: logX.value,
  ignoreOutliers: ignoreOutliers.value,
  pinned: [...pinned.value],
  selectedRuns: selection.value.kind === "only" ? [...selection.value.runs].sort() : null,
  hiddenRuns: selection.value.kind === "except" ? [...selection.value.runs].sort() : null,
}));

// What the server told us.
export const dashboards = signal<Dashboard[] | null>(null);
export const loadError = signal<string | null>(null);
/** Runs in the logdir (all of them, whatever the filter); null until the server said. */
export const runTotal = signal<number | null>(null);
/** Bumped when the set of runs changed (live update, reload): "refetch what depends on runs". */
export const runsVersion = signal(0);
/** Scalar tag → runs that have it. */
export const scalarTags = signal<ReadonlyMap<string, readonly string[]>>(new Map());
/** False until the tag listing first arrived (or failed): until then, no tag is not "no scalars". */
export const scalarTagsLoaded = signal(false);
/** Bumped per tag when its data changed, so only those cards refetch. */
export const tagVersions = signal<ReadonlyMap<string, number>>(new Map());
/** Bumped to make every visible card refetch (reload button, `r`, resync, polling). */
export const reloadTick = signal(0);
export const lastUpdate = signal<Date | null>(null);
export const liveMode = signal<LiveMode>("connecting");
export const loadingRuns = signal(true);
/**
 * The server's count of the selection's recorded names that exist and match the filter, for the
 * selection and filter (and run set) it was asked for: makes "N of M shown" exact.
 */
export interface RecordedCount {
  selection: RunSelection;
  filter: string;
  version: number;
  count: number;
}
export const recordedCount = signal<RecordedCount | null>(null);
/** Select all / None over a filter's matches while they are fetched (shown after ~300 ms). */
export const selectingRuns = signal<{ done: number; total: number | null } | null>(null);

// Chrome.
export type ThemeChoice = "auto" | "light" | "dark";
export const themeChoice = signal<ThemeChoice>(readTheme());
export const systemDark = signal(
  typeof matchMedia !== "undefined" && matchMedia("(prefers-color-scheme: dark)").matches,
);
export const dark = computed(() =>
  themeChoice.value === "auto" ? systemDark.value : themeChoice.value === "dark",
);
export const sidebarOpen = signal(true);
export type TooltipSort = "descending" | "ascending" | "nearest" | "alphabetical" | "default";
/** A display preference, not part of the view: kept in local storage, not in links. */
export const tooltipSort = signal<TooltipSort>(readTooltipSort());
export type CardSize = "small" | "medium" | "large";
export const CARD_MIN_WIDTH: Record<CardSize, number> = { small: 320, medium: 420, large: 640 };
export const cardSize = signal<CardSize>(readCardSize());
export const settingsOpen = signal(false);

function readTooltipSort(): TooltipSort {
  try {
    const value = localStorage.getItem("heron.tooltipSort");
    return value === "ascending" || value === "nearest" || value === "alphabetical" || value === "default"
      ? value
      : "descending";
  } catch {
    return "descending";
  }
}

function readPinned(): readonly string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem("heron.pinned") ?? "[]");
    return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}

function readCardSize(): CardSize {
  try {
    const value = localStorage.getItem("heron.cardSize");
    return value === "small" || value === "large" ? value : "medium";
  } catch {
    return "medium";
  }
}

function readTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem("heron.theme");
    return value === "light" || value === "dark" ? value : "auto";
  } catch {
    return "auto";
  }
}

// Derived.
export const runFilterCompiled = computed(() => compileFilter(runFilter.value));
export const tagFilterCompiled = computed(() => compileFilter(tagFilter.value));

/** The run filter as the server gets it: the typed one, ~150 ms after typing stops. */
export const serverRunFilter = signal(initial.runFilter);

/** Names fetched per page of the run selector's list. */
export const RUN_LIST_PAGE = 250;

/** The run selector's pages for the current filter (see state/runPages.ts). */
export const runWindow = signal<RunWindow>({
  filter: initial.runFilter,
  total: null,
  pages: new Map(),
  error: null,
  badFilter: false,
});
export const runPages = new RunPageCache(
  (filter, offset, limit) => fetchRunNames(filter, offset, limit),
  RUN_LIST_PAGE,
  (list) => {
    runWindow.value = list;
    if (list.filter === "" && list.total !== null) runTotal.value = list.total;
    if (list.total !== null || list.error !== null) loadingRuns.value = false;
  },
  initial.runFilter,
);

/** The server refused a filter JavaScript accepts (dialects differ): it then matches nothing. */
const serverRefusesFilter = computed(
  () => runWindow.value.badFilter && runWindow.value.filter === runFilter.value,
);

/** Runs drawn on charts: selected and matching the run filter (a predicate, not a list). */
export const shownRuns = computed<RunPredicate>(() => {
  const filter = runFilterCompiled.value;
  if (!filter.ok || serverRefusesFilter.value) return NO_RUNS;
  return shownPredicate(selection.value, filter.test);
});

/** How many runs are shown (see lib/runCount.ts for where it is approximate); null while unknown. */
export const shownCount = computed<number | null>(() => {
  const filter = runFilterCompiled.value;
  if (!filter.ok || serverRefusesFilter.value) return 0;
  const list = runWindow.value;
  const matching = list.filter === runFilter.value ? list.total : runFilter.value === "" ? runTotal.value : null;
  const checked = recordedCount.value;
  const current =
    checked !== null &&
    checked.selection === selection.value &&
    checked.filter === runFilter.value &&
    checked.version === runsVersion.value;
  return countShown(selection.value, matching, filter.test, current ? checked.count : null);
});

export function isSelected(run: string): boolean {
  return selected(selection.value, run);
}

export function toggleRun(run: string): void {
  selection.value = toggle(selection.value, run);
}

/**
 * Select (or clear) the runs the filter matches; with no filter, all runs. The matches are
 * fetched only now (unless the list holds them all already), with progress shown when that
 * takes more than ~300 ms.
 */
export async function selectFiltered(select: boolean): Promise<void> {
  const filter = runFilter.value;
  if (filter === "" || !runFilterCompiled.value.ok) {
    selection.value = select ? ALL : { kind: "only", runs: new Set() };
    return;
  }
  if (serverRefusesFilter.value) return; // the error is on screen; nothing matches
  const held = runWindow.value.filter === filter ? runPages.allNames() : null;
  let names = held;
  if (names === null) {
    const timer = setTimeout(() => {
      selectingRuns.value ??= { done: 0, total: null };
    }, 300);
    try {
      names = await fetchMatchingRuns(filter, (done, total) => {
        if (selectingRuns.value !== null) selectingRuns.value = { done, total };
      });
    } finally {
      clearTimeout(timer);
      selectingRuns.value = null;
    }
  }
  selection.value = setSelected(selection.value, names, select);
}

export function togglePin(tag: string): void {
  pinned.value = pinned.value.includes(tag)
    ? pinned.value.filter((t) => t !== tag)
    : [...pinned.value, tag];
}

export function markChanged(tags: Iterable<string>): void {
  const next = new Map(tagVersions.value);
  for (const tag of tags) next.set(tag, (next.get(tag) ?? 0) + 1);
  tagVersions.value = next;
}
