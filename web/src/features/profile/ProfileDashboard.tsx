/**
 * The profiler dashboard: pick a capture (run / session / host), then read its Overview (step
 * time breakdown, recommendations, top ops, environment), Op stats (sortable), Memory (allocated
 * bytes over time, peak marked) or Trace (canvas timeline fed by the server's level-of-detail
 * windows).
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchProfileRuns, type ProfileKey, type ProfileRun } from "../../api/profile";
import { InputPipelineView } from "./InputPipelineView";
import { KernelTable } from "./KernelTable";
import { MemoryView } from "./MemoryView";
import { OpTable } from "./OpTable";
import { OverviewView } from "./OverviewView";
import { TraceView } from "./TraceView";
import "./profile.css";

type View = "overview" | "ops" | "kernels" | "input" | "memory" | "trace";
const VIEWS: readonly { id: View; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "ops", label: "Op stats" },
  { id: "kernels", label: "Kernels" },
  { id: "input", label: "Input pipeline" },
  { id: "memory", label: "Memory" },
  { id: "trace", label: "Trace" },
];

/** Every readable (run, session, host) capture, in the server's order. */
function captures(runs: readonly ProfileRun[]): (ProfileKey & { label: string })[] {
  const out: (ProfileKey & { label: string })[] = [];
  for (const run of runs) {
    for (const session of run.sessions) {
      for (const host of session.hosts) {
        if (!host.readable) continue;
        const label = `${run.run} / ${session.session} / ${host.host}${host.format === "xplane" ? " (xplane)" : ""}`;
        out.push({ run: run.run, session: session.session, host: host.host, format: host.format, label });
      }
    }
  }
  return out;
}

export function ProfileDashboard(): JSX.Element {
  const [runs, setRuns] = useState<ProfileRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [view, setView] = useState<View>("overview");

  useEffect(() => {
    const abort = new AbortController();
    fetchProfileRuns(abort.signal)
      .then(setRuns)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(String(e));
      });
    return () => abort.abort();
  }, []);

  if (error !== null) return <div class="empty error">{error}</div>;
  if (runs === null) return <div class="empty">Loading…</div>;
  const options = captures(runs);
  const key = options[Math.min(selected, options.length - 1)];
  if (key === undefined) {
    return (
      <div class="empty">
        <h2>No readable profile</h2>
        <p>Capture one with <code>torch.profiler</code> and <code>tensorboard_trace_handler</code>; see docs/profiler.md.</p>
      </div>
    );
  }
  const request: ProfileKey = { run: key.run, session: key.session, host: key.host, format: key.format };
  const id = key.label;
  return (
    <div class="profile">
      <div class="profile-bar">
        <label>
          Capture{" "}
          <select class="profile-capture" value={String(selected)} onChange={(e) => setSelected(Number(e.currentTarget.value))}>
            {options.map((o, i) => (
              <option key={o.label} value={String(i)}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <div class="profile-views" role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              class={`profile-view${view === v.id ? " selected" : ""}`}
              data-view={v.id}
              aria-selected={view === v.id}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
      </div>
      {view === "overview" && <OverviewView key={id} capture={request} />}
      {view === "ops" && <OpTable key={id} capture={request} />}
      {view === "kernels" && <KernelTable key={id} capture={request} />}
      {view === "input" && <InputPipelineView key={id} capture={request} />}
      {view === "memory" && <MemoryView key={id} capture={request} />}
      {view === "trace" && <TraceView key={id} capture={request} />}
    </div>
  );
}
