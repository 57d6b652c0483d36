/** How an image is drawn: small images are upscaled with hard pixel edges instead of a blur. */

/** Largest side (in pixels) of an image drawn pixelated: a 28×28 digit or a 4×4 test pattern, not a photo. */
export const PIXELATED_MAX_SIDE = 128;

export function isSmallImage(width: number, height: number): boolean {
  return width > 0 && height > 0 && Math.max(width, height) <= PIXELATED_MAX_SIDE;
}

/** A lightbox step move: ``delta`` steps from ``index``, clamped to the steps there are. */
export function moveIndex(index: number, delta: number, count: number): number {
  if (count === 0) return -1;
  return Math.min(Math.max(index + delta, 0), count - 1);
}
