import { describe, expect, it } from "vitest";
import type { Experiment } from "../../api/hparams";
import { parseExperiment } from "../../api/hparams";
import type { RunRow } from "../../api/runs";
import { buildModel, joinRun, metricTags } from "./model";
import { nextSort, sortSessions } from "./sort";

const row = (name: string, hparams: RunRow["hparams"], metrics: Record<string, number> = {}): RunRow => ({
  name, startTime: null, lastWallTime: null, lastStep: null, status: null, hparams,
  metrics: Object.fromEntries(Object.entries(metrics).map(([tag, last]) => [tag, { last, min: last, max: last, lastStep: 0 }])),
});

const experiment: Experiment = parseExperiment({
  hparamInfos: [
    { name: "lr", type: "DATA_TYPE_FLOAT64", domainInterval: { minValue: 1e-5, maxValue: 1 } },
    { name: "opt", type: "DATA_TYPE_STRING", domainDiscrete: ["sgd", "adam"] },
    { name: "dropout", displayName: "Dropout" },
  ],
  metricInfos: [{ name: { tag: "acc", group: "" } }, { name: { tag: "epoch_loss", group: "validation" } }],
});

describe("the hparams model", () => {
  it("reads the experiment's types, domains and metrics", () => {
    expect(experiment.hparams.map((h) => h.type)).toEqual(["number", "string", "unknown"]);
    expect(experiment.hparams[0]?.domainInterval).toEqual({ min: 1e-5, max: 1 });
    expect(metricTags(experiment)).toEqual(["acc", "epoch_loss"]);
  });
  it("joins a session with its metric groups as TensorBoard does", () => {
    expect(joinRun("run-1", "")).toBe("run-1");
    expect(joinRun("run-1", "validation")).toBe("run-1/validation");
    expect(joinRun(".", "validation")).toBe("validation");
  });
  it("takes sessions from runs with hparams and metrics from their group runs", () => {
    const model = buildModel(experiment, [
      row("run-10", { lr: 0.1, opt: "adam", dropout: 0.5 }, { acc: 0.8 }),
      row("run-10/validation", {}, { epoch_loss: 0.3 }),
      row("run-2", { lr: 0.001, opt: "sgd", dropout: 0.1 }, { acc: 0.6 }),
      row("no-session", {}, { acc: 0.1 }),
    ]);
    expect(model.sessions.map((s) => s.name)).toEqual(["run-2", "run-10"]);
    const s10 = model.sessions[1];
    expect(s10?.values.get("m:validation:epoch_loss")).toBe(0.3);
    expect(model.sessions[0]?.values.has("m:validation:epoch_loss")).toBe(false);
    const [lr, opt, dropout, acc, loss] = model.axes;
    expect(lr?.extent).toEqual([1e-5, 1]); // widened by the declared interval
    expect(opt?.categories).toEqual(["sgd", "adam"]); // declared order
    expect(dropout?.numeric).toBe(true); // type inferred from the values
    expect(dropout?.label).toBe("Dropout");
    expect(acc?.extent).toEqual([0.6, 0.8]);
    expect(acc?.median).toBe(0.6); // the lower middle of an even count
    expect(loss?.label).toBe("epoch_loss (validation)");
  });
  it("falls back to the runs' hparams when the experiment has none", () => {
    const model = buildModel({ hparams: [], metrics: [] }, [row("a", { b: true, x: 1 }), row("c", { b: false, x: 2 })]);
    expect(model.axes.map((a) => [a.id, a.numeric])).toEqual([["h:b", false], ["h:x", true]]);
    expect(model.axes[0]?.categories).toEqual(["false", "true"]);
  });
  it("sorts sessions, missing values last either way", () => {
    const model = buildModel(experiment, [
      row("a", { lr: 0.1 }, { acc: 0.5 }), row("b", { lr: 0.2 }), row("c", { lr: 0.3 }, { acc: 0.9 }),
    ]);
    const names = (desc: boolean): string[] => sortSessions(model.sessions, { column: "m:acc", descending: desc }).map((s) => s.name);
    expect(names(true)).toEqual(["c", "a", "b"]);
    expect(names(false)).toEqual(["a", "c", "b"]);
    expect(nextSort(null, "m:acc", true)).toEqual({ column: "m:acc", descending: true });
    expect(nextSort({ column: "m:acc", descending: true }, "m:acc", true)).toEqual({ column: "m:acc", descending: false });
  });
});
