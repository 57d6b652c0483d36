/** Dashboards this build of the UI can draw; others show as "coming soon". */
export const KNOWN_DASHBOARDS: ReadonlySet<string> = new Set(["scalars", "images", "audio", "text", "histograms", "distributions", "video", "html", "table", "runs", "pr_curves", "custom_scalars", "mesh", "hparams", "profile"]);
