/**
 * The Projector tab: pick a run and one of its embeddings (from `projector_config.pbtxt`), load it
 * into a worker, and explore it in ProjectorView. Loaded lazily (LazyProjectorDashboard).
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchProjectorInfo, fetchProjectorRuns, type EmbeddingInfo } from "../../api/projector";
import { ProjectorView } from "./ProjectorView";
import { useEmbedding } from "./useEmbedding";
import "./projector.css";

export function ProjectorDashboard(): JSX.Element {
  const [runs, setRuns] = useState<string[] | null>(null);
  const [run, setRun] = useState<string | null>(null);
  const [listing, setListing] = useState<{ run: string; embeddings: EmbeddingInfo[] } | null>(null);
  const [tensor, setTensor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchProjectorRuns().then(
      (list) => {
        setRuns(list);
        setRun(list[0] ?? null);
      },
      (e: unknown) => setError(String(e)),
    );
  }, []);
  useEffect(() => {
    if (run === null) return;
    let alive = true;
    fetchProjectorInfo(run).then(
      (info) => {
        if (!alive) return;
        const list = (info.embeddings ?? []).filter((e) => e.tensorName);
        setListing({ run, embeddings: list });
        setTensor(list[0]?.tensorName ?? null);
      },
      (e: unknown) => alive && setError(String(e)),
    );
    return () => {
      alive = false;
    };
  }, [run]);

  // Until the new run's listing arrives, no embedding: never ask for one run's tensor in another.
  const embeddings = listing !== null && listing.run === run ? listing.embeddings : [];
  const embedding = embeddings.find((e) => e.tensorName === tensor) ?? null;
  const state = useEmbedding(run, embedding);
  if (error) return <div class="empty error">{error}</div>;
  if (runs === null) return <div class="empty">Loading…</div>;
  if (runs.length === 0) return <div class="empty">No run has a projector_config.pbtxt naming a tensor file.</div>;

  const shape = embedding?.tensorShape ?? [];
  const pickers = (
    <div class="projector-pickers">
      <label>
        Run
        <select value={run ?? ""} onChange={(e) => setRun(e.currentTarget.value)} aria-label="Run">
          {runs.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Tensor
        <select value={tensor ?? ""} onChange={(e) => setTensor(e.currentTarget.value)} aria-label="Tensor">
          {embeddings.map((e) => (
            <option key={e.tensorName} value={e.tensorName}>{e.tensorName}</option>
          ))}
        </select>
      </label>
      {shape.length === 2 && (
        <div class="projector-muted">
          {shape[0]!.toLocaleString()} points × {shape[1]} dimensions
        </div>
      )}
    </div>
  );
  if (state.status !== "ready") {
    const message = state.status === "idle" ? "Choose a tensor." : state.message;
    return (
      <div class="projector">
        <aside class="projector-side">{pickers}</aside>
        <div class={`projector-main empty${state.status === "error" ? " error" : ""}`} data-state={state.status}>{message}</div>
      </div>
    );
  }
  return <ProjectorView key={`${run}\u0000${tensor}`} loaded={state.loaded} pickers={pickers} />;
}
