import { describe, expect, it } from "vitest";
import { parseGroupView, withGroupView } from "./groupUrl";

describe("grouping in the URL", () => {
  it("round-trips a grouped view and keeps other parameters", () => {
    const view = { mode: "regex" as const, hparam: "", regex: "^(.*)/seed", center: "median" as const, band: "ci95" as const, members: true };
    const search = withGroupView("?smoothing=0.9", view);
    expect(new URLSearchParams(search).get("smoothing")).toBe("0.9");
    expect(parseGroupView(search)).toEqual(view);
  });
  it("leaves defaults and an ungrouped view out", () => {
    expect(withGroupView("", { mode: "hparam", hparam: "lr", regex: "", center: "mean", band: "minmax", members: false })).toBe("?groupBy=lr");
    expect(withGroupView("?groupBy=lr&groupBand=std", { mode: "none", hparam: "lr", regex: "", center: "mean", band: "std", members: false })).toBe("");
  });
  it("ignores unknown bands", () => {
    expect(parseGroupView("?groupBy=lr&groupBand=iqr").band).toBe("minmax");
  });
});
