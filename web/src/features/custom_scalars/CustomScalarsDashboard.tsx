/**
 * The custom-scalars dashboard: the layout the runs wrote with `add_custom_scalars` (merged
 * across runs by the server, as TensorBoard does), one collapsible section per category (closed
 * when the layout says so), multiline and margin charts over the scalar series of the shown runs.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { fetchLayout, type LayoutCategory } from "../../api/customScalars";
import * as s from "../../state/store";
import { useListing } from "../pr_curves/listing";
import { TagFilter } from "../../components/TagFilter";
import { MarginCard, MultilineCard } from "./ChartCard";
import { filterLayout } from "./layout";
import "./custom_scalars.css";

/**
 * No tag counts as known: a run writing its layout again (tag `custom_scalars__config__`) must
 * refetch the merged layout, and the listing refetches on any changed tag that is no scalar.
 */
const layoutTags = (): string[] => [];

function Category({ category }: { category: LayoutCategory }): JSX.Element {
  // Opened or closed by the user from then on; the layout only sets where it starts.
  const [open, setOpen] = useState(!category.closed);
  return (
    <details
      class="group"
      open={open}
      data-group={category.title}
      data-testid="cs-category"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        <h2>{category.title || "(untitled)"}</h2>
        <span class="muted">{category.charts.length}</span>
      </summary>
      {open && (
        <div class="grid">
          {category.charts.map((chart, i) =>
            chart.kind === "multiline" ? <MultilineCard key={`${i}:${chart.title}`} chart={chart} /> : <MarginCard key={`${i}:${chart.title}`} chart={chart} />,
          )}
        </div>
      )}
    </details>
  );
}

export function CustomScalarsDashboard(): JSX.Element {
  const { value: layout, error } = useListing(fetchLayout, layoutTags);
  const filter = s.tagFilterCompiled.value;
  const shown = filterLayout(layout ?? [], filter.test);
  const count = shown.reduce((n, c) => n + c.charts.length, 0);
  let empty = "";
  if (layout === null) empty = error ? `Could not load the layout: ${error}` : "Loading…";
  else if (count > 0) empty = "";
  else if (layout.length === 0) empty = "No custom scalar layout yet: write one with add_custom_scalars.";
  else empty = "No charts match the filter.";
  return (
    <div class="custom-scalars" data-testid="custom-scalars-dashboard" style={{ "--card-min": `${s.CARD_MIN_WIDTH[s.cardSize.value]}px` }}>
      <div class="toolbar">
        <TagFilter placeholder="Filter charts (regex)   /" />
        <span class="muted">
          {count} {count === 1 ? "chart" : "charts"}
        </span>
      </div>
      {shown.map((category) => (
        <Category key={category.title} category={category} />
      ))}
      {empty && <div class={`empty ${error && layout === null ? "error" : ""}`}>{empty}</div>}
    </div>
  );
}
