/** Fetching the scalar series of custom-scalar charts, several tags at once, through /api/v1/scalars. */
import { fetchScalars, type ScalarSeries } from "../../api/endpoints";

/** Every (run, tag) pair asked for, one request (or a few, for many runs) per tag. */
export async function fetchPairs(
  pairs: readonly { run: string; tag: string }[],
  maxPoints: number | undefined,
  signal?: AbortSignal,
  range?: { start: number; end: number } | null,
): Promise<ScalarSeries[]> {
  const byTag = new Map<string, string[]>();
  for (const { run, tag } of pairs) {
    const runs = byTag.get(tag);
    if (runs) runs.push(run);
    else byTag.set(tag, [run]);
  }
  const answers = await Promise.all([...byTag].map(([tag, runs]) => fetchScalars(tag, runs, maxPoints, signal, range)));
  return answers.flat();
}

export function pairKey(run: string, tag: string): string {
  return `${run}\u0000${tag}`;
}
