import { describe, expect, it } from "vitest";
import { compileSearch, parseMetadata, searchColumn } from "./metadata";

describe("parseMetadata", () => {
  it("reads a first line holding a tab as the header of several columns", () => {
    const meta = parseMetadata("word\tcount\ncat\t3\ndog\t5\ncat\t1\n");
    expect(meta.rows).toBe(3);
    expect(meta.columns.map((c) => c.name)).toEqual(["word", "count"]);
    expect(meta.columns[0]!.values).toEqual(["cat", "dog"]);
    expect(Array.from(meta.columns[0]!.codes)).toEqual([0, 1, 0]);
    expect(Array.from(meta.columns[1]!.numbers!)).toEqual([3, 5, 1]);
    expect(meta.columns[0]!.numbers).toBeNull();
  });

  it("reads a file without tabs as one headerless column named label", () => {
    const meta = parseMetadata("first\nsecond\r\nthird");
    expect(meta.columns.map((c) => c.name)).toEqual(["label"]);
    expect(meta.rows).toBe(3);
    expect(meta.columns[0]!.values).toEqual(["first", "second", "third"]);
  });

  it("stops at the tensor's row count and fills missing cells with empty strings", () => {
    const meta = parseMetadata("a\tb\n1\n2\tx\n3\ty\n", 2);
    expect(meta.rows).toBe(2);
    expect(meta.columns[1]!.values).toEqual(["", "x"]);
  });
});

describe("searchColumn", () => {
  const meta = parseMetadata("word\tn\ncat\t1\ndog\t2\nCatfish\t3\nbird\t4\n");

  it("returns the rows whose value matches the regex, case-insensitively", () => {
    expect(Array.from(searchColumn(meta.columns[0]!, compileSearch("^cat")))).toEqual([0, 2]);
    expect(Array.from(searchColumn(meta.columns[0]!, compileSearch("o|i")))).toEqual([1, 2, 3]);
  });

  it("searches an invalid regex literally instead of failing", () => {
    const m = parseMetadata("x\ty\na(b\t1\nab\t2\n");
    expect(Array.from(searchColumn(m.columns[0]!, compileSearch("a(b")))).toEqual([0]);
  });

  it("gives the same answer for a global regex on every value (lastIndex is reset)", () => {
    expect(Array.from(searchColumn(meta.columns[0]!, /a/gi))).toEqual([0, 2]);
  });
});
