/**
 * Loading every session's row at 100,000 runs. One request (`/api/v1/runs/table`) answers with
 * columns: ten pages of row objects took seconds to build, send and parse (bench/hparams_ui.py).
 * Reloads never abort a load in flight (`QueuedLoader`): at that size a load still takes a while,
 * and the run list growing or tags arriving meanwhile would otherwise restart it again and again.
 */
import { fetchRunTable } from "../../api/runTable";
import type { RunRow } from "../../api/runs";

export function fetchAllRows(metrics: readonly string[], signal: AbortSignal): Promise<RunRow[]> {
  return fetchRunTable({ metrics }, signal);
}

/**
 * Runs ``load`` now, or — when one is already running — once more after it ends, however many
 * times it was asked meanwhile. ``abort`` ends it for good (the dashboard was closed).
 */
export class QueuedLoader {
  private running = false;
  private again = false;
  private readonly controller = new AbortController();

  constructor(private readonly load: (signal: AbortSignal) => Promise<void>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.load(this.controller.signal).finally(() => {
      this.running = false;
      if (this.again && !this.controller.signal.aborted) {
        this.again = false;
        this.request();
      }
    });
  }

  abort(): void {
    this.controller.abort();
  }
}
