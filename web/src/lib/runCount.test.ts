import { describe, expect, it } from "vitest";
import { recordedRunsRegex, shownCount, shownPredicate } from "./runCount";
import { ALL } from "./selection";

const seed1 = (run: string): boolean => /seed-1/i.test(run);

describe("shown runs without the run list", () => {
  it("shows a run that matches the filter and is selected", () => {
    const shown = shownPredicate({ kind: "except", runs: new Set(["a/seed-1"]) }, seed1);
    expect(shown.has("b/seed-1")).toBe(true);
    expect(shown.has("a/seed-1")).toBe(false);
    expect(shown.has("b/seed-2")).toBe(false);
  });

  it("counts all selected as the server's count of matches", () => {
    expect(shownCount(ALL, 1500, seed1)).toBe(1500);
    expect(shownCount(ALL, null, seed1)).toBeNull();
  });

  it("counts only-selected runs that pass the filter, never more than match", () => {
    const only = { kind: "only", runs: new Set(["a/seed-1", "b/seed-1", "c/seed-2"]) } as const;
    expect(shownCount(only, 700, seed1)).toBe(2);
    expect(shownCount(only, 1, seed1)).toBe(1);
    expect(shownCount({ kind: "only", runs: new Set() }, 700, seed1)).toBe(0);
  });

  it("counts all-but-some as matches minus the hidden names that match", () => {
    const except = { kind: "except", runs: new Set(["a/seed-1", "c/seed-2"]) } as const;
    expect(shownCount(except, 700, seed1)).toBe(699);
    expect(shownCount(except, 0, seed1)).toBe(0);
    expect(shownCount(except, null, seed1)).toBeNull();
  });

  it("takes the server's count of recorded names that exist and match, once it has it", () => {
    const only = { kind: "only", runs: new Set(["a/seed-1", "gone/seed-1"]) } as const;
    expect(shownCount(only, 700, seed1)).toBe(2);
    expect(shownCount(only, 700, seed1, 1)).toBe(1);
    const except = { kind: "except", runs: new Set(["a/seed-1", "gone/seed-1"]) } as const;
    expect(shownCount(except, 700, seed1, 1)).toBe(699);
  });
});

describe("the regex the server counts recorded names with", () => {
  // Checked with Python's re.search over names inside and outside the set: only the set's names
  // that match the filter (case-insensitively) are found, whatever characters they hold.
  it("finds exactly the recorded names, escaped, behind the filter as a case-insensitive lookahead", () => {
    expect(recordedRunsRegex(["a/seed-1", "b.c (x)", "weird|n[1]", "Run 5"], "SEED|run")).toBe(
      "^(?=[\\s\\S]*?(?i:SEED|run))(?:Run\\ 5|a/seed\\-1|b\\.c\\ \\(x\\)|weird\\|n\\[1\\])\\Z",
    );
    expect(recordedRunsRegex(["x", "a/seed-1"], "")).toBe("^(?:a/seed\\-1|x)\\Z");
  });
  it("gives nothing to ask for no names or names too many for a URL", () => {
    expect(recordedRunsRegex([], "a")).toBeNull();
    expect(recordedRunsRegex(Array.from({ length: 2000 }, (_, i) => `run-${i}`), "")).toBeNull();
  });
});
