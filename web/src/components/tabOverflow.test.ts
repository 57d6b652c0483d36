import { describe, expect, it } from "vitest";
import { splitTabs } from "./tabOverflow";

describe("splitting header tabs into the strip and the More menu", () => {
  it("shows every tab when they fit, with no menu", () => {
    expect(splitTabs([50, 60, 70], 180, 0, 40)).toEqual({ visible: [0, 1, 2], overflow: [] });
  });

  it("keeps room for the menu button once a tab overflows", () => {
    // 181 px would not hold all three; 181 - 40 = 141 holds the first two.
    expect(splitTabs([50, 60, 70], 179, 0, 40)).toEqual({ visible: [0, 1], overflow: [2] });
    expect(splitTabs([50, 60, 70], 120, 0, 40)).toEqual({ visible: [0], overflow: [1, 2] });
  });

  it("keeps the selected tab in the strip, in place of the last that fitted", () => {
    expect(splitTabs([50, 60, 70, 80], 180, 3, 40)).toEqual({ visible: [0, 3], overflow: [1, 2] });
  });

  it("shows only the selected tab when nothing else fits beside it", () => {
    expect(splitTabs([50, 60, 200], 100, 2, 40)).toEqual({ visible: [2], overflow: [0, 1] });
  });

  it("ignores a selection that is not a tab", () => {
    expect(splitTabs([50, 60, 70], 120, -1, 40)).toEqual({ visible: [0], overflow: [1, 2] });
    expect(splitTabs([50, 60, 70], 120, 9, 40)).toEqual({ visible: [0], overflow: [1, 2] });
  });

  it("handles no tabs and no room", () => {
    expect(splitTabs([], 0, -1, 40)).toEqual({ visible: [], overflow: [] });
    expect(splitTabs([50], 0, -1, 40)).toEqual({ visible: [], overflow: [0] });
  });
});
