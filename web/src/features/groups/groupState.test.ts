import { describe, expect, it } from "vitest";
import { groupHparams, groupMode, groupRequest, toggled } from "./groupState";

describe("grouping by several hparams", () => {
  it("adds a ticked hparam at the end and removes an unticked one", () => {
    expect(toggled(["lr"], "opt", true)).toEqual(["lr", "opt"]);
    expect(toggled(["lr", "opt"], "lr", false)).toEqual(["opt"]);
    expect(toggled(["lr", "opt"], "lr", true)).toEqual(["opt", "lr"]);
  });
  it("asks the server to group by every picked hparam, and not at all with none picked", () => {
    groupMode.value = "hparam";
    groupHparams.value = ["opt", "lr"];
    expect(groupRequest.value).toEqual({ groupBy: ["opt", "lr"] });
    groupHparams.value = [];
    expect(groupRequest.value).toBeNull();
    groupMode.value = "none";
  });
});
