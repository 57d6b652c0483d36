/**
 * Grouping in the URL, so a link reproduces the grouped view: `groupBy` (an hparam, repeated for
 * several: `?groupBy=lr&groupBy=opt`, so links made when only one hparam could be picked still
 * parse, and a comma in an hparam name needs no escaping) or `groupRegex`, `groupCenter=median`, `groupBand` (std, ci95, none) and `groupRuns=true`; defaults
 * are left out. The shared URL code keeps parameters it does not know, so this module owns these.
 */
import { effect } from "@preact/signals";
import type { GroupBand } from "../../api/runs";
import * as g from "./groupState";

export interface GroupView {
  mode: g.GroupMode;
  hparams: string[];
  regex: string;
  center: "mean" | "median";
  band: GroupBand;
  members: boolean;
}

const PARAMS = ["groupBy", "groupRegex", "groupCenter", "groupBand", "groupRuns"];
const BANDS: readonly GroupBand[] = ["minmax", "std", "ci95", "none"];

export function parseGroupView(search: string): GroupView {
  const params = new URLSearchParams(search);
  const hparams = [...new Set(params.getAll("groupBy").filter((name) => name !== ""))];
  const regex = params.get("groupRegex") ?? "";
  const band = params.get("groupBand") as GroupBand | null;
  return {
    mode: hparams.length > 0 ? "hparam" : regex ? "regex" : "none",
    hparams,
    regex,
    center: params.get("groupCenter") === "median" ? "median" : "mean",
    band: band !== null && BANDS.includes(band) ? band : "minmax",
    members: params.get("groupRuns") === "true",
  };
}

export function withGroupView(search: string, view: GroupView): string {
  const params = new URLSearchParams(search);
  for (const key of PARAMS) params.delete(key);
  if (view.mode === "hparam") for (const name of view.hparams) params.append("groupBy", name);
  if (view.mode === "regex" && view.regex) params.set("groupRegex", view.regex);
  if (view.mode !== "none") {
    if (view.center !== "mean") params.set("groupCenter", view.center);
    if (view.band !== "minmax") params.set("groupBand", view.band);
    if (view.members) params.set("groupRuns", "true");
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function apply(view: GroupView): void {
  g.groupMode.value = view.mode;
  g.groupHparams.value = view.hparams;
  g.groupRegex.value = view.regex;
  g.appliedRegex.value = view.regex;
  g.groupCenter.value = view.center;
  g.groupBand.value = view.band;
  g.showMembers.value = view.members;
}

let synced = false;

/** Reads the grouping from the URL once, then mirrors it back (and follows back / forward). */
export function syncGroupsWithUrl(): void {
  if (synced || typeof location === "undefined") return;
  synced = true;
  apply(parseGroupView(location.search));
  effect(() => {
    const view: GroupView = {
      mode: g.groupMode.value,
      hparams: [...g.groupHparams.value],
      regex: g.appliedRegex.value,
      center: g.groupCenter.value,
      band: g.groupBand.value,
      members: g.showMembers.value,
    };
    const search = withGroupView(location.search, view);
    if (search !== location.search) {
      history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }
  });
  addEventListener("popstate", () => apply(parseGroupView(location.search)));
}
