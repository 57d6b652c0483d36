/** One (run, tag) distribution card: lazy fetch, live refetch, uPlot bands. */
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { fetchDistributions } from "../../api/histograms";
import { runColor } from "../../lib/colors";
import { formatStep } from "../../lib/format";
import * as s from "../../state/store";
import { CardFrame } from "../histograms/CardFrame";
import { themedColor } from "../histograms/colors";
import { useOnScreen } from "../../components/useOnScreen";
import { useSeriesSteps, useWidth } from "../histograms/hooks";
import { bandColumns } from "./bands";
import { DISTRIBUTION_HEIGHT, DistributionChart } from "./DistributionChart";

/** Steps asked for: nine numbers each, so far more than a histogram card's. */
const MAX_STEPS = 5000;

export function DistributionCard({ run, tag }: { run: string; tag: string }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const chart = useRef<DistributionChart | null>(null);
  const visible = useOnScreen(card);
  const width = useWidth(wrap);

  const axis = s.xAxis.value;
  const dark = s.dark.value;
  const color = themedColor(runColor(run), dark);

  const { data, error } = useSeriesSteps(run, tag, visible, (r, t, signal) =>
    fetchDistributions(r, t, MAX_STEPS, signal),
  );

  useEffect(() => {
    if (!host.current || !tip.current || data === null || data.length === 0 || width === 0) return;
    if (!chart.current) chart.current = new DistributionChart(host.current, tip.current);
    chart.current.update(bandColumns(data, axis), { axis, dark, color }, width);
  }, [data, axis, dark, color, width]);

  useEffect(() => () => chart.current?.destroy(), []);

  const last = data?.[data.length - 1];
  return (
    <CardFrame
      cardRef={card}
      run={run}
      tag={tag}
      testid="distribution-card"
      subtitle={last ? `${data?.length ?? 0} steps · last ${formatStep(last.step)}` : ""}
      png={() => chart.current?.png() ?? null}
    >
      <div class="distribution-host" ref={wrap} style={{ minHeight: `${DISTRIBUTION_HEIGHT}px` }}>
        <div class="chart" ref={host} data-testid="distribution-chart" />
        <div class="tooltip distribution-tip" ref={tip} hidden data-testid="distribution-tooltip" />
        {data === null && !error && <div class="chart-placeholder">{visible ? "Loading…" : ""}</div>}
        {data !== null && data.length === 0 && <div class="chart-placeholder">No steps yet.</div>}
        {error && <div class="chart-placeholder error">{error}</div>}
      </div>
    </CardFrame>
  );
}
