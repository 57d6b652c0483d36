/**
 * Zoomed in, a card asks for the whole series at a finer min/max envelope, so that the window in
 * view still gets about one point per pixel (the server has no step-range parameter yet).
 */

/** Zooming asks for up to this many times more points (in powers of two)… */
export const MAX_ZOOM_FACTOR = 1024;
/** …but never more than this many per series. */
export const MAX_POINTS = 250_000;

/** 1 / fraction rounded up to a power of two: a new request only when the zoom doubles. */
export function zoomFactor(fraction: number): number {
  if (!(fraction > 0) || fraction >= 1) return 1;
  return Math.min(MAX_ZOOM_FACTOR, 2 ** Math.ceil(Math.log2(1 / fraction)));
}
