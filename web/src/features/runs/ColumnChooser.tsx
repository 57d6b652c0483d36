/** Which columns the runs table shows: fixed ones, hparams, and metrics (last / min / max). */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { RunColumns } from "../../api/runs";
import { FIXED_COLUMNS } from "./columns";
import * as t from "./state";

export function ColumnChooser({ available }: { available: RunColumns | null }): JSX.Element {
  const [metricFilter, setMetricFilter] = useState("");
  const hidden = t.hiddenColumns.value;
  const chosen = t.chosenMetrics.value;
  const needle = metricFilter.toLowerCase();
  const metrics = (available?.metrics ?? []).filter((m) => m.tag.toLowerCase().includes(needle));
  return (
    <div class="column-chooser" data-testid="column-chooser">
      <section>
        <h3>Columns</h3>
        {FIXED_COLUMNS.filter((c) => c.id !== "name").map((c) => (
          <label key={c.id}>
            <input type="checkbox" checked={!hidden.has(c.id)} onChange={() => t.toggleHidden(c.id)} />
            {c.label}
          </label>
        ))}
      </section>
      <section>
        <h3>Hparams</h3>
        {(available?.hparams ?? []).length === 0 && <div class="muted">No hparams recorded.</div>}
        {(available?.hparams ?? []).map((hp) => (
          <label key={hp.name} data-hparam={hp.name}>
            <input type="checkbox" checked={!hidden.has(`hp:${hp.name}`)} onChange={() => t.toggleHidden(`hp:${hp.name}`)} />
            {hp.name} <span class="muted">{hp.type}</span>
          </label>
        ))}
      </section>
      <section>
        <h3>Metrics (last / min / max)</h3>
        <input
          class="filter"
          type="search"
          placeholder="Filter tags"
          value={metricFilter}
          onInput={(e) => setMetricFilter(e.currentTarget.value)}
        />
        <div class="metric-list">
          {metrics.map((m) => (
            <label key={m.tag} data-metric={m.tag}>
              <input type="checkbox" checked={chosen.includes(m.tag)} onChange={() => t.toggleMetric(m.tag)} />
              {m.tag} <span class="muted">{m.runs} runs</span>
            </label>
          ))}
        </div>
      </section>
    </div>
  );
}
