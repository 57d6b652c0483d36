import { describe, expect, it } from "vitest";
import { tabsFor } from "./dashboards";

const d = (name: string) => ({ name, tabName: name });

describe("header tabs from the plugins listing", () => {
  it("drops TensorBoard's Time Series and adds Runs after Scalars", () => {
    expect(tabsFor([d("timeseries"), d("scalars"), d("images")]).map((x) => x.name)).toEqual([
      "scalars",
      "runs",
      "images",
    ]);
  });

  it("shows no tabs for an empty listing, even one with only Time Series", () => {
    expect(tabsFor([d("timeseries")])).toEqual([]);
    expect(tabsFor([])).toEqual([]);
  });
});
