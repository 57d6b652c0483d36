/**
 * One (run, mesh, sample) card: the 3-D view of the chosen step (the latest by default, following
 * new steps live) with a step slider. Steps are listed when the card first nears the viewport;
 * the arrays of a step are fetched when it is shown. The WebGL context is made only on screen.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchMeshArrays, fetchMeshSteps, type MeshArrays } from "../../api/mesh";
import { IconDownload } from "../../components/icons";
import { saveUrl } from "../../components/saveFile";
import { downloadName } from "../../lib/download";
import * as s from "../../state/store";
import type { MediaCardKey } from "../media/cards";
import { useOnScreen } from "../../components/useOnScreen";
import { useCardSteps } from "../media/hooks";
import { MediaCardHead } from "../media/MediaDashboard";
import { StepSlider } from "../media/StepSlider";
import { parseSceneConfig } from "./config";
import { MeshView, webglAvailable } from "./MeshView";

const VIEW_HEIGHT = 300;
/** Checked once per page: the answer does not change while it is open. */
let canWebgl: boolean | null = null;

export function MeshCard({ card }: { card: MediaCardKey }): JSX.Element {
  const cardRef = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<MeshView | null>(null);
  // Live updates name the component series ("<mesh>_VERTEX"), not the mesh.
  const { data: steps, error, index, choose } = useCardSteps(
    cardRef,
    `${card.tag}_VERTEX`,
    card.id,
    `mesh|${card.tag}|${card.sample}`,
    (signal) => fetchMeshSteps(card.run, card.tag, signal),
  );
  const step = steps?.[index] ?? null;
  const [arrays, setArrays] = useState<{ step: number; data: MeshArrays } | null>(null);
  const [arrayError, setArrayError] = useState<string | null>(null);
  canWebgl ??= webglAvailable();

  useEffect(() => {
    // Without WebGL there is nothing to draw the arrays with: not fetched.
    if (step === null || !canWebgl) return undefined;
    const abort = new AbortController();
    fetchMeshArrays(card.run, card.tag, step, card.sample, abort.signal).then(
      (data) => {
        setArrayError(null);
        setArrays({ step: step.step, data });
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setArrayError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
    // A step is named by its number and wall time (a rewritten step refetches).
  }, [card.id, step?.step, step?.wallTime, step?.hasFaces, step?.hasColors]);

  // Browsers keep only a few WebGL contexts alive (Chromium: 16), so a card gives its context
  // back when it scrolls well out of view and makes a new one when it returns.
  // A lost context cannot be made again on the same canvas: each view gets a new one (its key).
  const onScreen = useOnScreen(cardRef);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (onScreen || !view.current) return;
    view.current.dispose();
    view.current = null;
    setGeneration((g) => g + 1);
  }, [onScreen]);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !arrays || !step || !canWebgl || !onScreen) return;
    const config = parseSceneConfig(step.config);
    if (!view.current) {
      view.current = new MeshView(el, config);
      view.current.setSize(el.clientWidth || 300, VIEW_HEIGHT);
    }
    view.current.show(arrays.data, config);
    const d = el.dataset;
    d["step"] = String(arrays.step);
    d["vertices"] = String(arrays.data.positions.length / 3);
    d["faces"] = String(arrays.data.faces ? arrays.data.faces.length / 3 : 0);
    d["colors"] = String(arrays.data.colors !== null);
    d["drawn"] = "true";
  }, [arrays, onScreen, generation]);

  // The canvas follows the card's width.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => view.current?.setSize(el.clientWidth || 300, VIEW_HEIGHT));
    observer.observe(el);
    return () => observer.disconnect();
  }, [generation]);

  useEffect(
    () => () => {
      view.current?.dispose();
      view.current = null;
    },
    [],
  );

  const png = (): void => {
    const url = view.current?.png();
    if (url) saveUrl(downloadName(`${card.run}/${card.tag}`, "png"), url);
  };
  const problem = error ?? arrayError;
  const detail = arrays
    ? `${arrays.data.positions.length / 3} vertices${arrays.data.faces ? ` · ${arrays.data.faces.length / 3} faces` : " · point cloud"}`
    : step
      ? `${step.vertices} vertices · ${step.hasFaces ? "mesh" : "point cloud"}`
      : "";
  return (
    <div class="card media-card mesh-card" ref={cardRef} data-testid="mesh-card" data-run={card.run} data-tag={card.tag} data-sample={card.sample}>
      <MediaCardHead card={card}>
        <button class="icon-button small" onClick={() => view.current?.resetView()} title="Reset the camera" disabled={!canWebgl}>
          <span>Reset</span>
        </button>
        <button class="icon-button small" onClick={png} title="Download PNG" disabled={!canWebgl}>
          <IconDownload />
          <span>PNG</span>
        </button>
      </MediaCardHead>
      <div class={`mesh-frame ${s.dark.value ? "dark" : ""}`} style={{ height: `${VIEW_HEIGHT}px` }}>
        {canWebgl ? (
          <canvas key={generation} ref={canvas} class="mesh-canvas" data-testid="mesh-canvas" style={{ height: `${VIEW_HEIGHT}px` }} />
        ) : (
          <div class="chart-placeholder error" data-testid="mesh-no-webgl">
            This browser cannot draw 3-D views: WebGL is unavailable (disabled, or no GPU and no software renderer). The data is still served by
            the HTTP API (data/plugin/mesh).
          </div>
        )}
        {canWebgl && problem && <div class="chart-placeholder error">{problem}</div>}
        {canWebgl && !problem && !arrays && <div class="chart-placeholder">{steps === null ? "" : "Loading…"}</div>}
      </div>
      {steps && (
        <>
          <StepSlider steps={steps.map((x) => x.step)} index={index} onChange={choose} />
          <div class="muted mesh-detail" data-testid="mesh-detail">
            {detail}
            {detail && canWebgl && " · drag to rotate, scroll to zoom, right-drag to pan"}
          </div>
        </>
      )}
    </div>
  );
}
