/**
 * Several lines with their own x values as one uPlot table: the union of every x, and per line a
 * column with null where that line has no point (uPlot draws across nulls with `spanGaps`, or
 * breaks the line without it).
 */
import { serverRunRegex } from "../../api/endpoints";
import type { RunSelection } from "../../lib/selection";

export interface Line {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

export function alignLines(lines: readonly Line[]): { xs: number[]; columns: (number | null)[][] } {
  const all = new Set<number>();
  for (const line of lines) for (let i = 0; i < line.xs.length; i++) all.add(line.xs[i] as number);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = lines.map((line) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (let i = 0; i < line.xs.length; i++) {
      const y = line.ys[i];
      column[index.get(line.xs[i] as number) as number] = y === undefined || !Number.isFinite(y) ? null : y;
    }
    return column;
  });
  return { xs, columns };
}

/** How a group is described in the legend: its label and how many runs it pools. */
export function groupTitle(label: string, runs: number): string {
  return `${label || "(empty)"} · ${runs} ${runs === 1 ? "run" : "runs"}`;
}

/** Which runs the groups route pools: the run filter's regex plus the selection's names. */
export interface GroupRuns {
  regex?: string;
  runs?: string[];
  exclude?: string[];
}

/** Characters of run names a request may carry (keeps URLs below common 8 KiB limits). */
const NAME_CHARS = 6000;

/**
 * The shown runs as the groups route's parameters, without a list of every run: the filter goes
 * as ``regex`` (the server matches any number of runs), "only these" as ``run``, "all but these"
 * as ``exclude``, each list cut to the names the filter matches (the others are out anyway).
 * "none": nothing is shown. "too-many": a hand-picked list longer than a URL can carry.
 */
export function groupRunParams(
  selection: RunSelection,
  filter: string,
  matches: (run: string) => boolean,
  maxChars = NAME_CHARS,
): GroupRuns | "none" | "too-many" {
  const out: GroupRuns = {};
  const regex = serverRunRegex(filter);
  if (regex !== undefined) out.regex = regex;
  if (selection.kind === "all") return out;
  const names = [...selection.runs].filter(matches).sort();
  if (selection.kind === "only" && names.length === 0) return "none";
  const chars = names.reduce((n, r) => n + encodeURIComponent(r).length + 9, 0);
  if (chars > maxChars) return "too-many";
  if (selection.kind === "only") out.runs = names;
  else if (names.length > 0) out.exclude = names;
  return out;
}
