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
  it("makes safe file names", () => {
    expect(downloadName("loss/train", "csv")).toBe("tag-loss_train.csv");
  });
});
