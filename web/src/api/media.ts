/**
 * The media plugins' routes, returning view-ready values: TensorBoard-compatible images, audio
 * and text, and Heron's own video and HTML (tables are in tables.ts). Wire shapes are from docs/http-api.md; they stay in this file, the features see only
 * the exported view types. Heron answers every step (TensorBoard samples 10 or 100).
 */
import { ApiError, getJson } from "./client";

interface MediaTagInfoWire {
  displayName: string;
  description: string;
  samples: number;
}
type MediaTagsWire = Record<string, Record<string, MediaTagInfoWire>>;

interface ImageEntryWire {
  wall_time: number;
  step: number;
  query: string;
}

interface AudioEntryWire {
  wall_time: number;
  step: number;
  label: string;
  contentType: string;
  query: string;
}

interface TextEntryWire {
  wall_time: number;
  step: number;
  text: string;
}

type TextTagsWire = Record<string, string[]>;

interface VideoEntryWire {
  wall_time: number;
  step: number;
  query: string;
}

interface HtmlEntryWire {
  wall_time: number;
  step: number;
  html: string;
}

/** Heron's HTML and table listings: `{run: {tag: {displayName, description}}}` (one card per tag). */
type PlainTagsWire = Record<string, Record<string, { displayName: string; description: string }>>;

/** One (run, tag) of a media plugin and how many samples (images or clips) its fullest step has. */
export interface MediaSeries {
  run: string;
  tag: string;
  samples: number;
}

/** One step of a blob series: ``url`` is where the browser gets the bytes. */
export interface BlobStep {
  step: number;
  wallTime: number;
  url: string;
  /** Audio only: the clip's label (often empty). */
  label: string;
}

export interface TextStep {
  step: number;
  wallTime: number;
  /** HTML rendered from Markdown and sanitised by the server (nh3, TensorBoard's allow-list). */
  html: string;
}

export interface HtmlStep {
  step: number;
  wallTime: number;
  /** The fragment exactly as logged: shown only inside a sandboxed iframe, never in the page. */
  html: string;
}

export type MediaPlugin = "images" | "audio" | "video";

function flattenTags(wire: MediaTagsWire): MediaSeries[] {
  const out: MediaSeries[] = [];
  for (const [run, tags] of Object.entries(wire)) {
    for (const [tag, info] of Object.entries(tags)) {
      out.push({ run, tag, samples: Math.max(1, info.samples) });
    }
  }
  return out;
}

export async function fetchMediaTags(plugin: MediaPlugin, signal?: AbortSignal): Promise<MediaSeries[]> {
  return flattenTags(await getJson<MediaTagsWire>(`data/plugin/${plugin}/tags`, {}, signal));
}

export async function fetchTextTags(signal?: AbortSignal): Promise<MediaSeries[]> {
  const wire = await getJson<TextTagsWire>("data/plugin/text/tags", {}, signal);
  const out: MediaSeries[] = [];
  for (const [run, tags] of Object.entries(wire)) for (const tag of tags) out.push({ run, tag, samples: 1 });
  return out;
}

/** Listings of one card per (run, tag): Heron's HTML and table plugins. */
export async function fetchPlainTags(plugin: "html" | "table", signal?: AbortSignal): Promise<MediaSeries[]> {
  const wire = await getJson<PlainTagsWire>(`data/plugin/${plugin}/tags`, {}, signal);
  const out: MediaSeries[] = [];
  for (const [run, tags] of Object.entries(wire)) for (const tag of Object.keys(tags)) out.push({ run, tag, samples: 1 });
  return out;
}

/** A run may lose a series between the tag listing and this call (a restart): no steps, not an error. */
async function orEmpty<T>(request: Promise<T[]>): Promise<T[]> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

export async function fetchImageSteps(
  run: string,
  tag: string,
  sample: number,
  signal?: AbortSignal,
): Promise<BlobStep[]> {
  const wire = await orEmpty(getJson<ImageEntryWire[]>("data/plugin/images/images", { run, tag, sample }, signal));
  return wire.map((e) => ({
    step: e.step,
    wallTime: e.wall_time,
    url: `data/plugin/images/individualImage?${e.query}`,
    label: "",
  }));
}

export async function fetchAudioSteps(
  run: string,
  tag: string,
  sample: number,
  signal?: AbortSignal,
): Promise<BlobStep[]> {
  const wire = await orEmpty(getJson<AudioEntryWire[]>("data/plugin/audio/audio", { run, tag, sample }, signal));
  return wire.map((e) => ({
    step: e.step,
    wallTime: e.wall_time,
    url: `data/plugin/audio/individualAudio?${e.query}`,
    label: e.label,
  }));
}

export async function fetchTextSteps(run: string, tag: string, signal?: AbortSignal): Promise<TextStep[]> {
  const wire = await getJson<TextEntryWire[]>("data/plugin/text/text", { run, tag }, signal);
  return wire.map((e) => ({ step: e.step, wallTime: e.wall_time, html: e.text }));
}

export async function fetchVideoSteps(
  run: string,
  tag: string,
  sample: number,
  signal?: AbortSignal,
): Promise<BlobStep[]> {
  const wire = await orEmpty(getJson<VideoEntryWire[]>("data/plugin/video/videos", { run, tag, sample }, signal));
  return wire.map((e) => ({
    step: e.step,
    wallTime: e.wall_time,
    url: `data/plugin/video/individualVideo?${e.query}`,
    label: "",
  }));
}

export async function fetchHtmlSteps(run: string, tag: string, signal?: AbortSignal): Promise<HtmlStep[]> {
  const wire = await orEmpty(getJson<HtmlEntryWire[]>("data/plugin/html/html", { run, tag }, signal));
  return wire.map((e) => ({ step: e.step, wallTime: e.wall_time, html: e.html }));
}

/** The bytes of a blob URL from above (the waveform preview decodes a clip itself). */
export async function fetchBytes(url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  const init: RequestInit = {};
  if (signal) init.signal = signal;
  const response = await fetch(url, init);
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}
