/**
 * Which step a media card shows. The slider moves over the indices of the steps that have data
 * (so it always lands on one); the card remembers the chosen *step*, or null for "the latest",
 * which follows new steps as they arrive live.
 */

/** Index of the step nearest to ``step`` in ascending ``steps`` (ties go to the earlier one); -1 if empty. */
export function nearestIndex(steps: readonly number[], step: number): number {
  if (steps.length === 0) return -1;
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as number) < step) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first step >= target; the one before may be nearer.
  if (lo > 0 && step - (steps[lo - 1] as number) <= (steps[lo] as number) - step) return lo - 1;
  return lo;
}

/** The index shown for a chosen step (null: the latest). */
export function shownIndex(steps: readonly number[], chosen: number | null): number {
  if (steps.length === 0) return -1;
  return chosen === null ? steps.length - 1 : nearestIndex(steps, chosen);
}

/** What to remember when the user picks ``index``: the last index means "follow the latest". */
export function chooseIndex(steps: readonly number[], index: number): number | null {
  if (steps.length === 0) return null;
  const clamped = Math.min(Math.max(Math.round(index), 0), steps.length - 1);
  return clamped === steps.length - 1 ? null : (steps[clamped] as number);
}
