/**
 * Which runs are selected. Three shapes, so that the common cases stay small in the URL even
 * with 100,000 runs: all of them (also runs that appear later), only some, or all except some
 * (unchecking one run of many records one name, and runs that appear later are shown).
 */
export type RunSelection =
  | { kind: "all" }
  | { kind: "only"; runs: ReadonlySet<string> }
  | { kind: "except"; runs: ReadonlySet<string> };

export const ALL: RunSelection = { kind: "all" };

export function isSelected(selection: RunSelection, run: string): boolean {
  if (selection.kind === "all") return true;
  return selection.kind === "only" ? selection.runs.has(run) : !selection.runs.has(run);
}

function except(runs: Set<string>): RunSelection {
  return runs.size === 0 ? ALL : { kind: "except", runs };
}

/** ``selection`` with each of ``runs`` selected (``select``) or not. */
export function setSelected(
  selection: RunSelection,
  runs: Iterable<string>,
  select: boolean,
): RunSelection {
  if (selection.kind === "only") {
    const next = new Set(selection.runs);
    for (const run of runs) {
      if (select) next.add(run);
      else next.delete(run);
    }
    return { kind: "only", runs: next };
  }
  const hidden = new Set(selection.kind === "except" ? selection.runs : []);
  for (const run of runs) {
    if (select) hidden.delete(run);
    else hidden.add(run);
  }
  return except(hidden);
}

export function toggle(selection: RunSelection, run: string): RunSelection {
  return setSelected(selection, [run], !isSelected(selection, run));
}
