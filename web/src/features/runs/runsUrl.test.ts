import { describe, expect, it } from "vitest";
import { parseRunsView, withRunsView } from "./runsUrl";

describe("the runs table in the URL", () => {
  it("round-trips the query and a descending sort", () => {
    const search = withRunsView("?tagFilter=loss", 'lr < 0.1 and opt == "adam"', { column: "m:max:val/acc", descending: true });
    expect(new URLSearchParams(search).get("tagFilter")).toBe("loss");
    expect(parseRunsView(search)).toEqual({ query: 'lr < 0.1 and opt == "adam"', sort: { column: "m:max:val/acc", descending: true } });
  });
  it("leaves an empty query and no sort out", () => {
    expect(withRunsView("?runsQuery=x&runsSort=name", "  ", null)).toBe("");
    expect(parseRunsView("")).toEqual({ query: "", sort: null });
  });
});
