/** Where the Runs tab goes: right after Scalars (else last), once the experiment has any data. */
import type { Dashboard } from "../../api/endpoints";

export const RUNS_TAB: Dashboard = { name: "runs", tabName: "Runs" };

export function withRunsTab(dashboards: readonly Dashboard[]): Dashboard[] {
  // An empty experiment keeps its "No data yet" page; a server that lists "runs" itself wins.
  if (dashboards.length === 0 || dashboards.some((d) => d.name === RUNS_TAB.name)) return [...dashboards];
  const scalars = dashboards.findIndex((d) => d.name === "scalars");
  const at = scalars === -1 ? dashboards.length : scalars + 1;
  return [...dashboards.slice(0, at), RUNS_TAB, ...dashboards.slice(at)];
}

/** Rows per request: a screenful several times over, small enough to answer fast. */
export const PAGE_SIZE = 200;

/** Indices of the pages holding rows ``first``..``last`` (inclusive) of ``total``. */
export function pagesInView(first: number, last: number, total: number): number[] {
  if (total <= 0 || last < first) return [];
  const lo = Math.max(0, Math.floor(first / PAGE_SIZE));
  const hi = Math.floor(Math.min(last, total - 1) / PAGE_SIZE);
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) out.push(p);
  return out;
}
