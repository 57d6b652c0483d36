/**
 * Several lines with their own x values as one uPlot table: the union of every x, and per line a
 * column with null where that line has no point (uPlot draws across nulls with `spanGaps`, or
 * breaks the line without it).
 */
export interface Line {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

export function alignLines(lines: readonly Line[]): { xs: number[]; columns: (number | null)[][] } {
  const all = new Set<number>();
  for (const line of lines) for (let i = 0; i < line.xs.length; i++) all.add(line.xs[i] as number);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = lines.map((line) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (let i = 0; i < line.xs.length; i++) {
      const y = line.ys[i];
      column[index.get(line.xs[i] as number) as number] = y === undefined || !Number.isFinite(y) ? null : y;
    }
    return column;
  });
  return { xs, columns };
}

/** How a group is described in the legend: its label and how many runs it pools. */
export function groupTitle(label: string, runs: number): string {
  return `${label || "(empty)"} · ${runs} ${runs === 1 ? "run" : "runs"}`;
}

/** The `run` parameter for the groups route: none when every run is shown, else the names. */
export function runsParam(shown: ReadonlySet<string>, total: number, maxChars = 6000): string[] | null | "too-many" {
  if (shown.size === total) return null;
  const names = [...shown].sort();
  const chars = names.reduce((n, r) => n + encodeURIComponent(r).length + 5, 0);
  return chars > maxChars ? "too-many" : names;
}
