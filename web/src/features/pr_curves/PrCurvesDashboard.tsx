/**
 * The PR-curves dashboard: one card per tag with every shown run overlaid, grouped by the part of
 * the tag before its first `/`, filtered by the shared tag filter. Cards load as they scroll in.
 */
import type { JSX } from "preact";
import { fetchPrCurveTags } from "../../api/prCurves";
import * as s from "../../state/store";
import { groupTags } from "../scalars/grouping";
import { TagFilter } from "../../components/TagFilter";
import { useListing, runsByTag } from "./listing";
import { PrCurveCard } from "./PrCurveCard";
import "../media/media.css";
import "./pr_curves.css";

const tagsOf = (byRun: ReadonlyMap<string, readonly string[]>): string[] => [...byRun.values()].flat();

export function PrCurvesDashboard(): JSX.Element {
  const { value: byRun, error } = useListing(fetchPrCurveTags, tagsOf);
  const filter = s.tagFilterCompiled.value;
  const shown = s.shownRuns.value;
  const byTag = byRun ? runsByTag(byRun, shown) : new Map<string, string[]>();
  const groups = groupTags(byTag.keys(), filter.test);
  const count = groups.reduce((n, g) => n + g.tags.length, 0);
  let empty = "";
  if (byRun === null) empty = error ? `Could not load PR curves: ${error}` : "Loading…";
  else if (count > 0) empty = "";
  else if (byRun.size === 0) empty = "No PR curves yet.";
  else if (s.shownCount.value === 0) empty = "No runs selected: pick some in the runs list.";
  else if (byTag.size === 0) empty = "None of the selected runs has PR curves.";
  else empty = "No tags match the filter.";
  return (
    <div class="pr-curves" data-testid="pr-curves-dashboard" style={{ "--card-min": `${s.CARD_MIN_WIDTH[s.cardSize.value]}px` }}>
      <div class="toolbar">
        <TagFilter />
        <span class="muted">
          {count} {count === 1 ? "curve" : "curves"}
        </span>
      </div>
      {groups.map((group) => (
        <details class="group" open key={group.name} data-group={group.name}>
          <summary>
            <h2>{group.name}</h2>
            <span class="muted">{group.tags.length}</span>
          </summary>
          <div class="grid">
            {group.tags.map((tag) => (
              <PrCurveCard key={tag} tag={tag} runs={byTag.get(tag) ?? []} />
            ))}
          </div>
        </details>
      ))}
      {empty && <div class={`empty ${error && byRun === null ? "error" : ""}`}>{empty}</div>}
    </div>
  );
}
