/**
 * Loading one embedding: the tensor is fetched as bytes and transferred to a fresh projection
 * worker (no copy on the main thread); the metadata TSV is fetched meanwhile and handed over as a
 * promise of bytes, which the view sends to the worker (to parse there) after its first
 * projection request; the sprite image is loaded as an <img>, bookmarks parsed. A newer run /
 * tensor choice abandons an older load.
 */
import { useEffect, useState } from "preact/hooks";
import { fetchBookmarks, fetchMetadata, fetchTensor, spriteUrl, type EmbeddingInfo } from "../../api/projector";
import { parseBookmarks, type Bookmark } from "./bookmarks";
import { WorkerClient } from "./workerClient";

export interface Loaded {
  worker: WorkerClient;
  n: number;
  d: number;
  /** The metadata TSV's bytes (null without one), still arriving when the tensor is loaded. */
  metadata: Promise<ArrayBuffer | null>;
  sprite: { image: HTMLImageElement; cell: number[] } | null;
  bookmarks: Bookmark[];
  /** When the load started (performance.now()), for the time-to-first-draw hook. */
  started: number;
  /** Milliseconds spent fetching the tensor. */
  fetchMs: number;
}

export type LoadState = { status: "idle" } | { status: "loading"; message: string } | { status: "error"; message: string } | { status: "ready"; loaded: Loaded };

function loadImage(url: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = url;
  });
}

export function useEmbedding(run: string | null, embedding: EmbeddingInfo | null): LoadState {
  const [state, setState] = useState<LoadState>({ status: "idle" });
  useEffect(() => {
    if (run === null || embedding === null) return;
    const abort = new AbortController();
    const worker = new WorkerClient();
    const name = embedding.tensorName;
    const started = performance.now();
    let alive = true;
    setState({ status: "loading", message: "Fetching the tensor…" });
    (async () => {
      const metadata = embedding.metadataPath ? fetchMetadata(run, name, abort.signal).catch(() => null) : Promise.resolve(null);
      const tensor = await fetchTensor(run, name, abort.signal);
      const shape = embedding.tensorShape ?? [];
      const d = shape.length === 2 && shape[1]! > 0 ? shape[1]! : 1;
      const n = Math.floor(tensor.byteLength / 4 / d);
      const fetchMs = performance.now() - started;
      if (!alive) return;
      setState({ status: "loading", message: `Reading ${n.toLocaleString()} points…` });
      const loaded = await worker.call({ kind: "load", tensor, n, d }, [tensor]);
      if (loaded.kind !== "loaded") throw new Error("unexpected answer from the projection worker");
      const [sprite, rawBookmarks] = await Promise.all([
        embedding.sprite?.imagePath ? loadImage(spriteUrl(run, name)) : Promise.resolve(null),
        embedding.bookmarksPath ? fetchBookmarks(run, name, abort.signal).catch(() => null) : Promise.resolve(null),
      ]);
      if (!alive) return;
      const cell = embedding.sprite?.singleImageDim ?? [];
      setState({
        status: "ready",
        loaded: {
          worker,
          n,
          d,
          metadata,
          sprite: sprite && cell.length === 2 ? { image: sprite, cell } : null,
          bookmarks: parseBookmarks(rawBookmarks, n),
          started,
          fetchMs,
        },
      });
    })().catch((e: unknown) => {
      if (alive) setState({ status: "error", message: e instanceof Error ? e.message : String(e) });
    });
    return () => {
      alive = false;
      abort.abort();
      worker.terminate();
    };
  }, [run, embedding]);
  return state;
}
