/**
 * The frame every media dashboard shares with the scalars one: the tag filter (the same signal,
 * so it carries across tabs and into links), cards grouped by tag prefix, the runs the run
 * selector shows, and an empty state that says why nothing is shown.
 */
import type { ComponentChildren, JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { MediaSeries } from "../../api/media";
import { runColor } from "../../lib/colors";
import * as s from "../../state/store";
import { groupMediaCards, type MediaCardKey } from "./cards";
import * as m from "./mediaState";
import { startMediaUrlSync } from "./mediaState";
import "./media.css";
import { TagFilter } from "../../components/TagFilter";

export function MediaDashboard({
  kind,
  noun,
  series,
  error,
  controls,
  renderCard,
}: {
  /** The plugin name, used as the root's class and test id. */
  kind: string;
  /** What one card shows, singular ("image"); the count says "3 images". */
  noun: string;
  series: MediaSeries[] | null;
  error: string | null;
  controls?: ComponentChildren;
  renderCard: (card: MediaCardKey) => JSX.Element;
}): JSX.Element {
  useEffect(startMediaUrlSync, []);
  const filter = s.tagFilterCompiled.value;
  const shown = s.shownRuns.value;
  const groups = series === null ? [] : groupMediaCards(series, shown, filter.test);
  const count = groups.reduce((n, g) => n + g.cards.length, 0);
  let empty = "";
  if (series === null) empty = error ?? "Loading…";
  else if (count > 0) empty = "";
  else if (series.length === 0) empty = `No ${noun}s yet.`;
  else if (s.shownCount.value === 0) empty = "No runs selected: pick some in the runs list.";
  else if (!series.some((x) => shown.has(x.run))) empty = `None of the selected runs has ${noun}s.`;
  else empty = "No tags match the filter.";
  return (
    <div class={`media ${kind}`} data-testid={`${kind}-dashboard`} style={{ "--card-min": `${s.CARD_MIN_WIDTH[s.cardSize.value] - 60}px` }}>
      <div class="toolbar">
        <TagFilter />
        <span class="muted">
          {count} {count === 1 ? noun : `${noun}s`}
        </span>
        <div class="media-controls">
          {controls}
          <label class="field check" title="One step slider per tag: compare runs at the same step">
            <input
              type="checkbox"
              checked={m.syncSteps.value}
              onChange={(e) => (m.syncSteps.value = e.currentTarget.checked)}
              data-testid="sync-steps"
            />
            <span>Sync steps</span>
          </label>
        </div>
      </div>
      {groups.map((group) => (
        <details class="group" open key={group.name} data-group={group.name}>
          <summary>
            <h2>{group.name}</h2>
            <span class="muted">{group.cards.length}</span>
          </summary>
          <div class="grid">{group.cards.map(renderCard)}</div>
        </details>
      ))}
      {empty && <div class={`empty ${error && series === null ? "error" : ""}`}>{empty}</div>}
    </div>
  );
}

/** A media card's title row: the tag, then the run in its colour (and the sample when a step has several). */
export function MediaCardHead({
  card,
  children,
}: {
  card: MediaCardKey;
  children?: ComponentChildren;
}): JSX.Element {
  return (
    <div class="card-head media-head">
      <div class="media-title">
        <h3 title={card.tag}>{card.tag}</h3>
        <div class="media-run" title={card.run}>
          <i class="swatch" style={{ background: runColor(card.run) }} />
          <span>{card.run}</span>
          {card.samples > 1 && <span class="muted">· sample {card.sample + 1}</span>}
        </div>
      </div>
      {children && <div class="card-actions">{children}</div>}
    </div>
  );
}
