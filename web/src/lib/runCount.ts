/**
 * Which runs are shown, and how many, without the list of every run: a shown run is one that
 * matches the run filter and is selected, so dashboards ask "is this run shown?" of the runs they
 * already have (a tag's runs), and the sidebar's "N of M shown" comes from the server's count of
 * filter matches and the (small) set of names the selection records.
 */
import { isSelected, type RunSelection } from "./selection";

/** The one question dashboards ask about runs. A `Set` of names is one too. */
export interface RunPredicate {
  has(run: string): boolean;
}

export const NO_RUNS: RunPredicate = { has: () => false };

/** Shown = matching ``filter`` and selected. */
export function shownPredicate(selection: RunSelection, filter: (run: string) => boolean): RunPredicate {
  return { has: (run) => filter(run) && isSelected(selection, run) };
}

/**
 * How many runs are shown, given ``matching`` (the server's count of runs matching the filter,
 * null while unknown), ``filter`` (the same filter, client-side) and ``recorded`` (the server's
 * count of the selection's recorded names that exist and match the filter, null while unknown).
 *
 * Exact for "all" (the server's count), and for "only" / "except" once the server counted the
 * recorded names (see ``recordedRunsRegex``). Until then, or when the names are too many to send,
 * the names passing the client-side filter are counted: approximate in two rare cases, a recorded
 * name whose run no longer exists (e.g. from an old link) and a pattern on which JavaScript's and
 * Python's regex dialects disagree.
 */
export function shownCount(
  selection: RunSelection,
  matching: number | null,
  filter: (run: string) => boolean,
  recorded: number | null = null,
): number | null {
  if (selection.kind === "all") return matching;
  let count = recorded;
  if (count === null) {
    count = 0;
    for (const run of selection.runs) if (filter(run)) count += 1;
  }
  if (selection.kind === "only") return matching === null ? count : Math.min(count, matching);
  return matching === null ? null : Math.max(0, matching - count);
}

/** Characters of a recorded-names pattern at most: it travels in a URL. */
const PATTERN_CHARS = 6000;

function pythonEscape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\#\s&~-]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/**
 * A Python regex that ``re.search`` finds in exactly the recorded names that also match
 * ``filter`` (case-insensitive, as the UI): the server's ``total`` for it counts the selection's
 * names that exist and pass the filter. Null when the names would not fit in a URL.
 */
export function recordedRunsRegex(names: Iterable<string>, filter: string): string | null {
  const alternatives = [...names].sort().map(pythonEscape);
  if (alternatives.length === 0) return null;
  const lookahead = filter === "" ? "" : `(?=[\\s\\S]*?(?i:${filter}))`;
  const pattern = `^${lookahead}(?:${alternatives.join("|")})\\Z`;
  return encodeURIComponent(pattern).length > PATTERN_CHARS ? null : pattern;
}
