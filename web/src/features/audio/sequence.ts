/**
 * Comparing runs by ear: play several clips one after another, each starting when the previous
 * one ends. Typed over the few members used so the logic is testable without a browser.
 */
export interface Playable {
  currentTime: number;
  play(): Promise<void>;
  pause(): void;
  addEventListener(type: "ended", listener: () => void): void;
  removeEventListener(type: "ended", listener: () => void): void;
}

let stopCurrent: (() => void) | null = null;

/** Plays ``players`` in order from their start; starting another sequence stops this one. Returns a stop function. */
export function playInSequence(players: readonly Playable[], onDone?: () => void): () => void {
  stopCurrent?.();
  let index = -1;
  let stopped = false;
  const next = (): void => {
    players[index]?.removeEventListener("ended", next);
    index += 1;
    const player = players[index];
    if (stopped || !player) {
      stop();
      return;
    }
    player.addEventListener("ended", next);
    player.currentTime = 0;
    // A clip the browser refuses to play (no audio device, bad bytes) is skipped, not a dead end.
    player.play().catch(next);
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    const player = players[index];
    if (player) {
      player.removeEventListener("ended", next);
      player.pause();
    }
    if (stopCurrent === stop) stopCurrent = null;
    onDone?.();
  };
  stopCurrent = stop;
  next();
  return stop;
}
