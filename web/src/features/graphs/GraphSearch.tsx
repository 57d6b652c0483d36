/** Search a node or scope by name: matches as you type; Enter or a click jumps to it. */
import type { JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { type Hierarchy, searchItems } from "./hierarchy";

export function GraphSearch({ hierarchy, onPick }: { hierarchy: Hierarchy; onPick: (id: string) => void }): JSX.Element {
  const [query, setQuery] = useState("");
  const [focused, setFocused] = useState(false);
  const matches = useMemo(() => searchItems(hierarchy.items, query, 30), [hierarchy, query]);
  const pick = (id: string): void => {
    setFocused(false);
    onPick(id);
  };
  return (
    <div class="graph-search">
      <input
        type="search"
        placeholder="Search nodes by name…"
        data-testid="graph-search"
        value={query}
        onInput={(e) => {
          setQuery((e.target as HTMLInputElement).value);
          setFocused(true);
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => setTimeout(() => setFocused(false), 150)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && matches[0]) pick(matches[0].id);
          if (e.key === "Escape") setFocused(false);
        }}
      />
      {focused && query.trim() && (
        <ul class="graph-search-results" role="listbox">
          {matches.length === 0 && <li class="muted">No node matches.</li>}
          {matches.map((m) => (
            <li key={m.id} role="option" data-testid="graph-search-result" data-id={m.id} onMouseDown={(e) => { e.preventDefault(); pick(m.id); }}>
              <span class="kind">{m.kind === "op" ? "op" : m.kind}</span> {m.path}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
