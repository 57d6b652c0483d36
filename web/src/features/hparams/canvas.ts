/** Canvas plumbing the dashboard's plots share: device-pixel sizing and theme colours. */
export interface Theme {
  text: string;
  muted: string;
  border: string;
  accent: string;
  panel: string;
  /** Lines and points the filters leave out. */
  dimmed: string;
  /** Points the filters leave out: single points need more ink than long lines to be seen. */
  dimmedPoint: string;
}

export function readTheme(dark: boolean): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v("--text", dark ? "#e6e8ec" : "#1f2328"),
    muted: v("--muted", "#6b7280"),
    border: v("--border", "#e3e6eb"),
    accent: v("--accent", "#2563eb"),
    panel: v("--panel", dark ? "#171a21" : "#ffffff"),
    dimmed: dark ? "rgba(139, 147, 161, 0.22)" : "rgba(107, 114, 128, 0.22)",
    dimmedPoint: dark ? "rgba(139, 147, 161, 0.4)" : "rgba(107, 114, 128, 0.35)",
  };
}

/** Sizes a canvas to `width` × `height` CSS pixels at the screen's density; returns its context. */
export function prepare(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
