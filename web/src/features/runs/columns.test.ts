import { describe, expect, it } from "vitest";
import type { RunRow } from "../../api/runs";
import { buildColumns, errorColumn, formatElapsed, metricColumn, nextSort, quoteName, sortParam, toCsv } from "./columns";

const ROW: RunRow = {
  name: 'lr "0.1", seed 1',
  startTime: 1_700_000_000,
  lastWallTime: 1_700_000_090,
  lastStep: 1200,
  status: "finished",
  hparams: { lr: 0.1, optimizer: "adam" },
  metrics: { "val/acc": { last: 0.9, min: 0.1, max: Number.NaN, lastStep: 1200 } },
};

const AVAILABLE = {
  hparams: [
    { name: "lr", type: "number" as const, runs: 3 },
    { name: "optimizer", type: "string" as const, runs: 3 },
  ],
  metrics: [{ tag: "val/acc", runs: 3 }],
};

describe("columns", () => {
  it("lists fixed columns, hparams, then last/min/max per chosen metric", () => {
    const ids = buildColumns(AVAILABLE, new Set(["duration", "hp:optimizer"]), ["val/acc"]).map((c) => c.id);
    expect(ids).toEqual(["name", "start", "last_step", "status", "hp:lr", "m:last:val/acc", "m:min:val/acc", "m:max:val/acc"]);
  });

  it("never hides the run name", () => {
    expect(buildColumns(null, new Set(["name"]), [])[0]?.id).toBe("name");
  });

  it("sorts with the server's operands, names in backticks", () => {
    const columns = buildColumns(AVAILABLE, new Set(), ["val/acc"]);
    expect(sortParam({ column: "hp:lr", descending: false }, columns)).toBe("hparam(`lr`)");
    expect(sortParam({ column: "m:max:val/acc", descending: true }, columns)).toBe("-max(`val/acc`)");
    expect(sortParam({ column: "duration", descending: true }, columns)).toBe("-duration");
    expect(sortParam(null, columns)).toBe("");
    expect(quoteName("a`b")).toBeNull();
  });

  it("sorts numbers descending first and toggles on a second click", () => {
    const column = metricColumn("loss", "min");
    const first = nextSort(null, column);
    expect(first).toEqual({ column: "m:min:loss", descending: true });
    expect(nextSort(first, column).descending).toBe(false);
  });

  it("finds the offending column in the server's message", () => {
    expect(errorColumn("at column 5: expected a number, found the end")).toBe(5);
    expect(errorColumn("invalid regex '(': missing )")).toBeNull();
  });

  it("exports CSV with quoted names, raw numbers and ISO start times", () => {
    const columns = buildColumns(AVAILABLE, new Set(), ["val/acc"]);
    const csv = toCsv(columns, [ROW]);
    const [header, line] = csv.split("\r\n");
    expect(header).toBe("Run,Start,Duration,Last step,Status,lr,optimizer,val/acc last,val/acc min,val/acc max");
    expect(line).toBe('"lr ""0.1"", seed 1",2023-11-14T22:13:20.000Z,90,1200,finished,0.1,adam,0.9,0.1,NaN');
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("formats cells for display", () => {
    const columns = buildColumns(AVAILABLE, new Set(), ["val/acc"]);
    const text = Object.fromEntries(columns.map((c) => [c.id, c.text(ROW)]));
    expect(text["duration"]).toBe("1m 30s");
    expect(text["m:max:val/acc"]).toBe("NaN");
    expect(text["hp:optimizer"]).toBe("adam");
    expect(text["last_step"]).toBe("1200");
    expect(formatElapsed(0.25)).toBe("250 ms");
  });
});
