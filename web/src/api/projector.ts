/**
 * Projector reads (TensorBoard's `/data/plugin/projector` routes, docs/http-api.md): runs with a
 * projector config, each run's embeddings, and an embedding's files. The tensor comes as raw
 * little-endian float32 bytes (never JSON: a million points would be hundreds of MB of text), and
 * the metadata TSV as bytes too, so both can be handed to a worker without a copy.
 */
import { ApiError, getBytes, getJson } from "./client";

const BASE = "data/plugin/projector";

/** One embedding of a run's `projector_config.pbtxt` (proto JSON, camelCase). */
export interface EmbeddingInfo {
  tensorName: string;
  /** [rows, dims]; filled in by the server for TSV tensors. */
  tensorShape?: number[];
  metadataPath?: string;
  bookmarksPath?: string;
  sprite?: { imagePath?: string; singleImageDim?: number[] };
}

export interface ProjectorInfo {
  embeddings?: EmbeddingInfo[];
}

export const fetchProjectorRuns = (signal?: AbortSignal): Promise<string[]> =>
  getJson<string[]>(`${BASE}/runs`, {}, signal);

export const fetchProjectorInfo = (run: string, signal?: AbortSignal): Promise<ProjectorInfo> =>
  getJson<ProjectorInfo>(`${BASE}/info`, { run }, signal);

export const fetchTensor = (run: string, name: string, signal?: AbortSignal): Promise<ArrayBuffer> =>
  getBytes(`${BASE}/tensor`, { run, name }, signal);

export const fetchMetadata = (run: string, name: string, signal?: AbortSignal): Promise<ArrayBuffer> =>
  getBytes(`${BASE}/metadata`, { run, name }, signal, "text/tab-separated-values");

/** The bookmarks JSON, or null when the embedding names none (a 404). */
export async function fetchBookmarks(run: string, name: string, signal?: AbortSignal): Promise<unknown> {
  try {
    const bytes = await getBytes(`${BASE}/bookmarks`, { run, name }, signal, "application/json");
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** The sprite image's URL (an <img> / texture loads it; the browser caches it). */
export function spriteUrl(run: string, name: string): string {
  return `${BASE}/sprite_image?${new URLSearchParams({ run, name }).toString()}`;
}
