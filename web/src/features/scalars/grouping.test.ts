import { describe, expect, it } from "vitest";
import { groupName, groupTags } from "./grouping";

describe("tag groups", () => {
  it("group by the part before the first slash", () => {
    expect(groupName("loss/train/total")).toBe("loss");
    expect(groupName("lr")).toBe("lr");
  });
  it("sort naturally and filter", () => {
    const groups = groupTags(["loss/b10", "acc", "loss/b2", "lr"], (t) => t !== "lr");
    expect(groups).toEqual([
      { name: "acc", tags: ["acc"] },
      { name: "loss", tags: ["loss/b2", "loss/b10"] },
    ]);
  });
});
