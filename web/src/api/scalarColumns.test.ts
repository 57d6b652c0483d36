import { describe, expect, it } from "vitest";
import { encodeScalarColumns } from "./scalarColumns.fixture";
import { decodeScalarColumns, ScalarColumnsError } from "./scalarColumns";

describe("decodeScalarColumns", () => {
  it("gives each series its typed columns, in order", () => {
    const buffer = encodeScalarColumns([
      { run: "a", tag: "loss", steps: [0, 5], wallTimes: [10.5, 11.25], values: [1, 2] },
      { run: "ünï/b", tag: "x/y", steps: [7], wallTimes: [12], values: [-3] },
    ]);
    const [a, b] = decodeScalarColumns(buffer);
    expect(a?.run).toBe("a");
    expect(Array.from(a?.steps ?? [])).toEqual([0, 5]);
    expect(Array.from(a?.wallTimes ?? [])).toEqual([10.5, 11.25]);
    expect(Array.from(a?.values ?? [])).toEqual([1, 2]);
    expect(b?.run).toBe("ünï/b");
    expect(b?.tag).toBe("x/y");
    expect(Array.from(b?.values ?? [])).toEqual([-3]);
    // Views into the answer, not copies.
    expect(a?.values.buffer).toBe(buffer);
    expect(a?.values).toBeInstanceOf(Float64Array);
  });

  it("keeps NaN, ±Infinity and -0", () => {
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
    const [s] = decodeScalarColumns(
      encodeScalarColumns([{ run: "r", tag: "t", steps: [0, 1, 2, 3], wallTimes: [0, 0, 0, Number.NaN], values }]),
    );
    expect(s?.values[0]).toBeNaN();
    expect(s?.values[1]).toBe(Number.POSITIVE_INFINITY);
    expect(s?.values[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(s?.values[3], -0)).toBe(true);
    expect(s?.wallTimes[3]).toBeNaN();
  });

  it("decodes empty series and an answer without series", () => {
    const series = decodeScalarColumns(
      encodeScalarColumns([
        { run: "empty", tag: "t", steps: [], wallTimes: [], values: [] },
        { run: "one", tag: "t", steps: [4], wallTimes: [1], values: [2] },
        { run: "empty too", tag: "t", steps: [], wallTimes: [], values: [] },
      ]),
    );
    expect(series.map((s) => s.steps.length)).toEqual([0, 1, 0]);
    expect(series[1]?.steps[0]).toBe(4);
    expect(decodeScalarColumns(encodeScalarColumns([]))).toEqual([]);
  });

  it("splits the columns of many runs at the right offsets", () => {
    const runs = Array.from({ length: 1000 }, (_, r) => {
      const n = r % 7;
      return {
        run: `run${r}`,
        tag: "loss",
        steps: Array.from({ length: n }, (_, i) => r * 10 + i),
        wallTimes: Array.from({ length: n }, (_, i) => 1.7e9 + r + i / 10),
        values: Array.from({ length: n }, (_, i) => r - i),
      };
    });
    const decoded = decodeScalarColumns(encodeScalarColumns(runs));
    expect(decoded).toHaveLength(1000);
    decoded.forEach((s, r) => {
      const want = runs[r];
      expect(s.run).toBe(want?.run);
      expect(Array.from(s.steps)).toEqual(want?.steps);
      expect(Array.from(s.wallTimes)).toEqual(want?.wallTimes);
      expect(Array.from(s.values)).toEqual(want?.values);
    });
  });

  it("refuses what is not this format", () => {
    const good = encodeScalarColumns([{ run: "r", tag: "t", steps: [1], wallTimes: [1], values: [1] }]);
    expect(() => decodeScalarColumns(new ArrayBuffer(3))).toThrow(ScalarColumnsError);
    expect(() => decodeScalarColumns(encodeScalarColumns([], "JSON"))).toThrow(/magic/);
    expect(() => decodeScalarColumns(good.slice(0, good.byteLength - 8))).toThrow(/length/);
    const padded = new Uint8Array(good.byteLength + 8);
    padded.set(new Uint8Array(good));
    expect(() => decodeScalarColumns(padded.buffer)).toThrow(/length/);
  });
});
