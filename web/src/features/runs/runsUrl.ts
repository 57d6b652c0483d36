/**
 * The runs table's query and sort in the URL (`runsQuery`, `runsSort` = a column id, `-` first
 * for descending), so a link reproduces a filtered, sorted table. Column choices are display
 * preferences and stay in local storage.
 */
import { effect } from "@preact/signals";
import type { SortState } from "./columns";
import * as t from "./state";

export function parseRunsView(search: string): { query: string; sort: SortState | null } {
  const params = new URLSearchParams(search);
  const sort = params.get("runsSort");
  return {
    query: params.get("runsQuery") ?? "",
    sort: sort ? { column: sort.replace(/^-/, ""), descending: sort.startsWith("-") } : null,
  };
}

export function withRunsView(search: string, query: string, sort: SortState | null): string {
  const params = new URLSearchParams(search);
  params.delete("runsQuery");
  params.delete("runsSort");
  if (query.trim()) params.set("runsQuery", query);
  if (sort) params.set("runsSort", `${sort.descending ? "-" : ""}${sort.column}`);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function apply(search: string): void {
  const view = parseRunsView(search);
  t.queryText.value = view.query;
  t.appliedQuery.value = view.query;
  t.sort.value = view.sort;
}

let synced = false;

export function syncRunsWithUrl(): void {
  if (synced || typeof location === "undefined") return;
  synced = true;
  apply(location.search);
  effect(() => {
    const search = withRunsView(location.search, t.appliedQuery.value, t.sort.value);
    if (search !== location.search) {
      history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }
  });
  addEventListener("popstate", () => apply(location.search));
}
