/** The shared tag filter input (the same signal as every dashboard's, so it carries across tabs). */
import type { JSX } from "preact";
import * as s from "../state/store";

export function TagFilter({ placeholder = "Filter tags (regex)   /" }: { placeholder?: string }): JSX.Element {
  const filter = s.tagFilterCompiled.value;
  return (
    <>
      <input
        id="tag-filter"
        class={`filter ${filter.ok ? "" : "invalid"}`}
        type="search"
        placeholder={placeholder}
        value={s.tagFilter.value}
        onInput={(e) => (s.tagFilter.value = e.currentTarget.value)}
        aria-invalid={!filter.ok}
        data-testid="tag-filter"
        spellcheck={false}
      />
      {!filter.ok && (
        <span class="filter-error" role="alert" data-testid="tag-filter-error">
          {filter.error}
        </span>
      )}
    </>
  );
}
