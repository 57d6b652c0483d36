/**
 * The cards of a custom-scalars layout. A multiline chart is drawn by the scalars dashboard's own
 * chart (charts/ScalarChart.ts: smoothing, axes, log scales, zoom, tooltip and the shared
 * settings); a margin chart by MarginChart. Both fetch only once on screen, about one point per
 * pixel (the min/max envelope), and refetch when a tag they draw changed.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { LayoutChart, MarginSeries } from "../../api/customScalars";
import type { ScalarSeries } from "../../api/endpoints";
import { ScalarChart, Y_AXIS_WIDTH } from "../../charts/ScalarChart";
import { CardHeader } from "../../components/CardHeader";
import { runColor } from "../../lib/colors";
import type { DownloadSeries } from "../../lib/download";
import { pointsPerRun, type StepRange } from "../../lib/zoom";
import * as s from "../../state/store";
import { useOnScreen } from "../../components/useOnScreen";
import { useWidth } from "../histograms/hooks";
import { chartSettings } from "../scalars/chartSettings";
import { fetchPairs, pairKey } from "./data";
import { invalidPatterns, marginBand, marginRuns, multilineLines, type ChartLine } from "./layout";
import { MarginChart, MARGIN_CHART_HEIGHT, type BandLine } from "./MarginChart";

/** Widths are rounded to this before asking for points, so small resizes do not refetch. */
const WIDTH_STEP = 64;

/** The pairs' data, fetched while the card is on screen and again when one of its tags changed. */
function usePairs(
  card: { current: HTMLElement | null },
  pairs: readonly { run: string; tag: string }[],
  pointsPerPair: number,
  /** Zoomed in: only these steps, fetched at full resolution (as the scalar cards do). */
  range: StepRange | null = null,
): { data: ScalarSeries[] | null; error: string | null; visible: boolean } {
  const visible = useOnScreen(card);
  const [data, setData] = useState<ScalarSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetched = useRef("");
  const tags = [...new Set(pairs.map((p) => p.tag))];
  const versions = s.tagVersions.value;
  const version = tags.map((t) => versions.get(t) ?? 0).join(",");
  const pairsKey = pairs.map((p) => pairKey(p.run, p.tag)).join("\u0001");
  const tick = s.reloadTick.value;
  useEffect(() => {
    if (!visible) return undefined;
    const rangeKey = range ? `${range.start}-${range.end}` : "";
    const key = `${pairsKey}|${version}|${tick}|${pointsPerPair}|${rangeKey}`;
    if (key === fetched.current) return undefined;
    if (pairs.length === 0) {
      fetched.current = key;
      setData([]);
      return undefined;
    }
    const abort = new AbortController();
    fetchPairs(pairs, pointsPerPair, abort.signal, range).then(
      (series) => {
        fetched.current = key;
        setError(null);
        setData(series);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // pairs are named by pairsKey, the range by its bounds.
  }, [visible, pairsKey, version, tick, pointsPerPair, range?.start, range?.end]);
  return { data, error, visible };
}

/** Every point of the pairs (not the envelope on screen), each series named by its label. */
async function allPoints(pairs: readonly ChartLine[]): Promise<DownloadSeries[]> {
  const labels = new Map(pairs.map((p) => [pairKey(p.run, p.tag), p.label]));
  const all = await fetchPairs(pairs, undefined);
  return all.map((x) => ({ ...x, run: labels.get(pairKey(x.run, x.tag)) ?? `${x.run}: ${x.tag}` }));
}

function Placeholder({ data, error, visible, empty }: { data: unknown; error: string | null; visible: boolean; empty: string | null }): JSX.Element | null {
  if (error) return <div class="chart-placeholder error">{error}</div>;
  // Known without fetching: nothing of the selected runs matches.
  if (empty) return <div class="chart-placeholder">{empty}</div>;
  if (data === null) return <div class="chart-placeholder">{visible ? "Loading…" : ""}</div>;
  return null;
}

export function MultilineCard({ chart }: { chart: Extract<LayoutChart, { kind: "multiline" }> }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const drawn = useRef<ScalarChart | null>(null);
  const width = useWidth(wrap);
  const lines = multilineLines(chart.tags, s.scalarTags.value, s.shownRuns.value);
  const widthBucket = Math.max(WIDTH_STEP, Math.ceil((width - Y_AXIS_WIDTH) / WIDTH_STEP) * WIDTH_STEP);
  const [range, setRange] = useState<StepRange | null>(null);
  const { data, error, visible } = usePairs(card, lines, pointsPerRun(widthBucket, lines.length), range);
  const settings = chartSettings();
  const settingsKey = JSON.stringify(settings);
  const bad = invalidPatterns(chart.tags);

  useEffect(() => {
    if (!host.current || !tip.current || data === null || width === 0) return;
    if (!drawn.current) drawn.current = new ScalarChart(host.current, tip.current, setRange);
    drawn.current.resize(width);
    const labels = new Map(lines.map((l) => [pairKey(l.run, l.tag), l.label]));
    // The chart draws and colours a line by its `run` field: here the line's label.
    const columns = data
      .filter((x) => labels.has(pairKey(x.run, x.tag)))
      .map((x) => ({ ...x, run: labels.get(pairKey(x.run, x.tag)) as string }));
    drawn.current.update(columns, settings);
    // settings are named by settingsKey; lines only matter through data.
  }, [data, settingsKey, width]);
  useEffect(() => () => drawn.current?.destroy(), []);

  return (
    <div class="card cs-card" ref={card} data-testid="cs-card" data-kind="multiline" data-title={chart.title}>
      <CardHeader
        title={chart.title}
        badge={<span class="muted cs-kind">multiline</span>}
        series={() => allPoints(lines)}
        png={() => drawn.current?.png()}
      />
      <div class="chart-wrap" ref={wrap}>
        <div class="chart" ref={host} data-testid="chart" />
        <div class="tooltip" ref={tip} hidden />
        <Placeholder data={data} error={error} visible={visible} empty={lines.length === 0 ? "No scalar tag of the selected runs matches." : null} />
      </div>
      {lines.some((l) => l.label !== l.run) && (
        <div class="cs-legend" data-testid="cs-legend">
          {lines.map((l) => (
            <span key={l.label} title={l.label}>
              <i class="swatch" style={{ background: runColor(l.label) }} />
              <span class="cs-legend-name">{l.label}</span>
            </span>
          ))}
        </div>
      )}
      <div class="cs-patterns muted" title="Tag regexes, matched from the start of the tag">
        {chart.tags.map((t) => (
          <code key={t} class={bad.includes(t) ? "invalid" : ""}>
            {t}
          </code>
        ))}
      </div>
    </div>
  );
}

interface MarginPair extends ChartLine {
  /** Which series of the chart and which of its three tags. */
  series: number;
  part: "value" | "lower" | "upper";
}

function marginPairs(series: readonly MarginSeries[], scalarTags: ReadonlyMap<string, readonly string[]>, shown: Pick<ReadonlySet<string>, "has">): MarginPair[] {
  const pairs: MarginPair[] = [];
  series.forEach((m, i) => {
    for (const run of marginRuns(m, scalarTags, shown)) {
      const label = series.length === 1 ? run : `${run}: ${m.value}`;
      for (const part of ["value", "lower", "upper"] as const) {
        const tag = m[part];
        if ((scalarTags.get(tag) ?? []).includes(run)) pairs.push({ run, tag, label, series: i, part });
      }
    }
  });
  return pairs;
}

export function MarginCard({ chart }: { chart: Extract<LayoutChart, { kind: "margin" }> }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const drawn = useRef<MarginChart | null>(null);
  const width = useWidth(wrap);
  const pairs = marginPairs(chart.series, s.scalarTags.value, s.shownRuns.value);
  const widthBucket = Math.max(WIDTH_STEP, Math.ceil((width - Y_AXIS_WIDTH) / WIDTH_STEP) * WIDTH_STEP);
  // Bands need the three tags at the same steps: every point (a margin chart's series are short),
  // capped so that a long run still draws quickly.
  const { data, error, visible } = usePairs(card, pairs, Math.max(pointsPerRun(widthBucket, pairs.length), 2_000));
  const marginSettings = { smoothing: s.smoothing.value, smoother: s.smoother.value, dark: s.dark.value };

  useEffect(() => {
    if (!host.current || !tip.current || data === null || width === 0) return;
    if (!drawn.current) drawn.current = new MarginChart(host.current, tip.current);
    const found = new Map(data.map((x) => [pairKey(x.run, x.tag), x]));
    const bands: BandLine[] = [];
    const seen = new Set<string>();
    for (const p of pairs) {
      const id = `${p.series}\u0000${p.run}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const m = chart.series[p.series] as MarginSeries;
      const value = found.get(pairKey(p.run, m.value));
      if (!value) continue;
      bands.push({ run: p.run, label: p.label, band: marginBand(value, found.get(pairKey(p.run, m.lower)), found.get(pairKey(p.run, m.upper))) });
    }
    drawn.current.draw(bands, width, marginSettings);
    // pairs only matter through data.
  }, [data, width, JSON.stringify(marginSettings)]);
  useEffect(() => () => drawn.current?.destroy(), []);

  const named = pairs.map((p) => ({ ...p, label: `${p.label} (${p.part})` }));
  return (
    <div class="card cs-card" ref={card} data-testid="cs-card" data-kind="margin" data-title={chart.title}>
      <CardHeader
        title={chart.title}
        badge={<span class="muted cs-kind">margin</span>}
        series={() => allPoints(named)}
        png={() => drawn.current?.png()}
      />
      <div class="chart-wrap" ref={wrap} style={{ minHeight: `${MARGIN_CHART_HEIGHT}px` }}>
        <div class="chart" ref={host} data-testid="margin-chart" />
        <div class="tooltip" ref={tip} hidden />
        <Placeholder data={data} error={error} visible={visible} empty={pairs.length === 0 ? "None of the selected runs has these tags." : null} />
      </div>
      <div class="cs-patterns muted" title="value, lower and upper tags">
        {chart.series.map((m) => (
          <code key={m.value}>
            {m.value} · {m.lower} – {m.upper}
          </code>
        ))}
      </div>
    </div>
  );
}
