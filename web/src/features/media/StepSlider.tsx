/** A step slider over the steps that have data (so it always lands on one), with the step shown. */
import type { JSX } from "preact";
import { formatStep } from "../../lib/format";

export function StepSlider({
  steps,
  index,
  onChange,
}: {
  steps: readonly number[];
  index: number;
  onChange: (index: number) => void;
}): JSX.Element {
  const step = steps[index];
  return (
    <div class="step-slider">
      <span class="step-label" data-testid="step">
        step <b>{step === undefined ? "–" : formatStep(step)}</b>
      </span>
      {steps.length > 1 && (
        <input
          type="range"
          min={0}
          max={steps.length - 1}
          step={1}
          value={index}
          aria-label="Step"
          data-testid="step-slider"
          onInput={(e) => onChange(Number(e.currentTarget.value))}
        />
      )}
      <span class="muted step-count">
        {index + 1}/{steps.length}
      </span>
    </div>
  );
}
