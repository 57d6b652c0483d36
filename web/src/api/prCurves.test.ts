import { describe, expect, it } from "vitest";
import { decodePrCurves, type PrCurvesWire } from "./prCurves";

describe("decodePrCurves", () => {
  it("turns each step's parallel arrays into typed columns, non-finite strings into numbers", () => {
    const wire: PrCurvesWire = {
      a: [
        {
          wall_time: 5,
          step: 3,
          precision: [0.5, "NaN"],
          recall: [1, 0],
          true_positives: [2, 0],
          false_positives: [2, 0],
          true_negatives: [0, 2],
          false_negatives: [0, 2],
          thresholds: [0, 0.5],
        },
      ],
    };
    const [step] = decodePrCurves(wire).get("a") ?? [];
    expect(step?.step).toBe(3);
    expect(step?.wallTime).toBe(5);
    expect(Array.from(step?.precision ?? [])).toEqual([0.5, Number.NaN]);
    expect(Array.from(step?.thresholds ?? [])).toEqual([0, 0.5]);
    expect(Array.from(step?.fn ?? [])).toEqual([0, 2]);
  });

  it("cuts every array to the shortest, so an index is valid in all of them", () => {
    const wire: PrCurvesWire = {
      a: [
        {
          wall_time: 0,
          step: 0,
          precision: [1, 1, 1],
          recall: [1, 0.5],
          true_positives: [1, 1, 1],
          false_positives: [0, 0, 0],
          true_negatives: [0, 0, 0],
          false_negatives: [0, 0, 0],
          thresholds: [0, 0.5, 1],
        },
      ],
    };
    const [step] = decodePrCurves(wire).get("a") ?? [];
    expect(step?.precision.length).toBe(2);
    expect(step?.thresholds.length).toBe(2);
  });
});
