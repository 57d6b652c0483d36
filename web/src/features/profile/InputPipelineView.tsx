/**
 * Input pipeline: per step, how long the training loop waited for its batch, as stacked bars
 * (waiting for input vs the rest of the step) under a one-line verdict. The numbers are the
 * overview's (the server's `input_pipeline`), so the verdict and the overview's recommendation
 * always agree.
 */
import type { JSX } from "preact";
import { fetchOverview, type InputPipeline, type ProfileKey } from "../../api/profile";
import { formatMicros } from "./opSort";
import { useCaptureFetch } from "./useFetch";

const HEIGHT = 220;
const AXIS = 56;

function StepBars({ pipeline }: { pipeline: InputPipeline }): JSX.Element {
  const steps = pipeline.steps;
  const longest = Math.max(...steps.map((s) => s.duration_us), 1);
  const slot = Math.max(18, Math.min(80, 640 / steps.length));
  const bar = slot * 0.7;
  const width = AXIS + slot * steps.length + 8;
  const y = (us: number): number => HEIGHT - 20 - ((HEIGHT - 30) * us) / longest;
  return (
    <svg class="input-bars" viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label="input wait per step">
      <line x1={AXIS} x2={width} y1={y(0)} y2={y(0)} class="axis-line" />
      <text x={AXIS - 6} y={y(longest) + 4} class="axis-label" text-anchor="end">{formatMicros(longest)}</text>
      <text x={AXIS - 6} y={y(0) + 4} class="axis-label" text-anchor="end">0</text>
      {steps.map((s, i) => {
        const x = AXIS + i * slot + (slot - bar) / 2;
        return (
          <g key={s.step} class="input-step" data-step={s.step}>
            <title>{`step ${s.step}: ${formatMicros(s.wait_us)} waiting for input of ${formatMicros(s.duration_us)} (${s.percent.toFixed(1)} %)`}</title>
            <rect x={x} width={bar} y={y(s.duration_us)} height={y(s.wait_us) - y(s.duration_us)} class="cat-compute" />
            <rect x={x} width={bar} y={y(s.wait_us)} height={y(0) - y(s.wait_us)} class="cat-input input-wait" />
            <text x={x + bar / 2} y={HEIGHT - 5} class="axis-label" text-anchor="middle">{s.step}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function InputPipelineView({ capture }: { capture: ProfileKey }): JSX.Element {
  const { value, error } = useCaptureFetch(capture, fetchOverview);
  if (error !== null) return <div class="empty error">{error}</div>;
  if (value === null) return <div class="empty">Loading…</div>;
  const pipeline = value.input_pipeline;
  return (
    <div class="profile-input">
      <section class="profile-card">
        <h3>Input pipeline</h3>
        <p class={`input-verdict verdict-${pipeline.kind}`} data-kind={pipeline.kind}>
          {pipeline.verdict}
        </p>
        {pipeline.steps.length > 0 && pipeline.kind !== "no_input_events" && (
          <>
            <p class="muted">
              {formatMicros(pipeline.wait_us)} waiting for input over {pipeline.steps.length} steps ({formatMicros(pipeline.step_us)}).
            </p>
            <StepBars pipeline={pipeline} />
            <ul class="breakdown-legend">
              <li>
                <span class="swatch cat-input" /> Waiting for input
              </li>
              <li>
                <span class="swatch cat-compute" /> Rest of the step
              </li>
            </ul>
            <table class="profile-table input-table">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Step time</th>
                  <th>Waiting for input</th>
                  <th>% of step</th>
                </tr>
              </thead>
              <tbody>
                {pipeline.steps.map((s) => (
                  <tr key={s.step} data-step={s.step}>
                    <td>{s.step}</td>
                    <td class="num">{formatMicros(s.duration_us)}</td>
                    <td class="num">{formatMicros(s.wait_us)}</td>
                    <td class="num input-percent">{s.percent.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
