import { describe, expect, it } from "vitest";
import { parseGroupView, withGroupView } from "./groupUrl";

describe("grouping in the URL", () => {
  it("round-trips a grouped view and keeps other parameters", () => {
    const view = { mode: "regex" as const, hparams: [], regex: "^(.*)/seed", center: "median" as const, band: "ci95" as const, members: true };
    const search = withGroupView("?smoothing=0.9", view);
    expect(new URLSearchParams(search).get("smoothing")).toBe("0.9");
    expect(parseGroupView(search)).toEqual(view);
  });
  it("leaves defaults and an ungrouped view out", () => {
    expect(withGroupView("", { mode: "hparam", hparams: ["lr"], regex: "", center: "mean", band: "minmax", members: false })).toBe("?groupBy=lr");
    expect(withGroupView("?groupBy=lr&groupBand=std", { mode: "none", hparams: ["lr"], regex: "", center: "mean", band: "std", members: false })).toBe("");
  });
  it("keeps several hparams as repeated groupBy parameters, in the order picked", () => {
    const view = { mode: "hparam" as const, hparams: ["opt", "lr"], regex: "", center: "mean" as const, band: "minmax" as const, members: false };
    const search = withGroupView("?tab=scalars", view);
    expect(search).toBe("?tab=scalars&groupBy=opt&groupBy=lr");
    expect(parseGroupView(search)).toEqual(view);
  });
  it("reads a link made when one hparam only could be picked", () => {
    expect(parseGroupView("?groupBy=lr&groupBand=std")).toMatchObject({ mode: "hparam", hparams: ["lr"], band: "std" });
  });
  it("drops empty and repeated hparam names", () => {
    expect(parseGroupView("?groupBy=&groupBy=lr&groupBy=lr").hparams).toEqual(["lr"]);
    expect(parseGroupView("?groupBy=").mode).toBe("none");
  });
  it("ignores unknown bands", () => {
    expect(parseGroupView("?groupBy=lr&groupBand=iqr").band).toBe("minmax");
  });
});
