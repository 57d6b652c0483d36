import { describe, expect, it } from "vitest";
import { isSmallImage, moveIndex } from "./imageView";

describe("isSmallImage", () => {
  it("pixelates tiny images and leaves photos smooth", () => {
    expect(isSmallImage(4, 4)).toBe(true);
    expect(isSmallImage(28, 28)).toBe(true);
    expect(isSmallImage(128, 64)).toBe(true);
    expect(isSmallImage(129, 16)).toBe(false);
    expect(isSmallImage(640, 480)).toBe(false);
  });
  it("is false before the size is known", () => {
    expect(isSmallImage(0, 0)).toBe(false);
  });
});

describe("moveIndex", () => {
  it("moves and clamps to the steps there are", () => {
    expect(moveIndex(1, 1, 3)).toBe(2);
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(0, -1, 3)).toBe(0);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});
