/**
 * One (run, tag) histogram card. Fetches only while on screen, refetches when its tag changed
 * (live updates) or on reload, and hands the steps to the canvas drawer, which redraws only
 * when the picture would change.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchHistograms, type HistogramStep } from "../../api/histograms";
import { runColor } from "../../lib/colors";
import { formatStep } from "../../lib/format";
import * as s from "../../state/store";
import { CardFrame, TOOLTIP_OFFSET } from "./CardFrame";
import { themedColor } from "./colors";
import { describeHover, HistogramCanvas, type Hover } from "./HistogramCanvas";
import { useOnScreen } from "../../components/useOnScreen";
import { useSeriesSteps, useWidth } from "./hooks";
import { histogramMode } from "./mode";
import { formatTime } from "./timeAxis";

export const HISTOGRAM_HEIGHT = 250;
/**
 * Steps asked for (the server spreads them evenly and keeps the last): one per pixel row of the
 * chart, more than a ridge plot can tell apart. Steps are heavy (TensorFlow-style buckets are
 * ~600 per step), so asking for every step of a long run would fetch megabytes per card.
 */
const MAX_STEPS = HISTOGRAM_HEIGHT;

/**
 * The card's step count. At the cap the server has spread the steps over the run (always keeping
 * the last), so the card says they are a sample rather than every step.
 */
function stepsNote(count: number, lastStep: number): string {
  const sampled = count >= MAX_STEPS ? " sampled evenly" : "";
  return `${count} steps${sampled} · last ${formatStep(lastStep)}`;
}

interface Tip {
  hover: Hover;
  step: HistogramStep;
}

export function HistogramCard({ run, tag }: { run: string; tag: string }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const drawer = useRef<HistogramCanvas | null>(null);
  const visible = useOnScreen(card);
  const width = useWidth(host);
  const [tip, setTip] = useState<Tip | null>(null);

  const mode = histogramMode.value;
  const axis = s.xAxis.value;
  const dark = s.dark.value;
  const color = themedColor(runColor(run), dark);

  const { data, error } = useSeriesSteps(run, tag, visible, (r, t, signal) =>
    fetchHistograms(r, t, MAX_STEPS, signal),
  );

  useEffect(() => {
    if (!host.current || data === null || width === 0) return;
    if (!drawer.current) {
      drawer.current = new HistogramCanvas(host.current, (hover, step) =>
        setTip(hover && step ? { hover, step } : null),
      );
    }
    drawer.current.update(data, { mode, axis, dark, color }, width, HISTOGRAM_HEIGHT);
  }, [data, mode, axis, dark, color, width]);

  useEffect(() => () => drawer.current?.destroy(), []);

  const last = data?.[data.length - 1];
  return (
    <CardFrame
      cardRef={card}
      run={run}
      tag={tag}
      testid="histogram-card"
      subtitle={last ? stepsNote(data?.length ?? 0, last.step) : ""}
      png={() => drawer.current?.png() ?? null}
    >
      <div class="histogram-host" ref={host} style={{ height: `${HISTOGRAM_HEIGHT}px` }}>
        {data === null && !error && <div class="chart-placeholder">{visible ? "Loading…" : ""}</div>}
        {data !== null && data.length === 0 && <div class="chart-placeholder">No steps yet.</div>}
        {error && <div class="chart-placeholder error">{error}</div>}
        {tip && <HistogramTip tip={tip} width={width} firstWall={data?.[0]?.wallTime ?? 0} />}
      </div>
    </CardFrame>
  );
}

function HistogramTip({ tip, width, firstWall }: { tip: Tip; width: number; firstWall: number }): JSX.Element {
  const { range, count } = describeHover(tip.step, tip.hover.value);
  const axis = s.xAxis.value;
  // Keep the box inside the card: flip to the left of the pointer past the middle.
  const flip = tip.hover.x > width / 2;
  const style = {
    top: `${Math.max(4, tip.hover.y - 60)}px`,
    ...(flip
      ? { right: `${width - tip.hover.x + TOOLTIP_OFFSET}px` }
      : { left: `${tip.hover.x + TOOLTIP_OFFSET}px` }),
  };
  return (
    <div class="tooltip histogram-tip" style={style} data-testid="histogram-tooltip">
      <div class="x">Step {formatStep(tip.step.step)}</div>
      <table>
        <tbody>
          {axis !== "step" && (
            <tr>
              <th>{axis === "relative" ? "Relative" : "Wall"}</th>
              <td class="num">{formatTime(axis, axis === "relative" ? tip.step.wallTime - firstWall : tip.step.wallTime)}</td>
            </tr>
          )}
          <tr>
            <th>Bucket</th>
            <td class="num">{range}</td>
          </tr>
          <tr>
            <th>Count</th>
            <td class="num">{count}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
