/**
 * Graph reads (`/data/plugin/graphs/info` and Heron's `/data/plugin/graphs/graph_json`,
 * docs/http-api.md): which graphs each run holds, and one graph as compact JSON so the browser
 * never parses protobuf text.
 */
import { getJson } from "./client";

interface GraphTagWire {
  tag: string;
  conceptual_graph: boolean;
  op_graph: boolean;
  profile: boolean;
}

type GraphInfoWire = Record<string, { run: string; run_graph: boolean; tags: Record<string, GraphTagWire> }>;

/** One graph a run holds: its run graph (tag null), a tag's op or conceptual graph, or a profile. */
export interface GraphChoice {
  run: string;
  tag: string | null;
  conceptual: boolean;
  /** Whether the answer carries step stats (compute time / memory). */
  profile: boolean;
  label: string;
}

export interface GraphInput {
  name: string;
  output: number;
  control: boolean;
}

export interface GraphNode {
  name: string;
  op: string;
  device: string;
  attrs: Record<string, string>;
  inputs: GraphInput[];
  /** Output shapes (-1 an unknown dim, null an unknown rank), or null when not recorded. */
  shapes: (number[] | null)[] | null;
}

export interface NodeStats {
  compute_micros: number;
  memory_bytes: number;
}

export interface GraphData {
  run: string;
  tag: string | null;
  kind: "run" | "op" | "conceptual";
  nodes: GraphNode[];
  stats: Record<string, NodeStats> | null;
}

/** Every graph of every run, runs in the server's (sorted) order, the run graph first. */
export function graphChoices(wire: GraphInfoWire): GraphChoice[] {
  const out: GraphChoice[] = [];
  for (const [run, entry] of Object.entries(wire)) {
    if (entry.run_graph) out.push({ run, tag: null, conceptual: false, profile: false, label: "Op graph (run)" });
    for (const [tag, info] of Object.entries(entry.tags)) {
      if (info.op_graph) out.push({ run, tag, conceptual: false, profile: info.profile, label: `${tag}: op graph${info.profile ? " + profile" : ""}` });
      if (info.conceptual_graph) out.push({ run, tag, conceptual: true, profile: false, label: `${tag}: conceptual (Keras)` });
      if (info.profile && !info.op_graph && entry.run_graph) out.push({ run, tag, conceptual: false, profile: true, label: `${tag}: run graph + profile` });
    }
  }
  return out;
}

export async function fetchGraphChoices(signal?: AbortSignal): Promise<GraphChoice[]> {
  return graphChoices(await getJson<GraphInfoWire>("data/plugin/graphs/info", {}, signal));
}

export async function fetchGraph(choice: GraphChoice, signal?: AbortSignal): Promise<GraphData> {
  const params = { run: choice.run, tag: choice.tag ?? undefined, conceptual: choice.conceptual ? "true" : undefined };
  return getJson<GraphData>("data/plugin/graphs/graph_json", params, signal);
}
