/**
 * Mesh reads (TensorBoard's `/data/plugin/mesh` routes, docs/http-api.md): which meshes each run
 * has, the steps and config of one, and the raw little-endian arrays of one sample at one step.
 */
import { getBytes, getJson } from "./client";

type MeshTagsWire = Record<string, Record<string, { samples: number }>>;

interface MeshEntryWire {
  wall_time: number;
  step: number;
  content_type: number;
  components: number;
  config: string;
  data_shape: number[];
}

/** MeshPluginData.ContentType values. */
export const VERTEX = 1;
export const FACE = 2;
export const COLOR = 3;

export interface MeshTag {
  run: string;
  tag: string;
  samples: number;
}

/** One step of a mesh: which parts it has and the three.js config written with it. */
export interface MeshStep {
  step: number;
  wallTime: number;
  hasFaces: boolean;
  hasColors: boolean;
  /** Vertices per sample. */
  vertices: number;
  config: string;
}

export interface MeshArrays {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Vertex indices, three per triangle; null for a point cloud. */
  faces: Uint32Array | null;
  /** RGB bytes per vertex; null for the material's own colour. */
  colors: Uint8Array | null;
}

export async function fetchMeshTags(signal?: AbortSignal): Promise<MeshTag[]> {
  const wire = await getJson<MeshTagsWire>("data/plugin/mesh/tags", {}, signal);
  const out: MeshTag[] = [];
  for (const [run, tags] of Object.entries(wire)) {
    for (const [tag, info] of Object.entries(tags)) out.push({ run, tag, samples: Math.max(1, info.samples) });
  }
  return out;
}

/** The wire's one entry per component per step, folded into one value per step (ascending). */
export function decodeMeshSteps(wire: readonly MeshEntryWire[]): MeshStep[] {
  const bySteps = new Map<number, MeshStep>();
  for (const entry of wire) {
    let step = bySteps.get(entry.step);
    if (!step) {
      step = { step: entry.step, wallTime: entry.wall_time, hasFaces: false, hasColors: false, vertices: 0, config: entry.config };
      bySteps.set(entry.step, step);
    }
    if (entry.content_type === VERTEX) step.vertices = entry.data_shape[1] ?? 0;
    if (entry.content_type === FACE) step.hasFaces = true;
    if (entry.content_type === COLOR) step.hasColors = true;
  }
  return [...bySteps.values()].sort((a, b) => a.step - b.step);
}

export async function fetchMeshSteps(run: string, tag: string, signal?: AbortSignal): Promise<MeshStep[]> {
  const wire = await getJson<MeshEntryWire[]>("data/plugin/mesh/meshes", { run, tag }, signal);
  return decodeMeshSteps(wire);
}

async function part(run: string, tag: string, kind: string, step: number, sample: number, signal?: AbortSignal): Promise<ArrayBuffer> {
  return getBytes("data/plugin/mesh/data", { run, tag, content_type: kind, step, sample }, signal);
}

export async function fetchMeshArrays(
  run: string,
  tag: string,
  step: MeshStep,
  sample: number,
  signal?: AbortSignal,
): Promise<MeshArrays> {
  const [positions, faces, colors] = await Promise.all([
    part(run, tag, "VERTEX", step.step, sample, signal),
    step.hasFaces ? part(run, tag, "FACE", step.step, sample, signal) : Promise.resolve(null),
    step.hasColors ? part(run, tag, "COLOR", step.step, sample, signal) : Promise.resolve(null),
  ]);
  return {
    positions: new Float32Array(positions),
    // int32 on the wire; indices are never negative, and three.js wants unsigned ones.
    faces: faces === null ? null : new Uint32Array(faces),
    colors: colors === null ? null : new Uint8Array(colors),
  };
}
