/**
 * The projector behind a dynamic import: three.js, umap-js and the dashboard are built into their
 * own chunk (and the worker into its own file), fetched the first time the tab opens.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

type Dashboard = () => JSX.Element;
let loaded: Dashboard | null = null;

export function LazyProjectorDashboard(): JSX.Element {
  const [Component, setComponent] = useState<Dashboard | null>(() => loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (loaded) return;
    import("./ProjectorDashboard").then(
      (module) => {
        loaded = module.ProjectorDashboard;
        setComponent(() => module.ProjectorDashboard);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  if (error) return <div class="empty error">Could not load the projector: {error}</div>;
  if (!Component) return <div class="empty">Loading…</div>;
  return <Component />;
}
