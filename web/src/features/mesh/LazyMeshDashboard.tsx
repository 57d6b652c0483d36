/**
 * The mesh dashboard behind a dynamic import: three.js (most of the dashboard's weight) is built
 * into its own chunk, fetched the first time the tab opens, so the other tabs never pay for it.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

type Dashboard = () => JSX.Element;
let loaded: Dashboard | null = null;

export function LazyMeshDashboard(): JSX.Element {
  const [Component, setComponent] = useState<Dashboard | null>(() => loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (loaded) return;
    import("./MeshDashboard").then(
      (module) => {
        loaded = module.MeshDashboard;
        setComponent(() => module.MeshDashboard);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  if (error) return <div class="empty error">Could not load the mesh dashboard: {error}</div>;
  if (!Component) return <div class="empty">Loading…</div>;
  return <Component />;
}
