/**
 * The projector's side panels: the projection (method, 2-D / 3-D, t-SNE / UMAP parameters with
 * run and stop, custom axes queries) and inspection (colour and label columns, regex search with
 * its match count, the selected point's nearest neighbours, bookmarks).
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { Bookmark } from "./bookmarks";
import type { Metric, Neighbor } from "./neighbors";
import { SAMPLE_LIMIT, type ColumnInfo } from "./protocol";

export type Method = "pca" | "tsne" | "umap" | "custom";

export interface ProjectionParams {
  perplexity: number;
  learningRate: number;
  iterations: number;
  neighbors: number;
  minDist: number;
  left: string;
  right: string;
  down: string;
  up: string;
  customColumn: number;
}

const METHODS: [Method, string][] = [
  ["pca", "PCA"],
  ["tsne", "t-SNE"],
  ["umap", "UMAP"],
  ["custom", "Custom"],
];

/**
 * A number input that keeps what is being typed until it is committed (change: Enter or blur).
 * Progress updates re-render the panel many times a second while t-SNE runs; a plainly
 * controlled input would snap back to the committed value between keystrokes.
 */
function NumberField({ label, value, min, max, step, onChange }: { label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void }): JSX.Element {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label class="projector-field">
      {label}
      <input
        type="number"
        value={draft ?? String(value)}
        min={min}
        max={max}
        step={step}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onBlur={() => setDraft(null)}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          setDraft(null);
          if (e.currentTarget.value.trim() !== "" && Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
      />
    </label>
  );
}

function ColumnSelect({ label, columns, value, onChange, none }: { label: string; columns: ColumnInfo[]; value: number | null; onChange: (v: number | null) => void; none?: string }): JSX.Element {
  return (
    <label class="projector-field">
      {label}
      <select aria-label={label} value={value === null ? "" : String(value)} onChange={(e) => onChange(e.currentTarget.value === "" ? null : Number(e.currentTarget.value))}>
        {none !== undefined && <option value="">{none}</option>}
        {columns.map((c, i) => (
          <option key={c.name} value={String(i)}>
            {c.name} ({c.distinct.toLocaleString()}{c.numeric ? ", numeric" : ""})
          </option>
        ))}
      </select>
    </label>
  );
}

export function ProjectionPanel(props: {
  method: Method;
  setMethod: (m: Method) => void;
  dims: 2 | 3;
  setDims: (d: 2 | 3) => void;
  params: ProjectionParams;
  setParams: (p: ProjectionParams) => void;
  columns: ColumnInfo[];
  running: boolean;
  onRun: () => void;
  onStop: () => void;
  info: { shown: number; ms: number; variance?: number[]; note?: string; iteration: number; total: number } | null;
}): JSX.Element {
  const { method, params, setParams, info } = props;
  const set = (patch: Partial<ProjectionParams>): void => setParams({ ...params, ...patch });
  return (
    <section class="projector-section">
      <div class="projector-tabs" role="tablist">
        {METHODS.map(([m, label]) => (
          <button key={m} type="button" role="tab" aria-selected={method === m} class={method === m ? "active" : ""} onClick={() => props.setMethod(m)}>
            {label}
          </button>
        ))}
      </div>
      {method !== "custom" && (
        <div class="projector-row" role="radiogroup" aria-label="Dimensions">
          {([2, 3] as const).map((d) => (
            <label key={d}>
              <input type="radio" name="projector-dims" checked={props.dims === d} onChange={() => props.setDims(d)} /> {d}-D
            </label>
          ))}
        </div>
      )}
      {method === "tsne" && (
        <div class="projector-grid">
          <NumberField label="Perplexity" value={params.perplexity} min={2} max={100} step={1} onChange={(v) => set({ perplexity: v })} />
          <NumberField label="Learning rate" value={params.learningRate} min={1} max={1000} step={1} onChange={(v) => set({ learningRate: v })} />
          <NumberField label="Iterations" value={params.iterations} min={50} max={5000} step={50} onChange={(v) => set({ iterations: v })} />
        </div>
      )}
      {method === "umap" && (
        <div class="projector-grid">
          <NumberField label="Neighbours" value={params.neighbors} min={2} max={100} step={1} onChange={(v) => set({ neighbors: v })} />
          <NumberField label="Min distance" value={params.minDist} min={0} max={1} step={0.05} onChange={(v) => set({ minDist: v })} />
        </div>
      )}
      {(method === "tsne" || method === "umap") && (
        <div class="projector-row">
          <button type="button" onClick={props.onRun}>Re-run</button>
          <button type="button" onClick={props.onStop} disabled={!props.running}>Stop</button>
          <span class="projector-muted">Runs on at most {SAMPLE_LIMIT.toLocaleString()} points.</span>
        </div>
      )}
      {method === "custom" && (
        <div class="projector-grid">
          <ColumnSelect label="Queries search" columns={props.columns} value={params.customColumn} onChange={(v) => set({ customColumn: v ?? 0 })} />
          {(["left", "right", "down", "up"] as const).map((side) => (
            <label key={side} class="projector-field">
              {side[0]!.toUpperCase() + side.slice(1)}
              <input type="text" placeholder="regex" value={params[side]} aria-label={`Custom ${side}`} onInput={(e) => set({ [side]: e.currentTarget.value })} />
            </label>
          ))}
        </div>
      )}
      {info && (
        <div class="projector-muted projector-info">
          {info.shown.toLocaleString()} points · {info.total > 1 ? `iteration ${info.iteration} · ` : ""}{(info.ms / 1000).toFixed(2)} s
          {info.variance && <div>Variance explained: {info.variance.map((v) => `${(v * 100).toFixed(1)}%`).join(", ")}</div>}
          {info.note && <div class="projector-note">{info.note}</div>}
        </div>
      )}
    </section>
  );
}

export function InspectPanel(props: {
  columns: ColumnInfo[];
  colorColumn: number | null;
  setColorColumn: (c: number | null) => void;
  labelColumn: number | null;
  setLabelColumn: (c: number | null) => void;
  search: { column: number; pattern: string };
  setSearch: (s: { column: number; pattern: string }) => void;
  matches: Uint32Array | null;
  selected: number | null;
  setSelected: (i: number | null) => void;
  metric: Metric;
  setMetric: (m: Metric) => void;
  k: number;
  setK: (k: number) => void;
  neighbors: (Neighbor & { label: string })[];
  bookmarks: Bookmark[];
  applyBookmark: (i: number) => void;
  sprite: boolean;
  spriteOn: boolean;
  setSpriteOn: (on: boolean) => void;
}): JSX.Element {
  const { columns, search } = props;
  return (
    <>
      <section class="projector-section">
        {columns.length === 0 && <div class="projector-muted">No metadata: points are labelled by index.</div>}
        {columns.length > 0 && (
          <>
            <ColumnSelect label="Colour by" columns={columns} value={props.colorColumn} onChange={props.setColorColumn} none="(none)" />
            <ColumnSelect label="Label by" columns={columns} value={props.labelColumn} onChange={props.setLabelColumn} none="(index)" />
          </>
        )}
        {props.sprite && (
          <label class="projector-row">
            <input type="checkbox" checked={props.spriteOn} onChange={(e) => props.setSpriteOn(e.currentTarget.checked)} /> Show sprite images
          </label>
        )}
      </section>
      {columns.length > 0 && (
        <section class="projector-section">
          <label class="projector-field">
            Search (regex)
            <input type="search" value={search.pattern} aria-label="Search" placeholder="e.g. ^cat|dog" onInput={(e) => props.setSearch({ ...search, pattern: e.currentTarget.value })} />
          </label>
          <ColumnSelect label="in column" columns={columns} value={search.column} onChange={(c) => props.setSearch({ ...search, column: c ?? 0 })} />
          {props.matches && <div class="projector-count" data-testid="match-count">{props.matches.length.toLocaleString()} matching points</div>}
        </section>
      )}
      <section class="projector-section">
        <div class="projector-row">
          <label class="projector-field">
            Distance
            <select value={props.metric} aria-label="Distance" onChange={(e) => props.setMetric(e.currentTarget.value as Metric)}>
              <option value="cosine">cosine</option>
              <option value="euclidean">euclidean</option>
            </select>
          </label>
          <NumberField label="Neighbours" value={props.k} min={1} max={200} step={1} onChange={props.setK} />
        </div>
        {props.selected === null ? (
          <div class="projector-muted">Click a point to list its nearest neighbours.</div>
        ) : (
          <div class="projector-neighbors">
            <div class="projector-row">
              <strong>Point #{props.selected}</strong>
              <button type="button" onClick={() => props.setSelected(null)}>Clear</button>
            </div>
            <ol aria-label="Nearest neighbours">
              {props.neighbors.map((x) => (
                <li key={x.index} data-index={x.index}>
                  <button type="button" class="link" onClick={() => props.setSelected(x.index)}>{x.label || `#${x.index}`}</button>
                  <span>{x.distance.toFixed(4)}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </section>
      {props.bookmarks.length > 0 && (
        <section class="projector-section">
          <strong>Bookmarks</strong>
          <ul class="projector-bookmarks">
            {props.bookmarks.map((b, i) => (
              <li key={i}>
                <button type="button" class="link" onClick={() => props.applyBookmark(i)}>{b.label}</button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
