import { describe, expect, it } from "vitest";
import { PAGE_SIZE, pagesInView, withRunsTab } from "./tab";

const d = (name: string) => ({ name, tabName: name });

describe("the Runs tab", () => {
  it("goes right after scalars", () => {
    expect(withRunsTab([d("scalars"), d("images")]).map((x) => x.name)).toEqual(["scalars", "runs", "images"]);
  });
  it("goes last without scalars, and not at all without data", () => {
    expect(withRunsTab([d("images")]).map((x) => x.name)).toEqual(["images", "runs"]);
    expect(withRunsTab([])).toEqual([]);
  });
});

describe("pages in view", () => {
  it("covers the rows asked for, within the total", () => {
    expect(pagesInView(0, 10, 5)).toEqual([0]);
    expect(pagesInView(PAGE_SIZE - 1, PAGE_SIZE, 1000)).toEqual([0, 1]);
    expect(pagesInView(0, 5000, 2 * PAGE_SIZE)).toEqual([0, 1]);
    expect(pagesInView(0, 10, 0)).toEqual([]);
  });
});
