import { describe, expect, it } from "vitest";
import type { OpRow } from "../../api/profile";
import { formatBytes, formatMicros, nextSort, sortOps, sortRows } from "./opSort";

const row = (name: string, calls: number, self: number): OpRow => ({
  name,
  category: "cpu_op",
  device: "host",
  calls,
  self_us: self,
  total_us: self * 2,
  self_percent: 0,
  step_percent: self / 10,
});

const rows = [row("aten::mm", 8, 300), row("aten::add_", 40, 20), row("aten::t", 8, 20)];

describe("op table sorting", () => {
  it("sorts numbers largest first and keeps the server order on ties", () => {
    const sorted = sortOps(rows, { column: "self_us", descending: true });
    expect(sorted.map((r) => r.name)).toEqual(["aten::mm", "aten::add_", "aten::t"]);
    expect(sortOps(rows, { column: "calls", descending: true })[0]?.name).toBe("aten::add_");
  });

  it("sorts names alphabetically and flips on a second click", () => {
    let sort = nextSort({ column: "self_us", descending: true }, "name");
    expect(sort).toEqual({ column: "name", descending: false });
    expect(sortOps(rows, sort).map((r) => r.name)).toEqual(["aten::add_", "aten::mm", "aten::t"]);
    sort = nextSort(sort, "name");
    expect(sortOps(rows, sort)[0]?.name).toBe("aten::t");
  });

  it("formats durations and sizes", () => {
    expect(formatMicros(812)).toBe("812 µs");
    expect(formatMicros(12_400)).toBe("12.4 ms");
    expect(formatMicros(1_520_000)).toBe("1.52 s");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(360_624)).toBe("352.2 KiB");
  });

  it("treats a missing % of step as lower than any number", () => {
    const withNull = [...rows, { ...row("aten::empty", 1, 0), step_percent: null }];
    expect(sortOps(withNull, { column: "step_percent", descending: true }).at(-1)?.name).toBe("aten::empty");
    expect(sortOps(withNull, { column: "step_percent", descending: false })[0]?.name).toBe("aten::empty");
  });

  it("sorts any row type by a numeric or text key", () => {
    const kernels = [{ name: "sgemm", calls: 3 }, { name: "fill", calls: 12 }];
    expect(sortRows(kernels, "calls", true).map((k) => k.name)).toEqual(["fill", "sgemm"]);
    expect(sortRows(kernels, "name", false).map((k) => k.name)).toEqual(["fill", "sgemm"]);
  });
});
