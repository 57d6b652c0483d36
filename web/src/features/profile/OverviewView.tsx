/** The overview: step time breakdown as a stacked bar, recommendations, top ops, environment. */
import type { JSX } from "preact";
import { fetchOverview, type BreakdownCategory, type ProfileKey } from "../../api/profile";
import { formatMicros } from "./opSort";
import { useCaptureFetch } from "./useFetch";

export const CATEGORY_LABELS: Record<BreakdownCategory, string> = {
  input: "Input (data loading)",
  compute: "Compute (ops)",
  optimizer: "Optimizer",
  other: "Other host time",
};
const ORDER: readonly BreakdownCategory[] = ["input", "compute", "optimizer", "other"];

export function OverviewView({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchOverview);
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  const env = value.environment;
  return (
    <div class="profile-overview">
      <section class="profile-card wide">
        <h3>Step time breakdown</h3>
        {value.steps.length === 0 ? (
          <p class="muted">No steps in this trace.</p>
        ) : (
          <>
            <p class="profile-summary">
              <span data-testid="profile-steps">{value.steps.length}</span> steps, average{" "}
              <strong data-testid="profile-average">{formatMicros(value.average_step_us ?? 0)}</strong>
            </p>
            <div class="breakdown-bar" role="img" aria-label="step time breakdown">
              {ORDER.map((c) => (
                <div key={c} class={`breakdown-part cat-${c}`} style={{ width: `${value.breakdown[c].percent}%` }} title={`${CATEGORY_LABELS[c]}: ${value.breakdown[c].percent.toFixed(1)} %`} />
              ))}
            </div>
            <ul class="breakdown-legend">
              {ORDER.map((c) => (
                <li key={c} data-category={c}>
                  <span class={`swatch cat-${c}`} /> {CATEGORY_LABELS[c]}: <strong class="breakdown-percent">{value.breakdown[c].percent.toFixed(1)} %</strong>{" "}
                  <span class="muted">({formatMicros(value.breakdown[c].time_us)})</span>
                </li>
              ))}
            </ul>
            <table class="profile-table steps-table">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Duration</th>
                  {ORDER.map((c) => (
                    <th key={c}>{CATEGORY_LABELS[c]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {value.steps.map((st) => (
                  <tr key={`${st.name}-${st.start_us}`}>
                    <td>{st.step}</td>
                    <td>{formatMicros(st.duration_us)}</td>
                    {ORDER.map((c) => (
                      <td key={c}>{formatMicros(st.parts_us[c])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section class="profile-card">
        <h3>Recommendations</h3>
        <ul class="recommendations">
          {value.recommendations.map((r) => (
            <li key={r.kind} data-kind={r.kind}>
              {r.text}
            </li>
          ))}
        </ul>
      </section>
      <section class="profile-card">
        <h3>Environment</h3>
        <dl class="environment">
          <dt>Host</dt>
          <dd>{env.host_name ?? "—"}</dd>
          <dt>Devices</dt>
          <dd>{env.devices.length === 0 ? "CPU only" : env.devices.map((d) => String(d["name"] ?? "device")).join(", ")}</dd>
          <dt>Processes</dt>
          <dd>{env.processes.join(", ")}</dd>
          <dt>Spans</dt>
          <dd>{env.spans.toLocaleString()} on {env.threads} threads over {formatMicros(env.duration_us)}</dd>
          <dt>Options</dt>
          <dd>
            record_shapes {env.record_shapes ? "on" : "off"}, profile_memory {env.profile_memory ? "on" : "off"}
          </dd>
        </dl>
      </section>
      <section class="profile-card wide">
        <h3>Top ops by self time</h3>
        <table class="profile-table top-ops">
          <thead>
            <tr>
              <th>Op</th>
              <th>Calls</th>
              <th>Self</th>
              <th>Total</th>
              <th>Self %</th>
            </tr>
          </thead>
          <tbody>
            {value.top_ops.map((op) => (
              <tr key={`${op.name}\u0000${op.category}`}>
                <td class="op-name">{op.name}</td>
                <td>{op.calls}</td>
                <td>{formatMicros(op.self_us)}</td>
                <td>{formatMicros(op.total_us)}</td>
                <td>{op.self_percent.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
