/**
 * The projection worker: holds the embedding (transferred, not copied) and its metadata, and does
 * all the math — PCA, t-SNE, UMAP, custom projections, neighbours, searches, colours — so the
 * page never stalls, even at a million points. Long jobs (t-SNE, UMAP) yield between iterations,
 * so a "stop" or a newer request is seen promptly.
 */
import { UMAP } from "umap-js";
import { colorBy, uniformColoring } from "./colors";
import { customAxes, customProjection } from "./custom";
import { compileSearch, parseMetadata, searchColumn, type Metadata } from "./metadata";
import { nearestNeighbors } from "./neighbors";
import { columnMeans, pca } from "./pca";
import { SAMPLE_LIMIT, type Query, type Request, type Response } from "./protocol";
import { fitPositions, sampleRows } from "./layout";
import { affinities, rng, Tsne, TSNE_LIMIT } from "./tsne";

interface Scope {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: Response, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as Scope;

let data = new Float32Array(0);
let n = 0;
let d = 0;
let meta: Metadata = { columns: [], rows: 0 };
let mean: Float64Array | null = null;
/** PCA of the loaded data (three components; 2-D uses the first two), computed once per load. */
let pcaCache: { coords: Float32Array; variance: number[] } | null = null;
/** The id of the projection job that may run; a newer request or "stop" changes it. */
let activeJob = 0;

const post = (message: Response, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function send(id: number, coords: ArrayLike<number>, dims: number, rows: Uint32Array | null, extra: { final: boolean; iteration: number; total: number; ms: number; variance?: number[]; note?: string }, shownDims: 2 | 3): void {
  const positions = fitPositions(coords, dims, n, rows);
  const message: Response = { kind: "projection", id, positions, dims: shownDims, shown: rows ? rows.length : n, ...extra };
  post(message, [positions.buffer]);
}

function matches(query: Query): Uint32Array {
  const column = meta.columns[query.column];
  if (!column || query.pattern === "") return new Uint32Array(0);
  return searchColumn(column, compileSearch(query.pattern));
}

function sampleNote(rows: Uint32Array | null, what: string, limit = SAMPLE_LIMIT): string | undefined {
  return rows ? `${what} runs on a random sample of ${rows.length.toLocaleString()} of ${n.toLocaleString()} points (limit ${limit.toLocaleString()}).` : undefined;
}

function gather(rows: Uint32Array | null): Float32Array {
  if (!rows) return data;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(data.subarray(r * d, r * d + d), i * d));
  return out;
}

async function runTsne(request: Extract<Request, { kind: "tsne" }>): Promise<void> {
  const start = performance.now();
  const rows = sampleRows(n, TSNE_LIMIT, 42);
  const m = rows ? rows.length : n;
  post({ kind: "progress", id: request.id, message: "t-SNE: finding neighbours…", fraction: 0 });
  await yieldToEvents();
  const p = affinities(gather(rows), m, d, request.perplexity, (fraction) => post({ kind: "progress", id: request.id, message: "t-SNE: finding neighbours…", fraction }));
  // Early exaggeration for the first quarter of the run, at most the paper's 250 iterations.
  const exaggerationIterations = Math.min(250, Math.round(request.iterations / 4));
  const tsne = new Tsne(m, p, { dims: request.dims, perplexity: request.perplexity, learningRate: request.learningRate, seed: 42, exaggerationIterations });
  const note = sampleNote(rows, "t-SNE", TSNE_LIMIT);
  let lastSent = 0;
  while (tsne.iteration < request.iterations) {
    if (activeJob !== request.id) {
      // Stopped (not superseded): the layout so far, marked final, comes after any progress
      // message still in flight, so the page never shows a run going on after its Stop.
      if (activeJob === 0) {
        const extra = { final: true, iteration: tsne.iteration, total: request.iterations, ms: performance.now() - start };
        send(request.id, tsne.y, request.dims, rows, note ? { ...extra, note } : extra, request.dims);
      }
      return;
    }
    tsne.step();
    const final = tsne.iteration === request.iterations;
    if (final || performance.now() - lastSent > 150) {
      lastSent = performance.now();
      const extra = { final, iteration: tsne.iteration, total: request.iterations, ms: performance.now() - start };
      send(request.id, tsne.y, request.dims, rows, note ? { ...extra, note } : extra, request.dims);
      await yieldToEvents();
    }
  }
}

async function runUmap(request: Extract<Request, { kind: "umap" }>): Promise<void> {
  const start = performance.now();
  const rows = sampleRows(n, SAMPLE_LIMIT, 42);
  const sample = gather(rows);
  const m = rows ? rows.length : n;
  post({ kind: "progress", id: request.id, message: "UMAP: finding neighbours…", fraction: 0 });
  await yieldToEvents();
  const vectors: number[][] = [];
  for (let i = 0; i < m; i++) vectors.push(Array.from(sample.subarray(i * d, i * d + d)));
  const umap = new UMAP({ nComponents: request.dims, nNeighbors: Math.min(request.neighbors, m - 1), minDist: request.minDist, random: rng(42) });
  const epochs = umap.initializeFit(vectors);
  const note = sampleNote(rows, "UMAP");
  let lastSent = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (activeJob !== request.id) return;
    umap.step();
    const final = epoch === epochs;
    if (final || performance.now() - lastSent > 150) {
      lastSent = performance.now();
      const flat = umap.getEmbedding().flat();
      const extra = { final, iteration: epoch, total: epochs, ms: performance.now() - start };
      send(request.id, flat, request.dims, rows, note ? { ...extra, note } : extra, request.dims);
      await yieldToEvents();
    }
  }
}

function labelOf(column: number | null, row: number): string {
  const c = column === null ? undefined : meta.columns[column];
  if (!c || row >= c.codes.length) return `#${row}`;
  return c.values[c.codes[row]!] ?? "";
}

async function handle(request: Request): Promise<void> {
  switch (request.kind) {
    case "load": {
      data = new Float32Array(request.tensor, 0, request.n * request.d);
      n = request.n;
      d = request.d;
      mean = null;
      pcaCache = null;
      meta = { columns: [], rows: 0 };
      post({ kind: "loaded", id: request.id, rows: n });
      return;
    }
    case "metadata": {
      // Sent after the first projection request, so the first picture never waits for this.
      const start = performance.now();
      meta = parseMetadata(new TextDecoder().decode(request.metadata), n);
      const columns = meta.columns.map((c) => ({ name: c.name, distinct: c.values.length, numeric: c.numbers !== null }));
      post({ kind: "metadata", id: request.id, columns, metadataRows: meta.rows, ms: performance.now() - start });
      return;
    }
    case "pca": {
      activeJob = request.id;
      const start = performance.now();
      if (!pcaCache) {
        const result = pca(data, n, d, 3, (done) => post({ kind: "progress", id: request.id, message: "PCA: covariance…", fraction: done / n }));
        mean = result.mean;
        pcaCache = { coords: result.coords, variance: result.variances.map((v) => (result.total > 0 ? v / result.total : 0)) };
      }
      // 2-D is the first two of the three components computed once.
      const coords = request.dims === 3 ? pcaCache.coords : pcaCache.coords.filter((_, i) => i % 3 !== 2);
      const variance = pcaCache.variance.slice(0, request.dims);
      send(request.id, coords, request.dims, null, { final: true, iteration: 1, total: 1, ms: performance.now() - start, variance }, request.dims);
      return;
    }
    case "tsne":
      activeJob = request.id;
      return runTsne(request);
    case "umap":
      activeJob = request.id;
      return runUmap(request);
    case "custom": {
      activeJob = request.id;
      const start = performance.now();
      mean ??= columnMeans(data, n, d);
      const axes = customAxes(data, d, matches(request.left), matches(request.right), matches(request.down), matches(request.up));
      const note = axes.x ? undefined : "Give both queries of an axis (each must match at least one point) to place points along it.";
      const coords = customProjection(data, n, d, mean, axes);
      const extra = { final: true, iteration: 1, total: 1, ms: performance.now() - start };
      send(request.id, coords, 2, null, note ? { ...extra, note } : extra, 2);
      return;
    }
    case "stop":
      activeJob = 0;
      return;
    case "colors": {
      const column = request.column === null ? undefined : meta.columns[request.column];
      const coloring = column ? colorBy(column, n) : uniformColoring(n);
      post({ kind: "colors", id: request.id, rgb: coloring.rgb, legend: coloring.legend, gradient: coloring.kind === "gradient" }, [coloring.rgb.buffer]);
      return;
    }
    case "search": {
      const found = matches(request.query);
      post({ kind: "search", id: request.id, matches: found }, [found.buffer]);
      return;
    }
    case "neighbors": {
      const list = nearestNeighbors(data, n, d, request.index, request.k, request.metric).map((x) => ({ ...x, label: labelOf(request.column, x.index) }));
      post({ kind: "neighbors", id: request.id, list });
      return;
    }
    case "labels":
      post({ kind: "labels", id: request.id, labels: request.indices.map((i) => labelOf(request.column, i)) });
      return;
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  handle(request).catch((e: unknown) => post({ kind: "error", id: request.id, message: e instanceof Error ? e.message : String(e) }));
};
