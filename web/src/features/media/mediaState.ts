/**
 * View settings shared by the media dashboards, kept in the URL beside the shell's parameters
 * (lib/urlState.ts keeps parameters it does not know, and so does this module, so the two never
 * erase each other's).
 */
import { batch, effect, signal } from "@preact/signals";

export type ImageSize = "fit" | "actual";
export type TextSteps = "one" | "all";

export interface MediaView {
  /** CSS brightness() factor, 1 = unchanged. */
  brightness: number;
  /** CSS contrast() factor, 1 = unchanged. */
  contrast: number;
  imageSize: ImageSize;
  textSteps: TextSteps;
  /** One step slider per tag: moving one card moves every run's card of that tag (compare runs at one step). */
  syncSteps: boolean;
}

export const DEFAULT_MEDIA_VIEW: MediaView = { brightness: 1, contrast: 1, imageSize: "fit", textSteps: "one", syncSteps: false };
export const FACTOR_MIN = 0;
export const FACTOR_MAX = 3;

function factor(text: string | null): number {
  const value = text === null ? Number.NaN : Number(text);
  return Number.isFinite(value) ? Math.min(Math.max(value, FACTOR_MIN), FACTOR_MAX) : 1;
}

export function parseMediaView(search: string): MediaView {
  const params = new URLSearchParams(search);
  return {
    brightness: factor(params.get("brightness")),
    contrast: factor(params.get("contrast")),
    imageSize: params.get("imageSize") === "actual" ? "actual" : "fit",
    textSteps: params.get("textSteps") === "all" ? "all" : "one",
    syncSteps: params.get("syncSteps") === "true",
  };
}

/** ``previousSearch`` with this module's parameters replaced; defaults are left out. */
export function serializeMediaView(view: MediaView, previousSearch: string): string {
  const params = new URLSearchParams(previousSearch);
  for (const key of ["brightness", "contrast", "imageSize", "textSteps", "syncSteps"]) params.delete(key);
  if (view.brightness !== 1) params.set("brightness", String(view.brightness));
  if (view.contrast !== 1) params.set("contrast", String(view.contrast));
  if (view.imageSize !== "fit") params.set("imageSize", view.imageSize);
  if (view.textSteps !== "one") params.set("textSteps", view.textSteps);
  if (view.syncSteps) params.set("syncSteps", "true");
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The CSS filter for the brightness / contrast controls ("none" when both are neutral). */
export function imageFilter(brightness: number, contrast: number): string {
  if (brightness === 1 && contrast === 1) return "none";
  return `brightness(${brightness}) contrast(${contrast})`;
}

const initial = typeof location === "undefined" ? DEFAULT_MEDIA_VIEW : parseMediaView(location.search);
export const brightness = signal(initial.brightness);
export const contrast = signal(initial.contrast);
export const imageSize = signal<ImageSize>(initial.imageSize);
export const textSteps = signal<TextSteps>(initial.textSteps);
export const syncSteps = signal(initial.syncSteps);
/**
 * With synced steps: the step chosen per dashboard and tag (`images|val/x`), null for the latest.
 * Not in the URL: a link shows the latest step, as for unsynced cards.
 */
export const sharedSteps = signal<ReadonlyMap<string, number | null>>(new Map());

export function chooseShared(key: string, step: number | null): void {
  const next = new Map(sharedSteps.value);
  next.set(key, step);
  sharedSteps.value = next;
}

let started = false;

/** Keeps the URL and these signals in step (idempotent: the first dashboard shown starts it). */
export function startMediaUrlSync(): void {
  if (started || typeof location === "undefined") return;
  started = true;
  effect(() => {
    const view: MediaView = {
      brightness: brightness.value,
      contrast: contrast.value,
      imageSize: imageSize.value,
      textSteps: textSteps.value,
      syncSteps: syncSteps.value,
    };
    const search = serializeMediaView(view, location.search);
    if (search !== location.search) {
      history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }
  });
  addEventListener("popstate", () => {
    const view = parseMediaView(location.search);
    batch(() => {
      brightness.value = view.brightness;
      contrast.value = view.contrast;
      imageSize.value = view.imageSize;
      textSteps.value = view.textSteps;
      syncSteps.value = view.syncSteps;
    });
  });
}
