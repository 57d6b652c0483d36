import { describe, expect, it } from "vitest";
import type { Filter } from "./filter";
import { parseHParamsView, withHParamsView } from "./hparamsUrl";

describe("the HParams view in the URL", () => {
  it("round-trips the view, colour, log switches and every kind of filter", () => {
    const view = {
      view: "scatter" as const,
      colorBy: "m:val/acc",
      log: new Map([["h:lr", false]]),
      filters: new Map<string, Filter>([
        ["h:lr", { kind: "range", lo: 1e-3, hi: Infinity }],
        ["m:loss", { kind: "range", lo: -Infinity, hi: 0.5 }],
        ["h:opt", { kind: "set", values: ["adam", "sgd"] }],
        ["h:arch", { kind: "text", terms: ["res"] }],
      ]),
    };
    const search = withHParamsView("?runsQuery=x", view);
    expect(new URLSearchParams(search).get("runsQuery")).toBe("x");
    expect(parseHParamsView(search)).toEqual(view);
  });
  it("leaves the defaults out and ignores what it cannot read", () => {
    const defaults = { view: "parallel" as const, colorBy: null, log: new Map(), filters: new Map() };
    expect(withHParamsView("?hpView=table&hpFilters=%7B%7D", defaults)).toBe("");
    expect(parseHParamsView("?hpView=nope&hpFilters=[1]&hpLog=%7B%22a%22%3A1%7D")).toEqual(defaults);
    expect(parseHParamsView('?hpFilters={"a":[1,"x"],"b":{"in":[1]},"c":[0,1]}').filters).toEqual(
      new Map([["c", { kind: "range", lo: 0, hi: 1 }]]),
    );
  });
});
