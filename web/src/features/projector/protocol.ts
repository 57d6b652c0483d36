/**
 * Messages between the dashboard and its projection worker. The worker owns the data (the tensor
 * is transferred to it, never copied) and the metadata columns; the main thread only ever gets
 * what it draws: positions, colours, match lists and a few labels.
 */
import type { LegendEntry } from "./colors";
import type { Metric, Neighbor } from "./neighbors";

/** Points t-SNE and UMAP run on at most; above it they run on a random sample of this size. */
export const SAMPLE_LIMIT = 10_000;

export interface ColumnInfo {
  name: string;
  distinct: number;
  numeric: boolean;
}

export interface Query {
  column: number;
  pattern: string;
}

export type Request =
  | { kind: "load"; id: number; tensor: ArrayBuffer; n: number; d: number }
  | { kind: "metadata"; id: number; metadata: ArrayBuffer }
  | { kind: "pca"; id: number; dims: 2 | 3 }
  | { kind: "tsne"; id: number; dims: 2 | 3; perplexity: number; learningRate: number; iterations: number }
  | { kind: "umap"; id: number; dims: 2 | 3; neighbors: number; minDist: number }
  | { kind: "custom"; id: number; left: Query; right: Query; down: Query; up: Query }
  | { kind: "stop"; id: number }
  | { kind: "colors"; id: number; column: number | null }
  | { kind: "search"; id: number; query: Query }
  | { kind: "neighbors"; id: number; index: number; k: number; metric: Metric; column: number | null }
  | { kind: "labels"; id: number; column: number | null; indices: number[] };

export type Response =
  | { kind: "loaded"; id: number; rows: number }
  | { kind: "metadata"; id: number; columns: ColumnInfo[]; metadataRows: number; ms: number }
  | { kind: "projection"; id: number; positions: Float32Array; dims: 2 | 3; shown: number; final: boolean; iteration: number; total: number; ms: number; variance?: number[]; note?: string }
  | { kind: "progress"; id: number; message: string; fraction: number }
  | { kind: "colors"; id: number; rgb: Uint8Array; legend: LegendEntry[]; gradient: boolean }
  | { kind: "search"; id: number; matches: Uint32Array }
  | { kind: "neighbors"; id: number; list: (Neighbor & { label: string })[] }
  | { kind: "labels"; id: number; labels: string[] }
  | { kind: "error"; id: number; message: string };
