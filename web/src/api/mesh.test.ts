import { describe, expect, it } from "vitest";
import { COLOR, decodeMeshSteps, FACE, VERTEX } from "./mesh";

const entry = (step: number, content_type: number, data_shape: number[]) => ({
  wall_time: step + 0.5,
  step,
  content_type,
  components: 14,
  config: `{"step": ${step}}`,
  data_shape,
});

describe("decodeMeshSteps", () => {
  it("folds one entry per component into one value per step, ascending", () => {
    const steps = decodeMeshSteps([
      entry(5, VERTEX, [1, 4, 3]),
      entry(0, VERTEX, [1, 8, 3]),
      entry(0, FACE, [1, 2, 3]),
      entry(0, COLOR, [1, 8, 3]),
    ]);
    expect(steps).toEqual([
      { step: 0, wallTime: 0.5, hasFaces: true, hasColors: true, vertices: 8, config: '{"step": 0}' },
      { step: 5, wallTime: 5.5, hasFaces: false, hasColors: false, vertices: 4, config: '{"step": 5}' },
    ]);
  });
});
