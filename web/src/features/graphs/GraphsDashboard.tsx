/**
 * The graphs dashboard: pick a run and one of its graphs (run op graph, a traced function graph,
 * a Keras conceptual graph, or a run graph coloured by a profile), then browse it as nested
 * name-scope boxes. Only the opened part of the hierarchy is laid out (ELK, in a worker) and the
 * canvas draws only what is on screen, so a 20,000-node graph stays responsive.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { fetchGraph, fetchGraphChoices, type GraphChoice, type GraphData } from "../../api/graphs";
import { GraphCanvas } from "./GraphCanvas";
import { GraphSearch } from "./GraphSearch";
import { ancestors, type Hierarchy } from "./hierarchy";
import { buildHierarchyOffThread, warmHierarchyWorker } from "./hierarchyClient";
import { initialOpen } from "./initialView";
import { LayoutWorker, layoutRequest, nextLayoutId } from "./layout";
import { NodeDetails } from "./NodeDetails";
import { buildScene, type Colouring, formatStat, statSums } from "./scene";
import type { LayoutResult } from "./layoutTypes";
import { type VisibleGraph, visibleGraph } from "./visible";
import "./graphs.css";

const choiceKey = (c: GraphChoice): string => JSON.stringify([c.run, c.tag, c.conceptual]);

/** One layout worker for the page: started when the tab first opens, kept across graphs. */
let sharedWorker: LayoutWorker | null = null;
function layoutWorker(): LayoutWorker {
  sharedWorker ??= new LayoutWorker();
  return sharedWorker;
}

export function GraphsDashboard(): JSX.Element {
  const [choices, setChoices] = useState<GraphChoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<string | null>(null);
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    layoutWorker().warm();
    warmHierarchyWorker();
    fetchGraphChoices(abort.signal).then(setChoices, (e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => abort.abort();
  }, []);
  if (error !== null) return <div class="empty error">Could not load graphs: {error}</div>;
  if (choices === null) return <div class="empty">Loading…</div>;
  if (choices.length === 0) return <div class="empty">No graphs in this logdir.</div>;
  const runs = [...new Set(choices.map((c) => c.run))];
  const currentRun = run !== null && runs.includes(run) ? run : (runs[0] as string);
  const ofRun = choices.filter((c) => c.run === currentRun);
  const choice = ofRun.find((c) => choiceKey(c) === key) ?? (ofRun[0] as GraphChoice);
  return (
    <div class="graphs" data-testid="graphs-dashboard">
      <div class="toolbar graph-toolbar">
        <label>
          Run{" "}
          <select class="select" data-testid="graph-run" value={currentRun} onChange={(e) => setRun((e.target as HTMLSelectElement).value)}>
            {runs.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Graph{" "}
          <select class="select" data-testid="graph-tag" value={choiceKey(choice)} onChange={(e) => setKey((e.target as HTMLSelectElement).value)}>
            {ofRun.map((c) => (
              <option key={choiceKey(c)} value={choiceKey(c)}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <GraphLoader key={choiceKey(choice)} choice={choice} />
    </div>
  );
}

interface Loaded {
  graph: GraphData;
  hierarchy: Hierarchy;
}

/** Fetches the graph, then has the scope-tree worker build its hierarchy (off the main thread). */
function GraphLoader({ choice }: { choice: GraphChoice }): JSX.Element {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [stage, setStage] = useState<"fetch" | "tree">("fetch");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const load = async (): Promise<void> => {
      const graph = await fetchGraph(choice, abort.signal);
      setStage("tree");
      const hierarchy = await buildHierarchyOffThread(graph.nodes, abort.signal);
      if (!abort.signal.aborted) setLoaded({ graph, hierarchy });
    };
    load().catch((e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => abort.abort();
  }, [choice]);
  if (error !== null) return <div class="empty error">Could not load this graph: {error}</div>;
  if (loaded === null) {
    return (
      <div class="empty" data-testid="graph-status" data-state="loading">
        {stage === "fetch" ? "Loading graph…" : "Grouping scopes…"}
      </div>
    );
  }
  if (loaded.graph.nodes.length === 0) return <div class="empty">This graph has no nodes.</div>;
  return <GraphView graph={loaded.graph} hierarchy={loaded.hierarchy} />;
}

/** What to do with the view once the next layout lands. */
type After = { kind: "fit" } | { kind: "anchor"; id: string; sx: number; sy: number } | { kind: "focus"; id: string } | null;

function GraphView({ graph, hierarchy }: Loaded): JSX.Element {
  const [open, setOpen] = useState<Set<string>>(() => initialOpen(hierarchy));
  const [selected, setSelected] = useState<string | null>(null);
  const [colouring, setColouring] = useState<Colouring>("structure");
  const [state, setState] = useState<"layout" | "ready" | "error">("layout");
  const [message, setMessage] = useState("");
  const [boxes, setBoxes] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef<GraphCanvas | null>(null);
  const after = useRef<After>({ kind: "fit" });
  const layoutId = useRef(0);
  const lastLayout = useRef<{ visible: VisibleGraph; result: LayoutResult } | null>(null);
  const sums = useMemo(() => statSums(graph, hierarchy, colouring), [graph, hierarchy, colouring]);

  const toggle = (id: string): void => {
    const item = hierarchy.items.get(id);
    if (!item || item.kind === "op") return;
    const rect = view.current?.rectOf(id);
    if (rect && view.current) {
      const [sx, sy] = view.current.toScreen(rect[0], rect[1]);
      after.current = { kind: "anchor", id, sx, sy };
    }
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const focus = (id: string): void => {
    setSelected(id);
    after.current = { kind: "focus", id };
    setOpen((previous) => new Set([...previous, ...ancestors(hierarchy.items, id)]));
  };

  useEffect(() => {
    const canvas = canvasRef.current as HTMLCanvasElement;
    view.current = new GraphCanvas(canvas);
    return () => view.current?.dispose();
  }, []);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.onSelect = setSelected;
    v.onToggle = toggle;
  });
  useEffect(() => {
    if (view.current) {
      view.current.selected = selected;
      view.current.invalidate();
    }
  }, [selected]);

  useEffect(() => {
    const visible = visibleGraph(hierarchy, graph.nodes, open);
    const id = nextLayoutId();
    layoutId.current = id;
    setState("layout");
    const started = performance.now();
    layoutWorker().layout(layoutRequest(id, visible, hierarchy.items)).then(
      (result) => {
        const v = view.current;
        if (!result || !v || id !== layoutId.current) return;
        lastLayout.current = { visible, result };
        v.setScene(buildScene(graph, hierarchy, visible, result, sums));
        const next = after.current;
        after.current = null;
        if (next?.kind === "fit") v.fit();
        else if (next?.kind === "anchor") {
          const rect = v.rectOf(next.id);
          if (rect) v.anchor(rect[0], rect[1], next.sx, next.sy);
          v.reveal(next.id);
        } else if (next?.kind === "focus") {
          v.highlighted = next.id;
          v.centerOn(next.id);
        }
        setBoxes(visible.items.length);
        setMessage(`${visible.items.length} boxes, ${visible.edges.length} edges · laid out in ${Math.round(performance.now() - started)} ms`);
        setState("ready");
      },
      (e: unknown) => {
        setMessage(`Layout failed: ${e instanceof Error ? e.message : String(e)}`);
        setState("error");
      },
    );
    // A colouring change only refills boxes (the effect below), never lays out again.
  }, [hierarchy, open]);

  useEffect(() => {
    const v = view.current;
    const last = lastLayout.current;
    if (v && last) v.setScene(buildScene(graph, hierarchy, last.visible, last.result, sums));
  }, [sums]);

  const hasStats = graph.stats !== null;
  let max = 0;
  if (sums) for (const value of sums.values()) max = Math.max(max, value);
  return (
    <div class="graph-view">
      <div class="toolbar graph-toolbar">
        <GraphSearch hierarchy={hierarchy} onPick={focus} />
        <label>
          Colour{" "}
          <select class="select" data-testid="graph-colour" value={colouring} onChange={(e) => setColouring((e.target as HTMLSelectElement).value as Colouring)}>
            <option value="structure">Structure (op type)</option>
            <option value="compute" disabled={!hasStats}>Compute time</option>
            <option value="memory" disabled={!hasStats}>Memory</option>
          </select>
        </label>
        {sums && colouring !== "structure" && (
          <span class="graph-legend">
            <span class="ramp" /> 0 – {formatStat(colouring, max)}
          </span>
        )}
        <button type="button" class="select" onClick={() => view.current?.fit()}>
          Fit
        </button>
        <button type="button" class="select" onClick={() => setOpen(new Set())}>
          Close all
        </button>
        <span class="muted graph-status" data-testid="graph-status" data-state={state} data-boxes={boxes}>
          {graph.nodes.length} nodes · {state === "layout" ? "laying out…" : message}
        </span>
      </div>
      <div class="graph-body">
        <canvas ref={canvasRef} class="graph-canvas" data-testid="graph-canvas" />
        {selected && hierarchy.items.has(selected) && (
          <NodeDetails graph={graph} hierarchy={hierarchy} id={selected} open={open.has(selected)} onToggle={toggle} onFocus={focus} onClose={() => setSelected(null)} />
        )}
        <div class="graph-hint muted">Drag to pan · wheel to zoom · double-click a box to open or close it</div>
      </div>
    </div>
  );
}
