import type { Dashboard } from "../api/endpoints";
import { withRunsTab } from "../features/runs/tab";

/** Dashboards this build of the UI can draw; others show as "coming soon". */
export const KNOWN_DASHBOARDS: ReadonlySet<string> = new Set(["scalars", "images", "audio", "text", "histograms", "distributions", "video", "html", "table", "runs", "pr_curves", "custom_scalars", "mesh", "hparams", "profile", "projector", "graphs"]);

/**
 * Listed by the server for TensorBoard-shaped clients, but not a tab here: TensorBoard's Time
 * Series mixes scalars, images and histograms, which Heron draws in their own dashboards. A
 * `#timeseries` link is not a listed tab, so it opens the first dashboard (Scalars).
 */
const NOT_TABS: ReadonlySet<string> = new Set(["timeseries"]);

/** The header's tabs for the server's plugins listing, in its order, with the Runs tab added. */
export function tabsFor(listed: readonly Dashboard[]): Dashboard[] {
  return withRunsTab(listed.filter((d) => !NOT_TABS.has(d.name)));
}
