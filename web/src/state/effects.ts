/** Side effects over the store: URL sync, theme, data loading, live updates, shortcuts. */
import { batch, effect } from "@preact/signals";
import { fetchDashboards, fetchRunCount, fetchRunNames, fetchScalarTags, fetchWindowTitle } from "../api/endpoints";
import { startLive } from "../api/live";
import { KNOWN_DASHBOARDS, tabsFor } from "../components/dashboards";
import { recordedRunsRegex } from "../lib/runCount";
import { parseView, serializeView } from "../lib/urlState";
import * as s from "./store";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The run list changed, or is first needed: the selector's pages are marked stale and asked
 * again (its first page also counts the runs), and whatever depends on the run set hears
 * ``runsVersion``. With a filter, the count of all runs costs one more request of one name.
 */
export async function loadRuns(first = false): Promise<void> {
  if (first) s.runPages.ensure([0]);
  else {
    s.runPages.invalidate();
    s.runPages.ensure([0]);
    s.runsVersion.value += 1;
  }
  if (s.runPages.window.filter === "") return;
  try {
    s.runTotal.value = (await fetchRunNames("", 0, 1)).total;
  } catch (error) {
    s.loadError.value = `Could not load runs: ${errorText(error)}`;
  }
}

/** The filter goes to the server once typing paused (~150 ms), if JavaScript accepts it. */
function debounceRunFilter(): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  effect(() => {
    const filter = s.runFilter.value;
    const ok = s.runFilterCompiled.value.ok;
    clearTimeout(timer);
    if (!ok) return;
    timer = setTimeout(() => {
      s.serverRunFilter.value = filter;
    }, 150);
  });
  effect(() => {
    s.runPages.setFilter(s.serverRunFilter.value);
  });
}

/**
 * "N of M shown" for a selection of recorded names: the server counts those that exist and match
 * the filter (one small request, ~150 ms after the selection or filter last changed).
 */
function countRecordedRuns(): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abort: AbortController | undefined;
  effect(() => {
    const selection = s.selection.value;
    const filter = s.runFilter.value;
    const version = s.runsVersion.value;
    const ok = s.runFilterCompiled.value.ok;
    clearTimeout(timer);
    abort?.abort();
    if (selection.kind === "all" || !ok) return;
    const regex = recordedRunsRegex(selection.runs, filter);
    if (regex === null) return;
    timer = setTimeout(() => {
      abort = new AbortController();
      fetchRunCount(regex, abort.signal).then(
        (count) => {
          s.recordedCount.value = { selection, filter, version, count };
        },
        () => undefined, // the client-side count stays (e.g. a filter Python refuses)
      );
    }, 150);
  });
}

export async function loadTags(): Promise<void> {
  try {
    s.scalarTags.value = await fetchScalarTags();
  } catch (error) {
    s.loadError.value = `Could not load tags: ${errorText(error)}`;
  } finally {
    s.scalarTagsLoaded.value = true;
  }
}

/**
 * Tabs whose dashboards never read the scalar tag listing (`s.scalarTags`). The listing names
 * every run of every tag (16 MB of JSON at 300,000 series, ~125 ms of parsing), so a page opened
 * on one of these tabs fetches it only when another tab first opens.
 */
const WITHOUT_SCALAR_TAGS: ReadonlySet<string> = new Set(["runs", "hparams", "graphs", "projector", "profile"]);

/** Whether a tab that reads the tag listing has been open (so reloads fetch it again). */
let tagsWanted = false;

function reloadTags(): Promise<void> {
  return tagsWanted ? loadTags() : Promise.resolve();
}

/** Starts the first fetch of the tag listing when a tab that reads it opens. */
function loadTagsWhenWanted(): void {
  effect(() => {
    if (tagsWanted || WITHOUT_SCALAR_TAGS.has(s.tab.value)) return;
    tagsWanted = true;
    void loadTags();
  });
}

async function loadShell(): Promise<void> {
  try {
    const [dashboards, title] = await Promise.all([fetchDashboards(), fetchWindowTitle()]);
    batch(() => {
      const tabs = tabsFor(dashboards);
      s.dashboards.value = tabs;
      if (s.tab.value === "" || !tabs.some((d) => d.name === s.tab.value)) {
        // Open on the first dashboard this UI draws, else the first listed.
        s.tab.value = (tabs.find((d) => KNOWN_DASHBOARDS.has(d.name)) ?? tabs[0])?.name ?? "";
      }
    });
    if (title) document.title = title;
  } catch (error) {
    s.loadError.value = `Could not reach the Heron server: ${errorText(error)}`;
  }
}

/** Everything shown is refetched (reload button, `r`, polling, reconnects). */
export function reloadAll(): void {
  void Promise.all([loadRuns(), reloadTags()]).then(() => {
    batch(() => {
      s.reloadTick.value += 1;
      s.lastUpdate.value = new Date();
    });
  });
}

function syncUrl(): void {
  effect(() => {
    const view = s.view.value;
    const search = serializeView(view, location.search);
    const hash = view.tab ? `#${view.tab}` : "";
    if (search !== location.search || hash !== location.hash) {
      history.replaceState(history.state, "", `${location.pathname}${search}${hash}`);
    }
  });
  const fromUrl = (): void => {
    const view = parseView(location.search, location.hash);
    batch(() => {
      if (view.tab) s.tab.value = view.tab;
      s.tagFilter.value = view.tagFilter;
      s.runFilter.value = view.runFilter;
      s.smoothing.value = view.smoothing;
      s.smoother.value = view.smoother;
      s.xAxis.value = view.xAxis;
      s.logY.value = view.logY;
      s.logX.value = view.logX;
      s.ignoreOutliers.value = view.ignoreOutliers;
      s.pinned.value = view.pinned;
      s.selection.value = s.selectionFromView(view);
    });
  };
  addEventListener("popstate", fromUrl);
  addEventListener("hashchange", fromUrl);
}

function syncTheme(): void {
  const media = matchMedia("(prefers-color-scheme: dark)");
  media.addEventListener("change", (event) => {
    s.systemDark.value = event.matches;
  });
  effect(() => {
    document.documentElement.dataset["theme"] = s.dark.value ? "dark" : "light";
    try {
      localStorage.setItem("heron.theme", s.themeChoice.value);
      localStorage.setItem("heron.tooltipSort", s.tooltipSort.value);
      localStorage.setItem("heron.cardSize", s.cardSize.value);
      localStorage.setItem("heron.pinned", JSON.stringify(s.pinned.value));
    } catch {
      // Private windows may refuse storage; the toggle still works for this page.
    }
  });
}

function startLiveUpdates(): void {
  startLive({
    onMode: (mode) => {
      s.liveMode.value = mode;
    },
    onResync: reloadAll,
    onData: (series, runsChanged) => {
      const known = s.scalarTags.value;
      let newSeries = runsChanged;
      const tags = new Set<string>();
      for (const [run, runTags] of series) {
        for (const tag of runTags) {
          tags.add(tag);
          // Without the listing (not fetched yet) only the server's runsChanged says "new".
          if (tagsWanted && !(known.get(tag) ?? []).includes(run)) newSeries = true;
        }
      }
      const refresh = newSeries ? Promise.all([loadRuns(), reloadTags()]) : Promise.resolve();
      void refresh.then(() => {
        batch(() => {
          s.markChanged(tags);
          s.lastUpdate.value = new Date();
        });
      });
    },
  });
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

function shortcuts(): void {
  addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === "/") {
      const input = document.getElementById("tag-filter");
      if (input instanceof HTMLInputElement) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    } else if (event.key === "r") {
      reloadAll();
    }
  });
}

export function start(): void {
  syncUrl();
  syncTheme();
  shortcuts();
  void loadShell();
  debounceRunFilter();
  countRecordedRuns();
  // The tab from the URL, or "" (the first dashboard, most often Scalars) until the shell loads.
  tagsWanted = !WITHOUT_SCALAR_TAGS.has(s.tab.value);
  void Promise.all([loadRuns(true), reloadTags()]).then(() => {
    s.lastUpdate.value = new Date();
  });
  loadTagsWhenWanted();
  startLiveUpdates();
}
