/**
 * Grouping in the scalars dashboard: which runs form a group (one or several hparams, whose
 * values together are the key, or a regex on the run name whose capture groups are the key), and how a group is drawn (mean or median line, which
 * band, member runs faintly or not). groupUrl.ts mirrors them into the URL.
 */
import { computed, signal } from "@preact/signals";
import type { GroupBand } from "../../api/runs";

export type GroupMode = "none" | "hparam" | "regex";

export const groupMode = signal<GroupMode>("none");
/** The hparams whose values form the group key, in the order the user picked them. */
export const groupHparams = signal<readonly string[]>([]);
/** The regex typed; ``appliedRegex`` follows it once typing pauses. */
export const groupRegex = signal("");
export const appliedRegex = signal("");
export const groupCenter = signal<"mean" | "median">("mean");
export const groupBand = signal<GroupBand>("minmax");
export const showMembers = signal(false);
/** Hparam names the experiment has (for the "group by" menu). */
export const hparamNames = signal<readonly string[]>([]);

export type GroupRequest = { groupBy: string[] } | { nameRegex: string };

/** What to ask the server for, or null while grouping is off (or not yet specified). */
export const groupRequest = computed<GroupRequest | null>(() => {
  if (groupMode.value === "hparam" && groupHparams.value.length > 0) return { groupBy: [...groupHparams.value] };
  if (groupMode.value === "regex" && appliedRegex.value) return { nameRegex: appliedRegex.value };
  return null;
});

export const BAND_NAMES: Record<GroupBand, string> = {
  minmax: "min–max",
  std: "± std",
  ci95: "95 % CI",
  none: "no band",
};

/** The hparam list with ``name`` switched on (appended, keeping the pick order) or off. */
export function toggled(list: readonly string[], name: string, on: boolean): string[] {
  const rest = list.filter((n) => n !== name);
  return on ? [...rest, name] : rest;
}
