import type { JSX } from "preact";
import * as s from "../../state/store";
import { CardFor } from "../groups/CardFor";
import { GroupControls } from "../groups/GroupControls";
import { groupTags } from "./grouping";
import { ScalarCard } from "./ScalarCard";
import { TagFilter } from "../../components/TagFilter";

export function ScalarsDashboard(): JSX.Element {
  const filter = s.tagFilterCompiled.value;
  const shown = s.shownRuns.value;
  const byTag = s.scalarTags.value;
  // Cards without any shown run are hidden (TensorBoard's hideEmptyCards default).
  const withData = [...byTag].filter(([, runs]) => runs.some((r) => shown.has(r))).map(([tag]) => tag);
  const groups = groupTags(withData, filter.test);
  const pinned = s.pinned.value.filter((tag) => byTag.has(tag));
  const cardCount = groups.reduce((n, g) => n + g.tags.length, 0);
  return (
    <div class="scalars" style={{ "--card-min": `${s.CARD_MIN_WIDTH[s.cardSize.value]}px` }}>
      <div class="toolbar">
        <TagFilter />
        <span class="muted">
          {cardCount} {cardCount === 1 ? "chart" : "charts"}
        </span>
        <GroupControls />
      </div>
      {pinned.length > 0 && (
        <section class="group pinned-group" data-group="__pinned__">
          <h2>Pinned</h2>
          <div class="grid">
            {pinned.map((tag) => (
              <ScalarCard key={`pinned:${tag}`} tag={tag} />
            ))}
          </div>
        </section>
      )}
      {groups.map((group) => (
        <details class="group" open key={group.name} data-group={group.name}>
          <summary>
            <h2>{group.name}</h2>
            <span class="muted">{group.tags.length}</span>
          </summary>
          <div class="grid">
            {group.tags.map((tag) => (
              <CardFor key={tag} tag={tag} />
            ))}
          </div>
        </details>
      ))}
      {cardCount === 0 && (
        <div class="empty">
          {!s.scalarTagsLoaded.value
            ? "Loading…"
            : byTag.size === 0
              ? "No scalars yet."
              : s.shownCount.value === 0
                ? "No runs selected: pick some in the runs list."
                : withData.length === 0
                  ? "None of the selected runs has scalars."
                  : "No tags match the filter."}
        </div>
      )}
    </div>
  );
}
