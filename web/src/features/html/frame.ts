/**
 * How a logged HTML fragment is shown: as the whole document of an `<iframe srcdoc>` whose
 * `sandbox` never has `allow-same-origin` (the frame gets an opaque origin: it cannot read the
 * page, its storage or cookies, or read API answers: its requests are cross-origin) and has
 * `allow-scripts` only for a tag the user opted in to (no forms, popups or top navigation
 * either). A fragment is never inserted into the page itself.
 */
import { signal } from "@preact/signals";

/** Tags whose fragments may run scripts; per page view only, never in the URL (a link must not opt anyone in). */
export const scriptTags = signal<ReadonlySet<string>>(new Set());

export function setScripts(tag: string, allowed: boolean): void {
  const next = new Set(scriptTags.value);
  if (allowed) next.add(tag);
  else next.delete(tag);
  scriptTags.value = next;
}

/** The `sandbox` attribute: every restriction, minus scripts when the user allowed them. */
export function sandboxFor(scripts: boolean): string {
  return scripts ? "allow-scripts" : "";
}

/** Readable defaults for a bare fragment, in the page's theme; the fragment's own styles come after and win. */
function baseStyle(dark: boolean): string {
  const [scheme, text, background, border] = dark
    ? ["dark", "#e6e8ec", "#171a21", "#2a2f3a"]
    : ["light", "#1f2328", "#ffffff", "#d0d7de"];
  return (
    `<style>:root{color-scheme:${scheme}}body{margin:8px;font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;` +
    `color:${text};background:${background}}table{border-collapse:collapse}td,th{border:1px solid ${border};padding:3px 8px}` +
    "img{max-width:100%}</style>"
  );
}

/** The frame's document: a charset, the base style, then the fragment exactly as logged. */
export function frameDocument(fragment: string, dark = false): string {
  return `<!doctype html><meta charset="utf-8">${baseStyle(dark)}${fragment}`;
}
