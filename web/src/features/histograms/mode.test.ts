import { describe, expect, it } from "vitest";
import { parseMode, withMode } from "./mode";

describe("histogram mode in the URL", () => {
  it("defaults to offset and reads overlay", () => {
    expect(parseMode("")).toBe("offset");
    expect(parseMode("?histogramMode=overlay")).toBe("overlay");
    expect(parseMode("?histogramMode=bogus")).toBe("offset");
  });
  it("writes only overlay and keeps other parameters", () => {
    expect(withMode("?tagFilter=w", "overlay")).toBe("?tagFilter=w&histogramMode=overlay");
    expect(withMode("?tagFilter=w&histogramMode=overlay", "offset")).toBe("?tagFilter=w");
    expect(withMode("", "offset")).toBe("");
  });
});
