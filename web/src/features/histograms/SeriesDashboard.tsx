/**
 * The page both the Histograms and the Distributions dashboards use: tag filter, x axis (and the
 * histogram mode), and the cards grouped by tag prefix. Cards load lazily; see the card files.
 */
import { Fragment, type ComponentChildren, type JSX } from "preact";
import type { HistogramPlugin } from "../../api/histograms";
import { X_AXES } from "../../lib/urlState";
import * as s from "../../state/store";
import { groupSeries } from "./grouping";
import { seriesToShow, usePluginTags, type SeriesKey } from "./tags";
import { AXIS_LABEL } from "./timeAxis";
import "./histograms.css";
import { TagFilter } from "../../components/TagFilter";

export function Segmented<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T;
  names: Record<T, string>;
  onChange: (value: T) => void;
  testid: string;
}): JSX.Element {
  return (
    <div class="field">
      <span>{props.label}</span>
      <div class="segmented" role="radiogroup" aria-label={props.label} data-testid={props.testid}>
        {props.options.map((option) => (
          <button
            key={option}
            role="radio"
            aria-checked={props.value === option}
            class={props.value === option ? "on" : ""}
            data-value={option}
            onClick={() => props.onChange(option)}
          >
            {props.names[option]}
          </button>
        ))}
      </div>
    </div>
  );
}

export function SeriesDashboard(props: {
  plugin: HistogramPlugin;
  noun: string;
  controls?: ComponentChildren;
  card: (series: SeriesKey) => JSX.Element;
}): JSX.Element {
  const { byRun, error } = usePluginTags(props.plugin);
  const filter = s.tagFilterCompiled.value;
  const shown = s.shownRuns.value;
  const series = byRun ? seriesToShow(byRun, shown, filter.test) : [];
  const groups = groupSeries(series);
  const total = byRun ? [...byRun.values()].reduce((n, tags) => n + tags.length, 0) : 0;
  return (
    <div class={`hist-dashboard ${props.plugin}`} style={{ "--card-min": `${s.CARD_MIN_WIDTH[s.cardSize.value]}px` }}>
      <div class="toolbar hist-toolbar">
        <TagFilter />
        {props.controls}
        <Segmented
          label="X axis"
          options={X_AXES}
          value={s.xAxis.value}
          names={AXIS_LABEL}
          onChange={(axis) => (s.xAxis.value = axis)}
          testid="x-axis"
        />
        <span class="muted">
          {series.length} {series.length === 1 ? props.noun : `${props.noun}s`}
        </span>
      </div>
      {groups.map((group) => (
        <details class="group" open key={group.name} data-group={group.name}>
          <summary>
            <h2>{group.name}</h2>
            <span class="muted">{group.series.length}</span>
          </summary>
          <div class="grid">
            {group.series.map((item) => (
              <Fragment key={`${item.run}\u0000${item.tag}`}>{props.card(item)}</Fragment>
            ))}
          </div>
        </details>
      ))}
      {series.length === 0 && (
        <div class={`empty ${error ? "error" : ""}`}>
          {error
            ? `Could not load tags: ${error}`
            : byRun === null
              ? "Loading…"
              : total === 0
                ? "No histograms yet."
                : s.shownCount.value === 0
                  ? "No runs selected: pick some in the runs list."
                  : "No tags match the filter, or the selected runs have none."}
        </div>
      )}
    </div>
  );
}
