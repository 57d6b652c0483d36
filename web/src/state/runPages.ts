/**
 * The run selector's window on the run list. With 100,000 runs the browser never holds every
 * name: it asks the server for the pages of the current filter that scroll into view, keeps them
 * per filter (so clearing a filter shows its list again at once), sends each page request once
 * however often the list re-renders, and drops answers that arrive for a filter or a run set that
 * is no longer current. The server filters (``regex=``) and counts (``total``).
 */
import { ApiError } from "../api/client";

export interface RunNamesPage {
  total: number;
  names: string[];
}

export type FetchRunPage = (filter: string, offset: number, limit: number) => Promise<RunNamesPage>;

/** What the list shows for one filter. */
export interface RunWindow {
  filter: string;
  /** Runs matching the filter; null until the server answered once. */
  total: number | null;
  /** Page index → the names on it, sorted by name as the server sends them. */
  pages: ReadonlyMap<number, readonly string[]>;
  /** Why the pages cannot be had: the server refusing the filter (400) or failing. */
  error: string | null;
  /** True when ``error`` is the server refusing the filter, not a failure to reach it. */
  badFilter: boolean;
}

/** Filters whose pages are kept at once: the current one and a few recent ones. */
const KEPT_FILTERS = 8;

function emptyWindow(filter: string, total: number | null = null): RunWindow {
  return { filter, total, pages: new Map(), error: null, badFilter: false };
}

export class RunPageCache {
  /** Bumped when the run set changed: answers to older requests are dropped. */
  private generation = 0;
  private readonly windows = new Map<string, RunWindow>();
  private readonly inflight = new Set<string>();
  /** Pages of the current filter still shown but from before the run set changed. */
  private stale = new Set<number>();
  private current: string;

  constructor(
    private readonly fetchPage: FetchRunPage,
    readonly pageSize: number,
    private readonly onChange: (window: RunWindow) => void,
    filter = "",
  ) {
    this.current = filter;
  }

  get window(): RunWindow {
    return this.windows.get(this.current) ?? emptyWindow(this.current);
  }

  /** Show ``filter``'s list: its kept pages at once, and page 0 asked for if missing. */
  setFilter(filter: string): void {
    if (filter === this.current) return;
    this.current = filter;
    this.stale = new Set();
    // Most recently used last, so the oldest filter is the one dropped.
    const kept = this.windows.get(filter);
    if (kept) {
      this.windows.delete(filter);
      this.windows.set(filter, kept);
    }
    while (this.windows.size > KEPT_FILTERS) this.windows.delete(this.windows.keys().next().value as string);
    this.onChange(this.window);
    this.ensure([0]);
  }

  /**
   * The run set changed (live update, reload): every kept page may be stale. Other filters'
   * pages are dropped; the current filter's stay on screen (no flash of placeholders while a
   * sweep adds runs) and are asked again as they are wanted.
   */
  invalidate(): void {
    this.generation += 1;
    this.inflight.clear();
    const shown = this.window;
    this.windows.clear();
    this.windows.set(this.current, { ...shown, error: null, badFilter: false });
    this.stale = new Set(shown.pages.keys());
    this.onChange(this.window);
  }

  /** Ask for the pages (indexes) not held yet nor on their way. */
  ensure(pages: Iterable<number>): void {
    const filter = this.current;
    const held = this.window;
    if (held.badFilter) return;
    for (const page of pages) {
      if (page < 0 || (held.pages.has(page) && !this.stale.has(page))) continue;
      if (held.total !== null && page * this.pageSize >= held.total && page > 0) continue;
      this.load(filter, page);
    }
  }

  /** The name at ``index`` of the current filter's list, if its page is here. */
  nameAt(index: number): string | undefined {
    return this.window.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Every name of the current filter when all its pages are here and fresh, else null. */
  allNames(): string[] | null {
    const { total, pages } = this.window;
    if (total === null || this.stale.size > 0) return null;
    const count = Math.ceil(total / this.pageSize);
    const names: string[] = [];
    for (let page = 0; page < count; page++) {
      const held = pages.get(page);
      if (!held) return null;
      names.push(...held);
    }
    return names;
  }

  private load(filter: string, page: number): void {
    const generation = this.generation;
    const id = `${generation}\u0000${filter}\u0000${page}`;
    if (this.inflight.has(id)) return;
    this.inflight.add(id);
    this.fetchPage(filter, page * this.pageSize, this.pageSize)
      .then((answer) => {
        if (generation !== this.generation) return;
        const before = this.windows.get(filter) ?? emptyWindow(filter);
        const pages = new Map(before.pages);
        pages.set(page, answer.names);
        if (filter === this.current) {
          this.stale.delete(page);
          // Fewer runs than before: pages past the new end are gone.
          for (const held of pages.keys()) if (held * this.pageSize >= answer.total && held > 0) pages.delete(held);
        }
        this.store({ filter, total: answer.total, pages, error: null, badFilter: false });
      })
      .catch((error: unknown) => {
        if (generation !== this.generation) return;
        const badFilter = error instanceof ApiError && error.status === 400;
        const message = error instanceof Error ? error.message : String(error);
        const before = this.windows.get(filter) ?? emptyWindow(filter);
        this.store({ ...before, error: message, badFilter });
      })
      .finally(() => this.inflight.delete(id));
  }

  private store(window: RunWindow): void {
    if (window.filter !== this.current && !this.windows.has(window.filter)) return; // dropped meanwhile
    this.windows.set(window.filter, window);
    if (window.filter === this.current) this.onChange(window);
  }
}
