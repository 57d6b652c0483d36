/**
 * The runs table's calls: pages of run summaries (filtered and sorted by the server's run query
 * language), the columns an experiment offers, and scalar groups aggregated on the server.
 */
import { getJson } from "./client";
import { decodeFloat } from "./endpoints";
import type {
  GroupScalarsParams,
  GroupScalarsResponse,
  ListRunsParams,
  ListRunsResponse,
  RunColumnsResponse,
} from "./generated";

export type RunStatus = "running" | "finished" | "failed";
export type HParam = number | string | boolean;

export interface MetricSummary {
  last: number;
  min: number;
  max: number;
  lastStep: number;
}

/** One row of the runs table, floats decoded. */
export interface RunRow {
  name: string;
  startTime: number | null;
  lastWallTime: number | null;
  lastStep: number | null;
  status: RunStatus | null;
  hparams: Readonly<Record<string, HParam>>;
  metrics: Readonly<Record<string, MetricSummary>>;
}

export interface RunsPage {
  total: number;
  offset: number;
  rows: RunRow[];
}

export interface RunsQuery {
  where: string;
  sort: string;
  metrics: readonly string[];
}

export interface RunColumns {
  hparams: { name: string; type: "number" | "string" | "boolean" | "mixed"; runs: number }[];
  metrics: { tag: string; runs: number }[];
}

type WireRun = ListRunsResponse["runs"][number];

function toRow(run: WireRun): RunRow {
  const metrics: Record<string, MetricSummary> = {};
  for (const [tag, m] of Object.entries(run.metrics ?? {})) {
    metrics[tag] = {
      last: decodeFloat(m.last),
      min: decodeFloat(m.min),
      max: decodeFloat(m.max),
      lastStep: m.last_step,
    };
  }
  return {
    name: run.name,
    startTime: run.start_time,
    lastWallTime: run.last_wall_time ?? null,
    lastStep: run.last_step ?? null,
    status: run.status ?? null,
    hparams: run.hparams ?? {},
    metrics,
  };
}

/** One page of run summaries; a bad `where` or `sort` rejects with the server's 400 message. */
export async function fetchRunsPage(
  query: RunsQuery,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<RunsPage> {
  const params: ListRunsParams = { offset, limit, summary: true };
  if (query.where.trim()) params.where = query.where;
  if (query.sort) params.sort = query.sort;
  if (query.metrics.length > 0) params.metric = [...query.metrics];
  const page = await getJson<ListRunsResponse>("api/v1/runs", { ...params }, signal);
  return { total: page.total, offset: page.offset, rows: page.runs.map(toRow) };
}

/** The largest page the server gives. */
const MAX_PAGE = 10_000;

/** Every row matching ``query`` (CSV export, "select all matching"), a page of 10,000 at a time. */
export async function fetchAllRunRows(query: RunsQuery, signal?: AbortSignal): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (let offset = 0; ; offset += MAX_PAGE) {
    const page = await fetchRunsPage(query, offset, MAX_PAGE, signal);
    rows.push(...page.rows);
    if (page.rows.length < MAX_PAGE || rows.length >= page.total) return rows;
  }
}

export async function fetchRunColumns(signal?: AbortSignal): Promise<RunColumns> {
  return await getJson<RunColumnsResponse>("api/v1/runs/columns", {}, signal);
}

export type GroupBand = "minmax" | "std" | "ci95" | "none";

export interface GroupSeries {
  tag: string;
  steps: number[];
  center: number[];
  lower: number[];
  upper: number[];
  count: number[];
}

export interface RunGroupLine {
  label: string;
  runs: string[];
  series: GroupSeries[];
}

/** Runs grouped by hparams (``groupBy``) or a name regex, each tag's line and band per group. */
export async function fetchGroups(
  tags: readonly string[],
  how: { groupBy: readonly string[] } | { nameRegex: string },
  options: {
    center?: "mean" | "median";
    band?: GroupBand;
    points?: number;
    /** Python regex the run names must match. */
    regex?: string;
    runs?: readonly string[];
    exclude?: readonly string[];
  },
  signal?: AbortSignal,
): Promise<{ groups: RunGroupLine[]; ungrouped: number }> {
  const params: GroupScalarsParams = { tag: [...tags] };
  if ("groupBy" in how) params.group_by = [...how.groupBy];
  else params.name_regex = how.nameRegex;
  if (options.center) params.center = options.center;
  if (options.band) params.band = options.band;
  if (options.points) params.points = options.points;
  if (options.regex !== undefined) params.regex = options.regex;
  if (options.runs) params.run = [...options.runs];
  if (options.exclude) params.exclude = [...options.exclude];
  const answer = await getJson<GroupScalarsResponse>("api/v1/scalars/groups", { ...params }, signal);
  return {
    ungrouped: answer.ungrouped,
    groups: answer.groups.map((g) => ({
      label: g.label,
      runs: g.runs,
      series: g.series.map((s) => ({
        tag: s.tag,
        steps: s.steps,
        center: s.center.map(decodeFloat),
        lower: s.lower.map(decodeFloat),
        upper: s.upper.map(decodeFloat),
        count: s.count,
      })),
    })),
  };
}
