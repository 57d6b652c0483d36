/**
 * Which shared settings a dashboard uses, so the settings panel shows only those that change
 * what is on screen (smoothing on the images tab would be a control that does nothing).
 */
export type SettingGroup = "smoothing" | "xAxis" | "scale" | "tooltip" | "cards" | "zoom";

const SCALARS: readonly SettingGroup[] = ["smoothing", "xAxis", "scale", "tooltip", "cards", "zoom"];
const HISTOGRAMS: readonly SettingGroup[] = ["xAxis", "cards"];
const MEDIA: readonly SettingGroup[] = ["cards"];

const BY_TAB: Readonly<Record<string, readonly SettingGroup[]>> = {
  scalars: SCALARS,
  histograms: HISTOGRAMS,
  distributions: HISTOGRAMS,
  images: MEDIA,
  audio: MEDIA,
  video: MEDIA,
  // Multiline charts are the scalar charts themselves (margin charts use the card size only).
  custom_scalars: SCALARS,
  pr_curves: MEDIA,
  mesh: MEDIA,
};

/** The setting groups of a tab; none for dashboards with their own controls only (text, tables...). */
export function settingsFor(tab: string): ReadonlySet<SettingGroup> {
  return new Set(BY_TAB[tab] ?? []);
}
