import { describe, expect, it } from "vitest";
import { graphChoices } from "./graphs";

describe("graphChoices", () => {
  it("lists the run graph first, then each tag's op, conceptual and profile graphs", () => {
    const tag = (name: string, flags: Partial<Record<"op_graph" | "conceptual_graph" | "profile", boolean>>) => ({
      tag: name, op_graph: false, conceptual_graph: false, profile: false, ...flags,
    });
    const choices = graphChoices({
      a: { run: "a", run_graph: true, tags: { step1: tag("step1", { profile: true }), trace: tag("trace", { op_graph: true, profile: true }) } },
      k: { run: "k", run_graph: false, tags: { keras: tag("keras", { conceptual_graph: true }), lone: tag("lone", { profile: true }) } },
    });
    expect(choices.map((c) => [c.run, c.tag, c.conceptual, c.profile, c.label])).toEqual([
      ["a", null, false, false, "Op graph (run)"],
      ["a", "step1", false, true, "step1: run graph + profile"],
      ["a", "trace", false, true, "trace: op graph + profile"],
      ["k", "keras", true, false, "keras: conceptual (Keras)"],
    ]);
  });
});
