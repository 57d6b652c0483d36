import type { JSX } from "preact";
import { SMOOTHING_MAX, SMOOTHING_MIN, type Smoother } from "../lib/smoothing";
import { X_AXES, type XAxis } from "../lib/urlState";
import * as s from "../state/store";
import { settingsFor } from "./settingsScope";

const AXIS_LABEL: Record<XAxis, string> = { step: "Step", relative: "Relative", wall: "Wall" };

export function SettingsPanel(): JSX.Element {
  // Only the settings the open dashboard uses (smoothing means nothing on the images tab).
  const show = settingsFor(s.tab.value);
  return (
    <section class="settings" aria-label="Settings">
      {show.size === 0 && <div class="hint">No shared settings apply here: this dashboard's own controls are at its top.</div>}
      {show.has("smoothing") && (
        <label class="field smoothing">
          <span>Smoothing</span>
          <input
            type="range"
            min={SMOOTHING_MIN}
            max={SMOOTHING_MAX}
            step={0.001}
            value={s.smoothing.value}
            onInput={(e) => (s.smoothing.value = Number(e.currentTarget.value))}
            data-testid="smoothing-slider"
          />
          <input
            type="number"
            class="number"
            min={SMOOTHING_MIN}
            max={SMOOTHING_MAX}
            step={0.01}
            value={s.smoothing.value}
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isFinite(v)) s.smoothing.value = Math.min(Math.max(v, SMOOTHING_MIN), SMOOTHING_MAX);
            }}
            data-testid="smoothing-input"
          />
          <select
            class="select"
            value={s.smoother.value}
            onChange={(e) => (s.smoother.value = e.currentTarget.value as Smoother)}
            title="EMA: TensorBoard's (lags behind the data). Centered and Gaussian look both ways."
            data-testid="smoother"
          >
            <option value="ema">EMA (TensorBoard)</option>
            <option value="centered">Centered average</option>
            <option value="gaussian">Gaussian</option>
          </select>
        </label>
      )}
      {show.has("xAxis") && (
        <div class="field">
          <span>X axis</span>
          <div class="segmented" role="radiogroup">
            {X_AXES.map((axis) => (
              <button
                key={axis}
                role="radio"
                aria-checked={s.xAxis.value === axis}
                class={s.xAxis.value === axis ? "on" : ""}
                onClick={() => (s.xAxis.value = axis)}
              >
                {AXIS_LABEL[axis]}
              </button>
            ))}
          </div>
        </div>
      )}
      {show.has("scale") && (
          <>
          <label class="field check">
            <input type="checkbox" checked={s.logY.value} onChange={(e) => (s.logY.value = e.currentTarget.checked)} />
            <span>Log y</span>
          </label>
          <label class="field check">
            <input
              type="checkbox"
              checked={s.logX.value}
              disabled={s.xAxis.value === "wall"}
              onChange={(e) => (s.logX.value = e.currentTarget.checked)}
            />
            <span>Log x</span>
          </label>
          <label class="field check">
            <input
              type="checkbox"
              checked={s.ignoreOutliers.value}
              onChange={(e) => (s.ignoreOutliers.value = e.currentTarget.checked)}
            />
            <span>Ignore outliers</span>
          </label>
        </>
      )}
      {show.has("tooltip") && (
        <label class="field">
          <span>Tooltip</span>
          <select
            class="select"
            value={s.tooltipSort.value}
            onChange={(e) => (s.tooltipSort.value = e.currentTarget.value as s.TooltipSort)}
          >
            <option value="descending">Highest first</option>
            <option value="ascending">Lowest first</option>
            <option value="nearest">Nearest to cursor</option>
            <option value="alphabetical">Alphabetical</option>
            <option value="default">Run order</option>
          </select>
        </label>
      )}
      {show.has("cards") && (
        <div class="field">
          <span>Cards</span>
          <div class="segmented" role="radiogroup">
            {(["small", "medium", "large"] as const).map((size) => (
              <button
                key={size}
                role="radio"
                aria-checked={s.cardSize.value === size}
                class={s.cardSize.value === size ? "on" : ""}
                onClick={() => (s.cardSize.value = size)}
                data-testid={`card-size-${size}`}
              >
                {size === "small" ? "S" : size === "medium" ? "M" : "L"}
              </button>
            ))}
          </div>
        </div>
      )}
      <div class="hint">
        <kbd>/</kbd> filter tags · <kbd>r</kbd> reload
        {show.has("zoom") && " · drag to zoom, double-click to reset"}
      </div>
    </section>
  );
}
