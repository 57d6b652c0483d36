/**
 * Every run's hparams and metric aggregates in one answer (`/api/v1/runs/table`), for views that
 * draw all runs at once. The server sends columns (one list of names, one list per hparam and per
 * metric aggregate) rather than row objects, so 100,000 runs cost one request and no repeated keys;
 * they are turned into `RunRow`s here, which is what the views already consume.
 */
import { getJson } from "./client";
import { decodeFloat } from "./endpoints";
import type { RunTableParams, RunTableResponse } from "./generated";
import type { HParam, MetricSummary, RunRow } from "./runs";

export interface RunTableQuery {
  regex?: string;
  where?: string;
  metrics: readonly string[];
}

type WireFloat = RunTableResponse["metrics"][string]["last"][number];

function optionalFloat(value: WireFloat | undefined): number | null {
  return value === null || value === undefined ? null : decodeFloat(value);
}

/** Rows from the columns: a run lacking an hparam or a metric (null) simply has no entry. */
export function rowsFromColumns(table: RunTableResponse): RunRow[] {
  const hparams = Object.entries(table.hparams);
  const metrics = Object.entries(table.metrics);
  return table.names.map((name, i) => {
    const values: Record<string, HParam> = {};
    for (const [key, column] of hparams) {
      const value = column[i];
      if (value !== null && value !== undefined) values[key] = value;
    }
    const summaries: Record<string, MetricSummary> = {};
    for (const [tag, column] of metrics) {
      const last = optionalFloat(column.last[i]);
      const step = column.last_step[i];
      if (last === null || step === null || step === undefined) continue;
      summaries[tag] = {
        last,
        min: optionalFloat(column.min[i]) ?? Number.NaN,
        max: optionalFloat(column.max[i]) ?? Number.NaN,
        lastStep: step,
      };
    }
    return { name, startTime: null, lastWallTime: null, lastStep: null, status: null, hparams: values, metrics: summaries };
  });
}

export async function fetchRunTable(query: RunTableQuery, signal?: AbortSignal): Promise<RunRow[]> {
  const params: RunTableParams = { metric: [...query.metrics] };
  if (query.regex) params.regex = query.regex;
  if (query.where) params.where = query.where;
  return rowsFromColumns(await getJson<RunTableResponse>("api/v1/runs/table", { ...params }, signal));
}
