/**
 * One tag's card: every shown run's precision–recall curve at one step. The slider walks the steps
 * any run has (latest by default, following new steps live); each run draws its own nearest step.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchPrCurves, type PrCurveStep } from "../../api/prCurves";
import { IconDownload } from "../../components/icons";
import { saveUrl } from "../../components/saveFile";
import { runColor } from "../../lib/colors";
import { downloadName } from "../../lib/download";
import { formatStep } from "../../lib/format";
import * as s from "../../state/store";
import { useOnScreen } from "../../components/useOnScreen";
import { useWidth } from "../histograms/hooks";
import { useDataVersion } from "../media/hooks";
import { StepSlider } from "../media/StepSlider";
import { chooseIndex, shownIndex } from "../media/steps";
import { curveAt, unionSteps } from "./curve";
import { PR_CHART_HEIGHT, PrChart, type PrLine } from "./PrChart";

export function PrCurveCard({ tag, runs }: { tag: string; runs: readonly string[] }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const chart = useRef<PrChart | null>(null);
  const onScreen = useOnScreen(card);
  const seen = useRef(false);
  if (onScreen) seen.current = true;
  const width = useWidth(host);
  const version = useDataVersion(tag, onScreen);
  const [data, setData] = useState<Map<string, PrCurveStep[]> | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The chosen step; null follows the latest. */
  const [chosen, setChosen] = useState<number | null>(null);
  const runsKey = runs.join("\u0000");

  useEffect(() => {
    if (!seen.current || runs.length === 0) return undefined;
    const abort = new AbortController();
    fetchPrCurves(tag, runs, abort.signal).then(
      (byRun) => {
        setError(null);
        setData(byRun);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // `runs` is named by runsKey.
  }, [seen.current, tag, runsKey, version]);

  const steps = data ? unionSteps(data) : [];
  const index = shownIndex(steps, chosen);
  const step = chosen === null ? null : (steps[index] ?? null);
  const lines: PrLine[] = [];
  for (const run of runs) {
    const curve = curveAt(data?.get(run) ?? [], step);
    if (curve) lines.push({ run, curve });
  }
  const dark = s.dark.value;
  const linesKey = lines.map((l) => `${l.run}@${l.curve.step}`).join("|");

  useEffect(() => {
    if (!host.current || !tip.current || data === null || width === 0) return;
    if (!chart.current) chart.current = new PrChart(host.current, tip.current);
    chart.current.draw(lines, width, dark);
    // lines are named by linesKey (and data).
  }, [data, linesKey, width, dark]);

  useEffect(() => () => chart.current?.destroy(), []);

  const png = (): void => {
    const url = chart.current?.png();
    if (url) saveUrl(downloadName(tag, "png"), url);
  };

  return (
    <div class="card pr-card" ref={card} data-testid="pr-card" data-tag={tag}>
      <div class="card-head">
        <h3 title={tag}>{tag}</h3>
        <div class="card-actions">
          <button class="icon-button small" onClick={png} title="Download PNG">
            <IconDownload />
            <span>PNG</span>
          </button>
        </div>
      </div>
      <div class="chart-wrap pr-wrap" style={{ minHeight: `${PR_CHART_HEIGHT}px` }}>
        <div class="chart" ref={host} data-testid="pr-chart" />
        <div class="tooltip pr-tooltip" ref={tip} hidden />
        {data === null && !error && <div class="chart-placeholder">{onScreen ? "Loading…" : ""}</div>}
        {error && <div class="chart-placeholder error">{error}</div>}
      </div>
      {data && (
        <>
          <StepSlider steps={steps} index={index} onChange={(i) => setChosen(chooseIndex(steps, i))} />
          <div class="pr-legend">
            {lines.map((l) => (
              <span key={l.run} class="pr-legend-run" title={l.run}>
                <i class="swatch" style={{ background: runColor(l.run) }} />
                <span class="pr-legend-name">{l.run}</span>
                {l.curve.step !== steps[index] && <span class="muted"> · step {formatStep(l.curve.step)}</span>}
              </span>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
