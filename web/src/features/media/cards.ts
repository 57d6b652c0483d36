/**
 * Media cards: one per (run, tag, sample), grouped by the tag's prefix as the scalars dashboard
 * groups its charts, so a user finds "val/images" under "val" on every dashboard.
 */
import type { MediaSeries } from "../../api/media";
import { compareTags } from "../../lib/naturalSort";
import { groupName } from "../scalars/grouping";
import type { RunPredicate } from "../../lib/runCount";

export interface MediaCardKey {
  run: string;
  tag: string;
  sample: number;
  /** How many samples the series' fullest step has (the sample is named only when > 1). */
  samples: number;
  /** Stable identity for keys and test selectors. */
  id: string;
}

export interface MediaGroup {
  name: string;
  cards: MediaCardKey[];
}

/** Runs in the run selector's order (plain name order, as the server sorts them): "lr=0.03" before "lr=0.1". */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function cardId(run: string, tag: string, sample: number): string {
  return `${run}\u0000${tag}\u0000${sample}`;
}

/**
 * Cards of the shown runs whose tag matches, grouped by prefix. Within a group: tag order, then
 * run order (so one tag's runs sit side by side for comparison), then sample.
 */
export function groupMediaCards(
  series: readonly MediaSeries[],
  shownRuns: RunPredicate,
  matches: (tag: string) => boolean,
): MediaGroup[] {
  const cards: MediaCardKey[] = [];
  for (const s of series) {
    if (!shownRuns.has(s.run) || !matches(s.tag)) continue;
    for (let sample = 0; sample < s.samples; sample++) {
      cards.push({ run: s.run, tag: s.tag, sample, samples: s.samples, id: cardId(s.run, s.tag, sample) });
    }
  }
  cards.sort((a, b) => compareTags(a.tag, b.tag) || byName(a.run, b.run) || a.sample - b.sample);
  const groups = new Map<string, MediaCardKey[]>();
  for (const card of cards) {
    const name = groupName(card.tag);
    const list = groups.get(name);
    if (list) list.push(card);
    else groups.set(name, [card]);
  }
  // Cards were sorted by tag first, so groups come out in natural order.
  return [...groups].map(([name, list]) => ({ name, cards: list }));
}

/**
 * Tags changed on the server that this dashboard does not know and the scalars listing does not
 * either: a new media series appeared, so the tag listing must be fetched again.
 */
export function hasUnknownTag(
  changed: Iterable<string>,
  known: ReadonlySet<string>,
  scalarTags: ReadonlyMap<string, unknown>,
): boolean {
  for (const tag of changed) if (!known.has(tag) && !scalarTags.has(tag)) return true;
  return false;
}
