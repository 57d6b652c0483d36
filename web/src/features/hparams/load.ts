/**
 * Loading every session's row at 100,000 runs: the first page says how many there are, then the
 * other pages are asked for a few at a time (the server answers one while the browser parses
 * another), and reloads never abort a load in flight — at that size a load takes seconds, and
 * the run list growing or tags arriving meanwhile would otherwise restart it again and again
 * (bench/hparams_ui.py measured loads restarted three times before the first drawing).
 */
import { fetchRunsPage, type RunRow, type RunsQuery } from "../../api/runs";

/** The server's largest page. */
export const PAGE = 10_000;
export const CONCURRENCY = 3;

/** Every row of ``query``, in order; ``fetchPage`` is the page reader (the server's, or a test's). */
export async function fetchRowsConcurrently(
  fetchPage: (offset: number, limit: number) => Promise<{ total: number; rows: RunRow[] }>,
  concurrency = CONCURRENCY,
): Promise<RunRow[]> {
  const first = await fetchPage(0, PAGE);
  if (first.rows.length < PAGE || first.rows.length >= first.total) return first.rows;
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total; offset += PAGE) offsets.push(offset);
  const pages: RunRow[][] = new Array<RunRow[]>(offsets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      const k = next++;
      pages[k] = (await fetchPage(offsets[k] as number, PAGE)).rows;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, offsets.length) }, worker));
  return first.rows.concat(...pages);
}

export function fetchAllRows(query: RunsQuery, signal: AbortSignal): Promise<RunRow[]> {
  return fetchRowsConcurrently((offset, limit) => fetchRunsPage(query, offset, limit, signal));
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
