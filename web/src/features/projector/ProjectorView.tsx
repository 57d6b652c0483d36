/**
 * One loaded embedding: the scatter and the panels around it. State lives here (projection
 * method, colour / label columns, search, selection); every computation is a request to the
 * worker, answered with arrays the scatter takes as they are. The canvas frame carries test hooks
 * (data-points, data-state, data-matches, data-neighbors …) that browser tests and the benchmark
 * wait on.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { dark } from "../../state/store";
import { MAX_CATEGORIES, type LegendEntry } from "./colors";
import { pointFlags } from "./flags";
import { fitPositions } from "./layout";
import type { Metric, Neighbor } from "./neighbors";
import { InspectPanel, ProjectionPanel, type Method, type ProjectionParams } from "./Panels";
import type { ColumnInfo, Response } from "./protocol";
import { Scatter, type Label } from "./Scatter";
import type { Loaded } from "./useEmbedding";

interface Progress {
  message: string;
  fraction: number;
}

declare global {
  interface Window {
    /** Benchmark hook: orbit the camera for `frames` frames, resolve with frames per second. */
    heronProjectorOrbit?: (frames: number) => Promise<number>;
    /** Test hook: where point `index` is on screen (client coordinates), to click it. */
    heronProjectorPoint?: (index: number) => { x: number; y: number } | null;
  }
}

const DEFAULT_PARAMS: ProjectionParams = { perplexity: 30, learningRate: 10, iterations: 500, neighbors: 15, minDist: 0.1, left: "", right: "", down: "", up: "", customColumn: 0 };

export function ProjectorView({ loaded, pickers }: { loaded: Loaded; pickers: JSX.Element }): JSX.Element {
  const { worker, n } = loaded;
  const [columns, setColumns] = useState<ColumnInfo[]>([]);
  const [parseMs, setParseMs] = useState<number | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const scatter = useRef<Scatter | null>(null);
  const [method, setMethod] = useState<Method>("pca");
  const [dims, setDims] = useState<2 | 3>(3);
  const [params, setParams] = useState<ProjectionParams>(DEFAULT_PARAMS);
  const [runToken, setRunToken] = useState(0);
  const [status, setStatus] = useState<"computing" | "ready">("computing");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [info, setInfo] = useState<{ shown: number; ms: number; variance?: number[]; note?: string; iteration: number; total: number } | null>(null);
  const [firstDraw, setFirstDraw] = useState<number | null>(null);
  const [colorColumn, setColorColumn] = useState<number | null>(null);
  const [labelColumn, setLabelColumn] = useState<number | null>(null);
  const [legend, setLegend] = useState<LegendEntry[]>([]);
  const [search, setSearch] = useState({ column: 0, pattern: "" });
  const [matches, setMatches] = useState<Uint32Array | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [metric, setMetric] = useState<Metric>("cosine");
  const [k, setK] = useState(10);
  const [neighbors, setNeighbors] = useState<(Neighbor & { label: string })[]>([]);
  const [hovered, setHovered] = useState<number | null>(null);
  const [spriteOn, setSpriteOn] = useState(loaded.sprite !== null);

  // The scatter lives as long as this view.
  useEffect(() => {
    const s = new Scatter(host.current!);
    scatter.current = s;
    window.heronProjectorOrbit = (frames) =>
      new Promise((resolve) => {
        let done = 0;
        const start = performance.now();
        const tick = (): void => {
          s.orbit((2 * Math.PI) / 240);
          if (++done < frames) requestAnimationFrame(tick);
          else resolve((frames * 1000) / (performance.now() - start));
        };
        requestAnimationFrame(tick);
      });
    window.heronProjectorPoint = (index) => s.screenPosition(index);
    return () => {
      s.dispose();
      scatter.current = null;
      delete window.heronProjectorOrbit;
      delete window.heronProjectorPoint;
    };
  }, []);
  useEffect(() => scatter.current?.setBackground(dark.value), [dark.value]);
  useEffect(() => scatter.current?.setSprite(spriteOn && loaded.sprite ? loaded.sprite.image : null, loaded.sprite?.cell ?? null), [spriteOn]);

  // Projection: a new request supersedes (and stops) the running one.
  useEffect(() => {
    const request =
      method === "pca"
        ? { kind: "pca" as const, dims }
        : method === "tsne"
          ? { kind: "tsne" as const, dims, perplexity: params.perplexity, learningRate: params.learningRate, iterations: params.iterations }
          : method === "umap"
            ? { kind: "umap" as const, dims, neighbors: params.neighbors, minDist: params.minDist }
            : {
                kind: "custom" as const,
                left: { column: params.customColumn, pattern: params.left },
                right: { column: params.customColumn, pattern: params.right },
                down: { column: params.customColumn, pattern: params.down },
                up: { column: params.customColumn, pattern: params.up },
              };
    setStatus("computing");
    setProgress({ message: "Computing…", fraction: 0 });
    let id = 0;
    const start = (): void => {
      id = worker.send(request, (r: Response) => {
        if (r.kind === "progress") setProgress({ message: r.message, fraction: r.fraction });
        else if (r.kind === "error") {
          setProgress({ message: `Failed: ${r.message}`, fraction: 0 });
          setStatus("ready");
        } else if (r.kind === "projection") {
          scatter.current?.setPositions(r.positions, r.dims);
          scatter.current?.draw();
          setFirstDraw((t) => t ?? performance.now() - loaded.started);
          setInfo({ shown: r.shown, ms: r.ms, iteration: r.iteration, total: r.total, ...(r.variance ? { variance: r.variance } : {}), ...(r.note ? { note: r.note } : {}) });
          if (r.final) {
            setStatus("ready");
            setProgress(null);
          } else setProgress({ message: `${method === "tsne" ? "t-SNE" : "UMAP"} iteration ${r.iteration} of ${r.total}`, fraction: r.iteration / r.total });
        }
      });
    };
    // Custom queries are typed: wait for a pause before projecting.
    const timer = method === "custom" ? setTimeout(start, 250) : null;
    if (timer === null) start();
    return () => {
      if (timer !== null) clearTimeout(timer);
      worker.forget(id);
      worker.send({ kind: "stop" }, () => undefined);
    };
  }, [method, dims, runToken, method === "custom" ? params : null]);

  // Metadata: sent to the worker after the first projection request (effects run in order), so
  // the first picture never waits for a million-row TSV to be parsed.
  useEffect(() => {
    let alive = true;
    loaded.metadata.then(async (bytes) => {
      if (!bytes || !alive) return;
      const r = await worker.call({ kind: "metadata", metadata: bytes }, [bytes]);
      if (!alive || r.kind !== "metadata") return;
      setColumns(r.columns);
      setParseMs(r.ms);
      // Colour by the first column with a few categories (a column of unique names would only
      // give a legend of "other values"); label by the first column.
      const found = r.columns.findIndex((c) => c.distinct > 1 && c.distinct <= MAX_CATEGORIES);
      setColorColumn(found >= 0 ? found : null);
      setLabelColumn(r.columns.length > 0 ? 0 : null);
    }).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);

  // Colours: recomputed in the worker whenever the column (or the point count) changes.
  useEffect(() => {
    worker.call({ kind: "colors", column: colorColumn }).then((r) => {
      if (r.kind !== "colors") return;
      scatter.current?.setColors(r.rgb);
      setLegend(r.legend);
    }, () => undefined);
  }, [colorColumn, info?.shown === undefined]);

  // Search, debounced while typing.
  useEffect(() => {
    if (search.pattern === "") {
      setMatches(null);
      return;
    }
    const timer = setTimeout(() => {
      worker.call({ kind: "search", query: search }).then((r) => r.kind === "search" && setMatches(r.matches), () => undefined);
    }, 150);
    return () => clearTimeout(timer);
  }, [search]);

  // Neighbours of the selected point.
  useEffect(() => {
    if (selected === null) {
      setNeighbors([]);
      return;
    }
    let alive = true;
    worker.call({ kind: "neighbors", index: selected, k, metric, column: labelColumn }).then((r) => alive && r.kind === "neighbors" && setNeighbors(r.list), () => undefined);
    return () => {
      alive = false;
    };
  }, [selected, k, metric, labelColumn]);

  const neighborIndices = useMemo(() => neighbors.map((x) => x.index), [neighbors]);
  useEffect(() => {
    if (info === null) return;
    scatter.current?.setFlags(pointFlags(n, matches, neighborIndices, selected, null));
  }, [matches, neighborIndices, selected, info === null]);

  // Labels only for a few points: hovered, selected, its neighbours, or a small search result.
  useEffect(() => {
    const strong = [hovered, selected].filter((i): i is number => i !== null);
    const few = matches && matches.length <= 50 ? Array.from(matches) : [];
    const indices = [...new Set([...strong, ...neighborIndices, ...few])].slice(0, 100);
    if (indices.length === 0) {
      scatter.current?.setLabels([]);
      return;
    }
    let alive = true;
    worker.call({ kind: "labels", column: labelColumn, indices }).then((r) => {
      if (!alive || r.kind !== "labels") return;
      const labels: Label[] = indices.map((index, i) => ({ index, text: r.labels[i] ?? "", strong: strong.includes(index) }));
      scatter.current?.setLabels(labels);
    }, () => undefined);
    return () => {
      alive = false;
    };
  }, [hovered, selected, neighborIndices, matches, labelColumn]);

  const hover = useRef(0);
  const onPointerMove = (e: PointerEvent): void => {
    if (e.buttons !== 0 || hover.current) return;
    const { clientX, clientY } = e;
    hover.current = requestAnimationFrame(() => {
      hover.current = 0;
      setHovered(scatter.current?.pick(clientX, clientY) ?? null);
    });
  };
  const down = useRef<[number, number]>([0, 0]);
  const onPointerUp = (e: PointerEvent): void => {
    if (Math.hypot(e.clientX - down.current[0], e.clientY - down.current[1]) > 4) return; // a drag, not a click
    setSelected(scatter.current?.pick(e.clientX, e.clientY) ?? null);
  };

  const applyBookmark = (index: number): void => {
    const bookmark = loaded.bookmarks[index];
    if (!bookmark) return;
    if (bookmark.coords) {
      const coords = bookmark.coords;
      scatter.current?.setPositions(fitPositions(coords, 3, n, null), bookmark.dims);
    }
    setSelected(bookmark.selected[0] ?? null);
    const color = bookmark.colorBy === null ? -1 : columns.findIndex((c) => c.name === bookmark.colorBy);
    if (color >= 0) setColorColumn(color);
  };

  const running = progress !== null && (method === "tsne" || method === "umap") && status === "computing";
  return (
    <div class="projector">
      <aside class="projector-side">
        {pickers}
        <ProjectionPanel
          method={method}
          setMethod={setMethod}
          dims={dims}
          setDims={setDims}
          params={params}
          setParams={setParams}
          columns={columns}
          running={running}
          onRun={() => setRunToken((t) => t + 1)}
          onStop={() => {
            worker.send({ kind: "stop" }, () => undefined);
            setStatus("ready");
            setProgress(null);
          }}
          info={info}
        />
        <InspectPanel
          columns={columns}
          colorColumn={colorColumn}
          setColorColumn={setColorColumn}
          labelColumn={labelColumn}
          setLabelColumn={setLabelColumn}
          search={search}
          setSearch={setSearch}
          matches={matches}
          selected={selected}
          setSelected={setSelected}
          metric={metric}
          setMetric={setMetric}
          k={k}
          setK={setK}
          neighbors={neighbors}
          bookmarks={loaded.bookmarks}
          applyBookmark={applyBookmark}
          sprite={loaded.sprite !== null}
          spriteOn={spriteOn}
          setSpriteOn={setSpriteOn}
        />
      </aside>
      <div class="projector-main">
        <div
          class="projector-frame"
          ref={host}
          data-points={info?.shown ?? 0}
          data-state={status}
          data-method={method}
          data-dims={dims}
          data-matches={matches ? matches.length : ""}
          data-selected={selected ?? ""}
          data-neighbors={neighborIndices.join(",")}
          data-color-column={colorColumn ?? ""}
          data-legend={legend.length}
          data-compute-ms={info ? Math.round(info.ms) : ""}
          data-fetch-ms={Math.round(loaded.fetchMs)}
          data-parse-ms={parseMs === null ? "" : Math.round(parseMs)}
          data-columns={columns.length}
          data-first-draw-ms={firstDraw === null ? "" : Math.round(firstDraw)}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHovered(null)}
          onPointerDown={(e) => (down.current = [e.clientX, e.clientY])}
          onPointerUp={onPointerUp}
        />
        {progress && (
          <div class="projector-progress" role="status">
            <span>{progress.message}</span>
            <progress max={1} value={progress.fraction} />
            {running && (
              <button type="button" onClick={() => { worker.send({ kind: "stop" }, () => undefined); setStatus("ready"); setProgress(null); }}>
                Stop
              </button>
            )}
          </div>
        )}
        {legend.length > 0 && (
          <div class="projector-legend" aria-label="Legend">
            {legend.map((entry) => (
              <div key={entry.label}>
                <i style={{ background: entry.color }} />
                <span title={entry.label}>{entry.label || "(empty)"}</span>
                {entry.count > 0 && <em>{entry.count.toLocaleString()}</em>}
              </div>
            ))}
          </div>
        )}
        <div class="projector-hint">{dims === 3 && method !== "custom" ? "Drag to orbit, right-drag to pan, wheel to zoom." : "Drag to pan, wheel to zoom."} Click a point for its neighbours.</div>
      </div>
    </div>
  );
}
