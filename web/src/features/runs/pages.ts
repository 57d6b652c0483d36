/**
 * Rows of the runs table, fetched a page at a time as they scroll into view. The server sorts and
 * filters every matching run; the browser holds only the pages it has shown, so 100,000 runs
 * cost a few requests of 200 rows each.
 */
import { effect } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../../api/client";
import { fetchRunsPage, type RunRow, type RunsQuery } from "../../api/runs";
import * as s from "../../state/store";
import { PAGE_SIZE } from "./tab";

export interface Loaded {
  key: string;
  /** Matching runs, or null until the first page arrived. */
  total: number | null;
  pages: ReadonlyMap<number, RunRow[]>;
  /** The server's message for a bad query (400), or a network failure. */
  error: string | null;
  /** True when ``error`` is the server rejecting the query (not a failure to reach it). */
  badQuery: boolean;
}

const empty = (key: string): Loaded => ({ key, total: null, pages: new Map(), error: null, badQuery: false });

/** A counter bumped (at most once a second) when runs or their data change, or on reload. */
export function useDataVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const dispose = effect(() => {
      void s.reloadTick.value;
      void s.runsVersion.value;
      void s.tagVersions.value;
      if (first) {
        first = false;
        return;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, 1000);
    });
    return () => {
      dispose();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return version;
}

export function useRunPages(query: RunsQuery, version: number): { loaded: Loaded; ensure: (pages: number[]) => void } {
  const key = JSON.stringify(query);
  const [loaded, setLoaded] = useState<Loaded>(() => empty(key));
  const pending = useRef(new Set<string>());
  const current = useRef(key);
  current.current = key;

  const load = (page: number, forKey: string, forQuery: RunsQuery): void => {
    const id = `${forKey}#${page}`;
    if (pending.current.has(id)) return;
    pending.current.add(id);
    fetchRunsPage(forQuery, page * PAGE_SIZE, PAGE_SIZE)
      .then((answer) => {
        if (current.current !== forKey) return;
        setLoaded((prev) => {
          const pages = new Map(prev.key === forKey ? prev.pages : []);
          pages.set(page, answer.rows);
          return { key: forKey, total: answer.total, pages, error: null, badQuery: false };
        });
      })
      .catch((error: unknown) => {
        if (current.current !== forKey) return;
        const badQuery = error instanceof ApiError && error.status === 400;
        const message = error instanceof Error ? error.message : String(error);
        setLoaded({ ...empty(forKey), error: message, badQuery });
      })
      .finally(() => pending.current.delete(id));
  };

  useEffect(() => {
    setLoaded(empty(key));
    load(0, key, query);
  }, [key]);

  useEffect(() => {
    if (version === 0) return;
    const pages = loaded.key === key && loaded.pages.size > 0 ? [...loaded.pages.keys()] : [0];
    for (const page of pages) load(page, key, query);
  }, [version]);

  const shown = loaded.key === key ? loaded : empty(key);
  const ensure = (pages: number[]): void => {
    if (shown.error !== null) return;
    for (const page of pages) if (!shown.pages.has(page)) load(page, key, query);
  };
  return { loaded: shown, ensure };
}
