import { describe, expect, it } from "vitest";
import { frameDocument, sandboxFor, scriptTags, setScripts } from "./frame";

describe("HTML frames", () => {
  it("never allow same-origin, and scripts only when asked", () => {
    expect(sandboxFor(false)).toBe("");
    expect(sandboxFor(true)).toBe("allow-scripts");
    expect(sandboxFor(true)).not.toContain("same-origin");
  });

  it("keep the fragment as logged, after the base style", () => {
    const doc = frameDocument("<p>hi</p><script>x()</script>");
    expect(doc.startsWith("<!doctype html>")).toBe(true);
    expect(doc.endsWith("<p>hi</p><script>x()</script>")).toBe(true);
  });

  it("follow the page's theme in their base style only", () => {
    expect(frameDocument("<p>x</p>", true)).toContain("color-scheme:dark");
    expect(frameDocument("<p>x</p>", false)).toContain("color-scheme:light");
  });

  it("remember the opt-in per tag", () => {
    setScripts("a", true);
    setScripts("b", true);
    setScripts("a", false);
    expect([...scriptTags.value]).toEqual(["b"]);
  });
});
