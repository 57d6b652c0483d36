/**
 * Heron's tables plugin (`add_table`): the steps of a table series, and one step's table with its
 * image cells turned into URLs the browser loads (and caches) itself. Wire shapes are from
 * docs/http-api.md and stay in this file.
 */
import { ApiError, getJson } from "./client";

interface TableStepWire {
  wall_time: number;
  step: number;
}

type CellWire = string | number | boolean | null | { image: string | null };

interface TableWire {
  wall_time: number;
  step: number;
  columns: string[];
  rows: CellWire[][];
}

export interface TableStep {
  step: number;
  wallTime: number;
}

/** A cell as shown: text, a number, a boolean, nothing, or an image (``url`` null when missing). */
export type TableCell = string | number | boolean | null | { imageUrl: string | null };

export interface Table {
  step: number;
  wallTime: number;
  columns: string[];
  rows: TableCell[][];
}

export async function fetchTableSteps(run: string, tag: string, signal?: AbortSignal): Promise<TableStep[]> {
  try {
    const wire = await getJson<TableStepWire[]>("data/plugin/table/tables", { run, tag }, signal);
    return wire.map((e) => ({ step: e.step, wallTime: e.wall_time }));
  } catch (error) {
    // The series went away between the listing and this call (a restarted run): no steps.
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

function cell(wire: CellWire): TableCell {
  if (wire !== null && typeof wire === "object") {
    return { imageUrl: wire.image === null ? null : `data/plugin/table/individualImage?${wire.image}` };
  }
  return wire;
}

export async function fetchTable(run: string, tag: string, step: number, signal?: AbortSignal): Promise<Table> {
  const wire = await getJson<TableWire>("data/plugin/table/table", { run, tag, step }, signal);
  return {
    step: wire.step,
    wallTime: wire.wall_time,
    columns: wire.columns,
    rows: wire.rows.map((row) => row.map(cell)),
  };
}
