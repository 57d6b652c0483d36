import { describe, expect, it } from "vitest";
import type { RunTableResponse } from "./generated";
import { rowsFromColumns } from "./runTable";

describe("run table columns", () => {
  it("become one row per name, leaving out what a run lacks", () => {
    const table: RunTableResponse = {
      total: 3,
      names: ["a", "b", "c"],
      hparams: { lr: [0.1, null, 0.01], opt: ["adam", "sgd", null], wd: [null, true, null] },
      metrics: {
        "val/acc": { last: [0.5, null, "NaN"], min: [0.1, null, 0.2], max: [0.9, null, "Infinity"], last_step: [9, null, 3] },
      },
    };
    const rows = rowsFromColumns(table);
    expect(rows.map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(rows[0]?.hparams).toEqual({ lr: 0.1, opt: "adam" });
    expect(rows[1]?.hparams).toEqual({ opt: "sgd", wd: true });
    expect(rows[0]?.metrics["val/acc"]).toEqual({ last: 0.5, min: 0.1, max: 0.9, lastStep: 9 });
    expect(rows[1]?.metrics).toEqual({});
    expect(Number.isNaN(rows[2]?.metrics["val/acc"]?.last)).toBe(true);
    expect(rows[2]?.metrics["val/acc"]?.max).toBe(Number.POSITIVE_INFINITY);
  });
});
