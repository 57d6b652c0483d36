/**
 * The details panel of the selected box: for an op its op, device, output shapes, attributes,
 * inputs and consumers (each a link that selects it) and its step stats; for a scope or series
 * its op count, most common ops and a button to open or close it.
 */
import type { JSX } from "preact";
import type { GraphData } from "../../api/graphs";
import type { Hierarchy, Item } from "./hierarchy";
import { formatStat } from "./scene";

interface Props {
  graph: GraphData;
  hierarchy: Hierarchy;
  id: string;
  open: boolean;
  onToggle: (id: string) => void;
  onFocus: (id: string) => void;
  onClose: () => void;
}

const shapeText = (shape: number[] | null): string => (shape === null ? "unknown rank" : `[${shape.map((d) => (d < 0 ? "?" : d)).join(", ")}]`);

function opsUnder(h: Hierarchy, graph: GraphData, item: Item): [string, number][] {
  const counts = new Map<string, number>();
  const stack = [item.id];
  while (stack.length) {
    const it = h.items.get(stack.pop() as string) as Item;
    if (it.kind === "op") {
      const op = graph.nodes[it.node]?.op ?? "";
      counts.set(op, (counts.get(op) ?? 0) + 1);
    } else stack.push(...it.children);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
}

function NodeLink({ name, h, onFocus, suffix }: { name: string; h: Hierarchy; onFocus: (id: string) => void; suffix?: string }): JSX.Element {
  const index = h.nodeByName.get(name);
  const id = index === undefined ? undefined : h.itemOfNode[index];
  return (
    <li>
      {id ? (
        <button type="button" class="link" onClick={() => onFocus(id)}>
          {name}
        </button>
      ) : (
        <span>{name}</span>
      )}
      {suffix && <span class="muted"> {suffix}</span>}
    </li>
  );
}

export function NodeDetails({ graph, hierarchy: h, id, open, onToggle, onFocus, onClose }: Props): JSX.Element | null {
  const item = h.items.get(id);
  if (!item) return null;
  const node = item.kind === "op" ? graph.nodes[item.node] : undefined;
  const stats = node ? graph.stats?.[node.name] : undefined;
  const consumers = node ? graph.nodes.filter((n) => n.inputs.some((input) => input.name === node.name)) : [];
  return (
    <aside class="graph-details" data-testid="graph-details">
      <div class="graph-details-head">
        <h3 title={item.path}>{item.label}</h3>
        <button type="button" class="icon-button small" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      <div class="muted path">{item.path}</div>
      {node ? (
        <dl>
          <dt>Op</dt>
          <dd data-testid="graph-details-op">{node.op || "—"}</dd>
          {node.device && (
            <>
              <dt>Device</dt>
              <dd>{node.device}</dd>
            </>
          )}
          {node.shapes && (
            <>
              <dt>Output shapes</dt>
              <dd>{node.shapes.map((s, i) => <div key={i}>{`${i}: ${shapeText(s)}`}</div>)}</dd>
            </>
          )}
          {stats && (
            <>
              <dt>Compute</dt>
              <dd>{formatStat("compute", stats.compute_micros)}</dd>
              <dt>Memory</dt>
              <dd>{formatStat("memory", stats.memory_bytes)}</dd>
            </>
          )}
        </dl>
      ) : (
        <>
          <dl>
            <dt>Kind</dt>
            <dd data-testid="graph-details-op">{item.kind === "series" ? `series of ${item.children.length}` : "name scope"}</dd>
            <dt>Ops</dt>
            <dd>{item.opCount}</dd>
          </dl>
          <button type="button" class="graph-toggle" data-testid="graph-details-toggle" onClick={() => onToggle(id)}>
            {open ? "Close" : "Open"} {item.kind === "series" ? "series" : "scope"}
          </button>
          <h4>Most common ops</h4>
          <ul class="plain">
            {opsUnder(h, graph, item).map(([op, n]) => (
              <li key={op}>
                {op || "—"} <span class="muted">×{n}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {node && Object.keys(node.attrs).length > 0 && (
        <>
          <h4>Attributes</h4>
          <table class="graph-attrs">
            <tbody>
              {Object.entries(node.attrs).map(([key, value]) => (
                <tr key={key}>
                  <th>{key}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {node && node.inputs.length > 0 && (
        <>
          <h4>Inputs ({node.inputs.length})</h4>
          <ul class="plain">
            {node.inputs.map((input, i) => (
              <NodeLink key={i} name={input.name} h={h} onFocus={onFocus} suffix={input.control ? "(control)" : input.output ? `:${input.output}` : ""} />
            ))}
          </ul>
        </>
      )}
      {node && consumers.length > 0 && (
        <>
          <h4>Outputs ({consumers.length})</h4>
          <ul class="plain">
            {consumers.slice(0, 50).map((c) => (
              <NodeLink key={c.name} name={c.name} h={h} onFocus={onFocus} />
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
