/** The images toolbar: brightness and contrast (CSS filters, so no pixel is refetched) and fit vs actual size. */
import type { JSX } from "preact";
import * as m from "../media/mediaState";

function Factor({ label, value, onChange, testId }: { label: string; value: number; onChange: (v: number) => void; testId: string }): JSX.Element {
  return (
    <label class="field media-factor">
      <span>{label}</span>
      <input
        type="range"
        min={0}
        max={2}
        step={0.05}
        value={value}
        data-testid={testId}
        onInput={(e) => onChange(Number(e.currentTarget.value))}
        onDblClick={() => onChange(1)}
        title="Double-click to reset"
      />
      <span class="factor-value">{Math.round(value * 100)}%</span>
    </label>
  );
}

export function ImageControls(): JSX.Element {
  const changed = m.brightness.value !== 1 || m.contrast.value !== 1;
  return (
    <>
      <Factor label="Brightness" value={m.brightness.value} onChange={(v) => (m.brightness.value = v)} testId="brightness" />
      <Factor label="Contrast" value={m.contrast.value} onChange={(v) => (m.contrast.value = v)} testId="contrast" />
      <button
        class="icon-button small"
        disabled={!changed}
        onClick={() => {
          m.brightness.value = 1;
          m.contrast.value = 1;
        }}
        title="Reset brightness and contrast"
      >
        Reset
      </button>
      <div class="segmented" role="group" aria-label="Image size">
        <button class={m.imageSize.value === "fit" ? "on" : ""} onClick={() => (m.imageSize.value = "fit")} data-testid="size-fit">
          Fit
        </button>
        <button class={m.imageSize.value === "actual" ? "on" : ""} onClick={() => (m.imageSize.value = "actual")} data-testid="size-actual">
          Actual size
        </button>
      </div>
    </>
  );
}
