import { describe, expect, it } from "vitest";
import { downloadName, toCsv, toJson } from "./download";

const series = [{ run: 'a,"b"', steps: [1, 2], wallTimes: [10, 11], values: [0.5, Number.NaN] }];

describe("downloads", () => {
  it("writes CSV with a header, quoting and CRLF", () => {
    expect(toCsv(series)).toBe('Run,Wall time,Step,Value\r\n"a,""b""",10,1,0.5\r\n"a,""b""",11,2,NaN\r\n');
  });
  it("writes JSON in scalars_multirun's shape, non-finite as strings", () => {
    expect(JSON.parse(toJson(series))).toEqual({ 'a,"b"': [[10, 1, 0.5], [11, 2, "NaN"]] });
  });
  it("takes the typed columns of the binary scalars answer", () => {
    const typed = [
      {
        run: "r",
        steps: Float64Array.from([3]),
        wallTimes: Float64Array.from([9.5]),
        values: Float64Array.from([Number.NEGATIVE_INFINITY]),
      },
    ];
    expect(toCsv(typed)).toBe("Run,Wall time,Step,Value\r\nr,9.5,3,-Infinity\r\n");
    expect(JSON.parse(toJson(typed))).toEqual({ r: [[9.5, 3, "-Infinity"]] });
  });
  it("makes safe file names", () => {
    expect(downloadName("loss/train", "csv")).toBe("tag-loss_train.csv");
  });
});
