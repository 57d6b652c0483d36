import { describe, expect, it } from "vitest";
import { compareTags, sortTags } from "./naturalSort";

describe("natural tag order", () => {
  it("compares numbers by value", () => {
    expect(compareTags("a2b", "a10b")).toBeLessThan(0);
    expect(sortTags(["step10", "step9", "step100"])).toEqual(["step9", "step10", "step100"]);
  });

  it("compares slash components first", () => {
    expect(compareTags("a/a", "a+/a")).toBeLessThan(0);
    expect(sortTags(["loss/b", "loss", "loss/a"])).toEqual(["loss", "loss/a", "loss/b"]);
  });

  it("is a total order on equal strings", () => {
    expect(compareTags("x", "x")).toBe(0);
  });
});
