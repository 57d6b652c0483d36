import { describe, expect, it } from "vitest";
import { DEFAULT_MEDIA_VIEW, imageFilter, parseMediaView, serializeMediaView } from "./mediaState";

describe("media view in the URL", () => {
  it("leaves defaults out and keeps other parameters", () => {
    expect(serializeMediaView(DEFAULT_MEDIA_VIEW, "?tagFilter=x")).toBe("?tagFilter=x");
    expect(serializeMediaView(DEFAULT_MEDIA_VIEW, "")).toBe("");
  });
  it("round-trips every setting", () => {
    const view = { brightness: 1.5, contrast: 0.25, imageSize: "actual", textSteps: "all", syncSteps: true } as const;
    const search = serializeMediaView(view, "?runs=%5B%22a%22%5D&brightness=2");
    expect(search).toContain("runs=");
    expect(parseMediaView(search)).toEqual(view);
  });
  it("clamps factors and ignores garbage", () => {
    expect(parseMediaView("?brightness=99&contrast=abc&imageSize=huge&textSteps=x")).toEqual({
      ...DEFAULT_MEDIA_VIEW,
      brightness: 3,
    });
    expect(parseMediaView("?brightness=-1").brightness).toBe(0);
  });
});

describe("imageFilter", () => {
  it("is none when neutral (no filter pass on every image)", () => {
    expect(imageFilter(1, 1)).toBe("none");
  });
  it("names both factors otherwise", () => {
    expect(imageFilter(1.5, 1)).toBe("brightness(1.5) contrast(1)");
  });
});
