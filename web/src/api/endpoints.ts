/** Typed calls to the server, returning view-ready values (numbers decoded, runs paged in). */
import { getBytes, getJson } from "./client";
import type { ListRunsParams, ListRunsResponse, ReadScalarsParams } from "./generated";
import { decodeScalarColumns, SCALAR_COLUMNS_MEDIA_TYPE, type ScalarSeries } from "./scalarColumns";
import type { EnvironmentWire, PluginsListingWire, ScalarTagsWire, WireFloat } from "./types";

export interface Dashboard {
  name: string;
  tabName: string;
}

export type { ScalarSeries } from "./scalarColumns";

export function decodeFloat(value: WireFloat): number {
  if (typeof value === "number") return value;
  if (value === "Infinity") return Number.POSITIVE_INFINITY;
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

export async function fetchDashboards(): Promise<Dashboard[]> {
  const listing = await getJson<PluginsListingWire>("data/plugins_listing");
  return Object.entries(listing)
    .filter(([, info]) => info.enabled)
    .map(([name, info]) => ({ name, tabName: info.tab_name || name }));
}

export async function fetchWindowTitle(): Promise<string> {
  const env = await getJson<EnvironmentWire>("data/environment");
  return env.window_title;
}

/** The largest page /api/v1/runs gives. */
const RUN_PAGE = 10_000;

/**
 * The server-side form of a run filter typed in the UI. The UI matches case-insensitively with a
 * JavaScript RegExp (lib/regex.ts); the server uses Python's ``re.search``, so the pattern goes
 * with a leading ``(?i)``: both are unanchored searches, case-insensitive. No filter: no regex.
 */
export function serverRunRegex(filter: string): string | undefined {
  return filter === "" ? undefined : `(?i)${filter}`;
}

/** The server's message for a bad regex, without the ``(?i)`` this module added. */
export function runRegexError(message: string): string {
  if (!message.includes("'(?i)")) return message;
  return message
    .replace("'(?i)", "'")
    .replace(/at position (\d+)/, (_, at: string) => `at position ${Math.max(0, Number(at) - 4)}`);
}

export interface RunNamesPage {
  /** Runs matching the filter (all of them, not only this page). */
  total: number;
  names: string[];
}

/** One page of run names (sorted by name) matching ``filter`` (as typed in the UI). */
export async function fetchRunNames(
  filter: string,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<RunNamesPage> {
  const params: ListRunsParams = { offset, limit };
  const regex = serverRunRegex(filter);
  if (regex !== undefined) params.regex = regex;
  const page = await getJson<ListRunsResponse>("api/v1/runs", { ...params }, signal);
  return { total: page.total, names: page.runs.map((run) => run.name) };
}

/** How many runs' names a Python ``regex`` is found in (sent as it is: no ``(?i)`` added). */
export async function fetchRunCount(regex: string, signal?: AbortSignal): Promise<number> {
  const params: ListRunsParams = { offset: 0, limit: 1, regex };
  return (await getJson<ListRunsResponse>("api/v1/runs", { ...params }, signal)).total;
}

/**
 * Every run name matching ``filter``, a page of 10,000 at a time: only for acting on all matches
 * (Select all / None with a filter), never to draw the list. ``onProgress`` hears each page.
 */
export async function fetchMatchingRuns(
  filter: string,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const names: string[] = [];
  for (let offset = 0; ; offset += RUN_PAGE) {
    const page = await fetchRunNames(filter, offset, RUN_PAGE, signal);
    names.push(...page.names);
    onProgress?.(names.length, page.total);
    if (page.names.length < RUN_PAGE || names.length >= page.total) return names;
  }
}

/** tag → runs that have it. */
export async function fetchScalarTags(): Promise<Map<string, string[]>> {
  const wire = await getJson<ScalarTagsWire>("data/plugin/scalars/tags");
  const byTag = new Map<string, string[]>();
  for (const [run, tags] of Object.entries(wire)) {
    for (const tag of Object.keys(tags)) {
      const runs = byTag.get(tag);
      if (runs) runs.push(run);
      else byTag.set(tag, [run]);
    }
  }
  return byTag;
}

/** Query characters per request: keeps URLs below common 8 KiB limits. */
const QUERY_CHARS = 6_000;
/** Pairs per request at most, so a chart of many runs still spreads over a few connections. */
const PAIRS_PER_REQUEST = 250;

/** Runs split into requests by the length of their query (long run names, fewer per request). */
export function chunkRuns(runs: readonly string[], tag: string): string[][] {
  const tagChars = encodeURIComponent(tag).length + 10; // "&run=" + "&tag="
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let chars = 0;
  for (const run of runs) {
    const pair = encodeURIComponent(run).length + tagChars;
    if (chunk.length > 0 && (chars + pair > QUERY_CHARS || chunk.length >= PAIRS_PER_REQUEST)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(run);
    chars += pair;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * One tag for several runs, as columns (every point without ``maxPoints``). With ``maxPoints`` the server sends the min/max envelope
 * (real points only, first and last kept), so a spike survives any downsampling. ``range``
 * (inclusive steps) keeps only those steps, before downsampling: a zoomed chart's window.
 *
 * Asked for in the binary form (typed columns, see scalarColumns.ts): a chart's ~10^5 points
 * cost the server no JSON digits or slow gzip, and the page no parse.
 */
export async function fetchScalars(
  tag: string,
  runs: readonly string[],
  maxPoints: number | undefined,
  signal?: AbortSignal,
  range?: { start: number; end: number } | null,
): Promise<ScalarSeries[]> {
  const chunks = chunkRuns(runs, tag);
  const answers = await Promise.all(
    chunks.map((chunk) => {
      const params: ReadScalarsParams = { run: chunk, tag: chunk.map(() => tag), format: "binary" };
      if (maxPoints !== undefined) params.max_points = Math.max(2, Math.round(maxPoints));
      if (range) {
        params.start_step = range.start;
        params.end_step = range.end;
      }
      return getBytes("api/v1/scalars", { ...params }, signal, SCALAR_COLUMNS_MEDIA_TYPE);
    }),
  );
  return answers.flatMap(decodeScalarColumns);
}
