/**
 * The histogram mode (TensorBoard's offset / overlay), kept in the URL as `histogramMode` so a
 * link reproduces it. The shared URL code keeps parameters it does not know, so this module owns
 * its one parameter without touching the shared view state.
 */
import { effect, signal } from "@preact/signals";

export type HistogramMode = "offset" | "overlay";
export const MODES: readonly HistogramMode[] = ["offset", "overlay"];
const PARAM = "histogramMode";

export function parseMode(search: string): HistogramMode {
  return new URLSearchParams(search).get(PARAM) === "overlay" ? "overlay" : "offset";
}

/** ``search`` with the mode set (left out when it is the default, offset). */
export function withMode(search: string, mode: HistogramMode): string {
  const params = new URLSearchParams(search);
  if (mode === "offset") params.delete(PARAM);
  else params.set(PARAM, mode);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const histogramMode = signal<HistogramMode>(
  typeof location === "undefined" ? "offset" : parseMode(location.search),
);

let synced = false;

/** Mirrors the mode into the URL and back (back / forward buttons); idempotent. */
export function syncModeWithUrl(): void {
  if (synced || typeof location === "undefined") return;
  synced = true;
  effect(() => {
    const search = withMode(location.search, histogramMode.value);
    if (search !== location.search) {
      history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }
  });
  addEventListener("popstate", () => {
    histogramMode.value = parseMode(location.search);
  });
}
