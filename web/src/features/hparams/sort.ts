/**
 * The HParams table's client-side sort (the sessions are all in memory: the plots need them
 * anyway). Numbers by value, others in natural order; sessions lacking the value last either way;
 * ties by name so the order is stable.
 */
import { compareTags } from "../../lib/naturalSort";
import { categoryOf, type Session } from "./model";

export interface SortState {
  /** An axis id, or "name". */
  column: string;
  descending: boolean;
}

export function sortSessions(sessions: readonly Session[], sort: SortState | null): Session[] {
  const out = [...sessions];
  if (sort === null) return out;
  const sign = sort.descending ? -1 : 1;
  out.sort((a, b) => {
    if (sort.column === "name") return sign * compareTags(a.name, b.name);
    const x = a.values.get(sort.column);
    const y = b.values.get(sort.column);
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
      return compareTags(a.name, b.name);
    }
    let c: number;
    if (typeof x === "number" && typeof y === "number") c = x - y;
    else c = compareTags(categoryOf(x), categoryOf(y));
    return c !== 0 && !Number.isNaN(c) ? sign * c : compareTags(a.name, b.name);
  });
  return out;
}

/** A header click: numbers start descending (best metric first), text ascending; then reverse. */
export function nextSort(current: SortState | null, column: string, numeric: boolean): SortState {
  if (current?.column === column) return { column, descending: !current.descending };
  return { column, descending: numeric };
}
