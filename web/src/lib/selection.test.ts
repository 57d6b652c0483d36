import { describe, expect, it } from "vitest";
import { ALL, isSelected, setSelected, toggle } from "./selection";

describe("run selection", () => {
  it("starts with every run, including later ones", () => {
    expect(isSelected(ALL, "anything")).toBe(true);
  });

  it("unchecking one run of all records just that one", () => {
    const s = toggle(ALL, "b");
    expect(s).toEqual({ kind: "except", runs: new Set(["b"]) });
    expect(isSelected(s, "b")).toBe(false);
    expect(isSelected(s, "new run")).toBe(true);
    expect(toggle(s, "b")).toEqual(ALL);
  });

  it("none, then some", () => {
    let s = { kind: "only" as const, runs: new Set<string>() };
    expect(isSelected(s, "a")).toBe(false);
    const t = toggle(s, "a");
    expect(isSelected(t, "a")).toBe(true);
    expect(isSelected(t, "b")).toBe(false);
    s = { kind: "only", runs: new Set(["a", "b"]) };
    expect(setSelected(s, ["a"], false)).toEqual({ kind: "only", runs: new Set(["b"]) });
  });

  it("selects and clears groups of runs", () => {
    const hidden = setSelected(ALL, ["a", "b"], false);
    expect(isSelected(hidden, "a")).toBe(false);
    expect(setSelected(hidden, ["a", "b"], true)).toEqual(ALL);
  });
});
