/**
 * The graphs dashboard behind a dynamic import: elkjs (most of its weight, ~1.5 MB) is built into
 * its own chunks, fetched the first time the tab opens, so the other tabs never pay for it.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

type Dashboard = () => JSX.Element;
let loaded: Dashboard | null = null;

export function LazyGraphsDashboard(): JSX.Element {
  const [Component, setComponent] = useState<Dashboard | null>(() => loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (loaded) return;
    import("./GraphsDashboard").then(
      (module) => {
        loaded = module.GraphsDashboard;
        setComponent(() => module.GraphsDashboard);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  if (error) return <div class="empty error">Could not load the graphs dashboard: {error}</div>;
  if (!Component) return <div class="empty">Loading…</div>;
  return <Component />;
}
