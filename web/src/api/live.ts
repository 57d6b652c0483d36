/**
 * Live updates: the server's SSE stream `api/v1/events` (EventSource reconnects on its own), or,
 * when the server has no such route, polling every few seconds.
 *
 * Events: `hello` on (re)connect, `data` after an ingest commit (which run/tag pairs changed),
 * `resync` when this client fell behind (refetch everything).
 */
import type { DataEventWire } from "./types";

export type LiveMode = "connecting" | "live" | "polling";

export interface LiveHandlers {
  /** Some series got new points; ``runsChanged`` when runs appeared or went away. */
  onData(series: ReadonlyMap<string, readonly string[]>, runsChanged: boolean): void;
  /** Changes may have been missed (reconnect, slow client, polling tick): refetch what is shown. */
  onResync(): void;
  onMode(mode: LiveMode): void;
}

export const POLL_MS = 5_000;

function parseData(text: string): DataEventWire | null {
  try {
    const value = JSON.parse(text) as Partial<DataEventWire>;
    if (typeof value !== "object" || value === null || typeof value.series !== "object") return null;
    return { series: value.series ?? {}, runs_changed: value.runs_changed === true };
  } catch {
    return null;
  }
}

/** Starts listening; returns the function that stops. */
export function startLive(handlers: LiveHandlers): () => void {
  let timer: ReturnType<typeof setInterval> | null = null;
  let source: EventSource | null = null;
  let connectedOnce = false;

  const poll = (): void => {
    handlers.onMode("polling");
    timer = setInterval(() => handlers.onResync(), POLL_MS);
  };

  if (typeof EventSource === "undefined") {
    poll();
  } else {
    handlers.onMode("connecting");
    source = new EventSource("api/v1/events");
    source.addEventListener("hello", () => {
      handlers.onMode("live");
      // After a reconnect, commits made while we were away were not pushed to us.
      if (connectedOnce) handlers.onResync();
      connectedOnce = true;
    });
    source.addEventListener("data", (event: MessageEvent<string>) => {
      const data = parseData(event.data);
      if (data === null) return;
      handlers.onData(new Map(Object.entries(data.series)), data.runs_changed);
    });
    source.addEventListener("resync", () => handlers.onResync());
    source.addEventListener("error", () => {
      if (source === null) return;
      if (source.readyState === EventSource.CLOSED) {
        // A non-stream answer (404 from a server without the route): EventSource gives up for
        // good, so poll instead. A dropped connection stays CONNECTING and retries by itself.
        source.close();
        source = null;
        poll();
      } else {
        handlers.onMode("connecting");
      }
    });
  }

  return () => {
    source?.close();
    if (timer !== null) clearInterval(timer);
  };
}
