/**
 * The HParams view in the URL, so a link shows the recipient the same brushes, colours and view:
 * `hpView` (`table` / `scatter`; parallel coordinates by default), `hpColor` (an axis id),
 * `hpLog` (`{"h:lr": false}`: the axes whose scale was switched) and `hpFilters`
 * (`{"h:lr": [0.001, null], "h:opt": {"in": ["adam"]}, "h:name": {"has": ["x"]}}`: ranges with
 * null for an open end, which JSON cannot write as infinity).
 */
import { effect } from "@preact/signals";
import type { Filter, Filters } from "./filter";
import * as h from "./state";

export interface HParamsView {
  view: h.View;
  colorBy: string | null;
  log: ReadonlyMap<string, boolean>;
  filters: Filters;
}

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const strings = (x: unknown): string[] | null =>
  Array.isArray(x) && x.every((i) => typeof i === "string") ? (x as string[]) : null;

function decodeFilter(value: unknown): Filter | null {
  if (Array.isArray(value) && value.length === 2) {
    const [lo, hi] = value as unknown[];
    const bound = (b: unknown, open: number): number | null => (b === null ? open : typeof b === "number" ? b : null);
    const a = bound(lo, -Infinity);
    const b = bound(hi, Infinity);
    return a === null || b === null ? null : { kind: "range", lo: a, hi: b };
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const inSet = strings(record["in"]);
    if (inSet) return { kind: "set", values: inSet };
    const has = strings(record["has"]);
    if (has) return { kind: "text", terms: has };
  }
  return null;
}

function encodeFilter(filter: Filter): unknown {
  switch (filter.kind) {
    case "range":
      return [Number.isFinite(filter.lo) ? filter.lo : null, Number.isFinite(filter.hi) ? filter.hi : null];
    case "set":
      return { in: filter.values };
    case "text":
      return { has: filter.terms };
  }
}

export function parseHParamsView(search: string): HParamsView {
  const params = new URLSearchParams(search);
  const view = params.get("hpView");
  const filters = new Map<string, Filter>();
  for (const [axis, value] of Object.entries(parseJson(params.get("hpFilters")))) {
    const filter = decodeFilter(value);
    if (filter) filters.set(axis, filter);
  }
  const log = new Map<string, boolean>();
  for (const [axis, value] of Object.entries(parseJson(params.get("hpLog")))) {
    if (typeof value === "boolean") log.set(axis, value);
  }
  return {
    view: view === "table" || view === "scatter" ? view : "parallel",
    colorBy: params.get("hpColor") || null,
    log,
    filters,
  };
}

export function withHParamsView(search: string, v: HParamsView): string {
  const params = new URLSearchParams(search);
  for (const key of ["hpView", "hpColor", "hpLog", "hpFilters"]) params.delete(key);
  if (v.view !== "parallel") params.set("hpView", v.view);
  if (v.colorBy) params.set("hpColor", v.colorBy);
  if (v.log.size > 0) params.set("hpLog", JSON.stringify(Object.fromEntries(v.log)));
  if (v.filters.size > 0) {
    params.set("hpFilters", JSON.stringify(Object.fromEntries([...v.filters].map(([axis, f]) => [axis, encodeFilter(f)]))));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function apply(search: string): void {
  const v = parseHParamsView(search);
  h.view.value = v.view;
  h.colorBy.value = v.colorBy;
  h.logOverrides.value = v.log;
  h.filters.value = v.filters;
}

let synced = false;

/** Reads the view from the URL once, then keeps the URL up to date (called by the dashboard). */
export function syncHParamsWithUrl(): void {
  if (synced || typeof location === "undefined") return;
  synced = true;
  apply(location.search);
  effect(() => {
    const search = withHParamsView(location.search, {
      view: h.view.value,
      colorBy: h.colorBy.value,
      log: h.logOverrides.value,
      filters: h.filters.value,
    });
    if (search !== location.search) {
      history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }
  });
  addEventListener("popstate", () => apply(location.search));
}
