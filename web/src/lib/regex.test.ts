import { describe, expect, it } from "vitest";
import { compileFilter } from "./regex";

describe("compileFilter", () => {
  it("matches everything when empty", () => {
    expect(compileFilter("").test("anything")).toBe(true);
  });
  it("is case-insensitive and unanchored", () => {
    const f = compileFilter("LOSS");
    expect(f.test("train/loss/total")).toBe(true);
    expect(f.test("accuracy")).toBe(false);
  });
  it("reports an invalid regex and matches nothing", () => {
    const f = compileFilter("(unclosed");
    expect(f.ok).toBe(false);
    expect(f.ok ? "" : f.error).toMatch(/Invalid regular expression/);
    expect(f.test("unclosed")).toBe(false);
  });
});
