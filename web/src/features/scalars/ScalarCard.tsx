/**
 * One tag's card. It fetches only while on screen (IntersectionObserver), asks the server for
 * about one point per pixel of width (the min/max envelope, so nothing is hidden), and refetches
 * when its own tag changed (live updates), not when other cards' data did.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useOnScreen } from "../../components/useOnScreen";
import { fetchScalars, type ScalarSeries } from "../../api/endpoints";
import { CHART_HEIGHT, ScalarChart, Y_AXIS_WIDTH } from "../../charts/ScalarChart";
import { CardHeader, CardToggle } from "../../components/CardHeader";
import { IconExpand, IconPin, IconTable } from "../../components/icons";
import { pointsPerRun, type StepRange } from "../../lib/zoom";
import { runColor } from "../../lib/colors";
import { formatStep, formatValue } from "../../lib/format";
import type { Smoother } from "../../lib/smoothing";
import { summarize } from "../../lib/summary";
import * as s from "../../state/store";
import { chartSettings } from "./chartSettings";

/** Widths are rounded to this before asking for points, so small resizes do not refetch. */
const WIDTH_STEP = 64;
function useSize(ref: { current: HTMLElement | null }): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => setSize({ width: el.clientWidth, height: el.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

function DataTable({
  data,
  smoothing,
  smoother,
}: {
  data: readonly ScalarSeries[];
  smoothing: number;
  smoother: Smoother;
}): JSX.Element {
  const rows = data.map((series) => summarize(series, smoothing, smoother));
  rows.sort((a, b) => (b.smoothed ?? Number.NEGATIVE_INFINITY) - (a.smoothed ?? Number.NEGATIVE_INFINITY));
  return (
    <table class="data-table" data-testid="data-table">
      <thead>
        <tr>
          <th>Run</th>
          <th>Step</th>
          <th>Value</th>
          {smoothing > 0 && <th>Smoothed</th>}
          <th>Min</th>
          <th>Max</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.run}>
            <td class="run">
              <i class="swatch" style={{ background: runColor(row.run) }} />
              {row.run}
            </td>
            <td class="num">{row.lastStep === null ? "–" : formatStep(row.lastStep)}</td>
            <td class="num">{formatValue(row.last)}</td>
            {smoothing > 0 && <td class="num">{formatValue(row.smoothed)}</td>}
            <td class="num">{formatValue(row.min)}</td>
            <td class="num">{formatValue(row.max)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ScalarCard({ tag }: { tag: string }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const chart = useRef<ScalarChart | null>(null);
  const visible = useOnScreen(card);
  const { width, height: wrapHeight } = useSize(wrap);
  const [full, setFull] = useState(false);
  const [showTable, setShowTable] = useState(false);
  const chartHeight = full ? wrapHeight : CHART_HEIGHT;
  const [data, setData] = useState<ScalarSeries[] | null>(null);
  /** The step range ``data`` covers (null: every step). */
  const [dataRange, setDataRange] = useState<StepRange | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetchedKey = useRef("");
  /** Zoomed in: the steps in view, fetched alone at full resolution. */
  const [range, setRange] = useState<StepRange | null>(null);

  const shown = s.shownRuns.value;
  const runs = (s.scalarTags.value.get(tag) ?? []).filter((r) => shown.has(r)).sort();
  const runsKey = runs.join("\u0000");
  const version = s.tagVersions.value.get(tag) ?? 0;
  const tick = s.reloadTick.value;
  // The plot's own width (the chart's less its y axis), in steps of WIDTH_STEP.
  const plotWidth = width - Y_AXIS_WIDTH;
  const widthBucket = Math.max(WIDTH_STEP, Math.ceil(plotWidth / WIDTH_STEP) * WIDTH_STEP);
  // About one point per pixel (fewer for charts of very many runs), of the whole series or,
  // zoomed in, of the steps in view only.
  const maxPoints = pointsPerRun(widthBucket, runs.length);
  const rangeKey = range ? `${range.start}-${range.end}` : "";
  const settings = chartSettings();
  const settingsKey = JSON.stringify(settings);
  const pinned = s.pinned.value.includes(tag);

  const measured = width > 0;
  useEffect(() => {
    if (!visible || !measured) return undefined;
    const key = `${runsKey}|${version}|${tick}|${maxPoints}|${rangeKey}`;
    if (key === fetchedKey.current) return undefined;
    if (runs.length === 0) {
      fetchedKey.current = key;
      setData([]);
      return undefined;
    }
    const abort = new AbortController();
    const asked = range;
    fetchScalars(tag, runs, maxPoints, abort.signal, asked).then(
      (series) => {
        fetchedKey.current = key;
        setError(null);
        setDataRange(asked);
        setData(series);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // `runs` is derived from runsKey and `range` from rangeKey; the width counts through
    // maxPoints (rounded), so that resizing by a few pixels neither refetches nor cancels a
    // request in flight.
  }, [visible, runsKey, version, tick, maxPoints, rangeKey, tag, measured]);

  useEffect(() => {
    if (!host.current || !tip.current || data === null || width === 0) return;
    if (!chart.current) {
      chart.current = new ScalarChart(host.current, tip.current, setRange);
    }
    chart.current.resize(width, chartHeight);
    // settings is captured through settingsKey.
    chart.current.update(data, settings);
    // Beside the chart's own data attributes: the steps drawn (empty: all of them).
    host.current.dataset["startStep"] = dataRange ? String(dataRange.start) : "";
    host.current.dataset["endStep"] = dataRange ? String(dataRange.end) : "";
  }, [data, dataRange, settingsKey, width, chartHeight]);

  useEffect(() => {
    if (!full) return undefined;
    const close = (e: KeyboardEvent): void => {
      if (e.key === "Escape") setFull(false);
    };
    addEventListener("keydown", close);
    return () => removeEventListener("keydown", close);
  }, [full]);

  useEffect(() => () => chart.current?.destroy(), []);

  return (
    <div class={`card ${pinned ? "pinned" : ""} ${full ? "fullscreen" : ""}`} ref={card} data-tag={tag} data-testid="scalar-card">
      <CardHeader title={tag} series={() => fetchScalars(tag, runs, undefined)} png={() => chart.current?.png()}>
        <CardToggle on={showTable} onClick={() => setShowTable(!showTable)} title="Data table" testid="table-toggle">
          <IconTable />
        </CardToggle>
        <CardToggle on={full} onClick={() => setFull(!full)} title={full ? "Leave full screen (Esc)" : "Full screen"} testid="fullscreen">
          <IconExpand />
        </CardToggle>
        <CardToggle on={pinned} onClick={() => s.togglePin(tag)} title={pinned ? "Unpin" : "Pin to the top"} testid="pin">
          <IconPin />
        </CardToggle>
      </CardHeader>
      <div class="chart-wrap" ref={wrap}>
        <div class="chart" ref={host} data-testid="chart" />
        <div class="tooltip" ref={tip} hidden />
        {data === null && !error && <div class="chart-placeholder">{visible ? "Loading…" : ""}</div>}
        {error && <div class="chart-placeholder error">{error}</div>}
      </div>
      {showTable && data && <DataTable data={data} smoothing={settings.smoothing} smoother={settings.smoother} />}
    </div>
  );
}
