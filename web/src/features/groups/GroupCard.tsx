/**
 * One tag drawn as groups: the server pools the shown runs into groups and sends each group's
 * centre line and band on a common step grid (`/api/v1/scalars/groups`); the member runs can be
 * drawn faintly behind them. The x axis is the step: groups are aggregated by step.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useOnScreen } from "../../components/useOnScreen";
import { fetchScalars } from "../../api/endpoints";
import { fetchGroups, type RunGroupLine } from "../../api/runs";
import * as s from "../../state/store";
import { groupRunParams, groupTitle } from "./align";
import { GroupChart, groupColor, type MemberLine } from "./GroupChart";
import * as g from "./groupState";
import "./groups.css";

const GRID_POINTS = 200;
const MEMBER_POINTS = 200;

interface Drawn {
  groups: RunGroupLine[];
  members: MemberLine[];
  ungrouped: number;
}

export function GroupCard({ tag }: { tag: string }): JSX.Element {
  const card = useRef<HTMLDivElement>(null);
  const visible = useOnScreen(card, { once: true });
  const request = g.groupRequest.value;
  const center = g.groupCenter.value;
  const band = g.groupBand.value;
  const members = g.showMembers.value;
  // The filter goes to the server as a regex and the selection as names, so a filtered subset of
  // any size is grouped without the browser listing it.
  const filter = s.runFilterCompiled.value;
  const runs = filter.ok ? groupRunParams(s.selection.value, s.runFilter.value, filter.test) : "none";
  const version = (s.tagVersions.value.get(tag) ?? 0) + s.reloadTick.value * 1_000_000;
  const [data, setData] = useState<Drawn | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!visible || request === null || typeof runs === "string") {
      setData(null);
      return undefined;
    }
    const abort = new AbortController();
    const options = { center, band, points: GRID_POINTS, ...runs };
    fetchGroups([tag], request, options, abort.signal)
      .then(async (answer) => {
        let lines: MemberLine[] = [];
        if (members) {
          // Only members that have the tag: asking for a missing (run, tag) is a 404.
          const having = new Set(s.scalarTags.value.get(tag) ?? []);
          const groupOf = new Map<string, string>();
          for (const group of answer.groups) {
            for (const run of group.runs) if (having.has(run)) groupOf.set(run, group.label);
          }
          const series = await fetchScalars(tag, [...groupOf.keys()], MEMBER_POINTS, abort.signal);
          lines = series.map((one) => ({ run: one.run, group: groupOf.get(one.run) ?? "", xs: one.steps, ys: one.values }));
        }
        setData({ groups: answer.groups, members: lines, ungrouped: answer.ungrouped });
        setError(null);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [visible, tag, JSON.stringify(request), center, band, members, JSON.stringify(runs), version]);

  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const chart = useRef<GroupChart | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = host.current;
    if (!el || !tip.current) return undefined;
    chart.current = new GroupChart(el, tip.current);
    const observer = new ResizeObserver(() => setWidth(Math.round(el.clientWidth)));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
    };
  }, []);
  const dark = s.dark.value;
  useEffect(() => {
    // The data was fetched for the current centre and band: name those in the tooltip.
    if (data && width > 0) chart.current?.draw(tag, data.groups, data.members, width, dark, { center, band });
  }, [data, width, dark]);

  const withTag = data?.groups.filter((group) => group.series.some((line) => line.steps.length > 0)) ?? [];
  return (
    <div
      ref={card}
      class="card group-card"
      data-testid="group-card"
      data-tag={tag}
      data-groups={JSON.stringify(withTag.map((group) => group.label))}
      data-counts={JSON.stringify(withTag.map((group) => group.series[0]?.count ?? []))}
    >
      <div class="card-head">
        <h3 title={tag}>{tag}</h3>
        <span class="muted">{data ? `${withTag.length} groups` : ""}</span>
      </div>
      {runs === "too-many" && (
        <div class="filter-error">
          Too many runs picked one by one to name in a request: choose them with the run filter instead.
        </div>
      )}
      {runs === "none" && <div class="muted">No runs shown.</div>}
      {error !== null && (
        <div class="filter-error" role="alert" data-testid="group-error">
          {error}
        </div>
      )}
      <div class="chart-wrap">
        <div class="group-chart" ref={host} data-testid="group-chart" />
        <div class="tooltip group-tooltip" ref={tip} hidden data-testid="group-tooltip" />
      </div>
      <ul class="group-legend">
        {withTag.map((group) => (
          <li key={group.label} title={group.runs.join("\n")}>
            <i class="swatch" style={{ background: groupColor(group.label) }} />
            {groupTitle(group.label, group.runs.length)}
          </li>
        ))}
        {data !== null && data.ungrouped > 0 && <li class="muted">{data.ungrouped} runs not matched by the regex</li>}
      </ul>
    </div>
  );
}
