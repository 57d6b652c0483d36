import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchHtmlSteps, fetchPlainTags, fetchVideoSteps } from "./media";
import { fetchTable, fetchTableSteps } from "./tables";

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Heron's media routes", () => {
  it("turn image cells into blob URLs and keep other cells", async () => {
    const urls: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      urls.push(url);
      return answer({
        wall_time: 1.5,
        step: 3,
        columns: ["name", "score", "picture"],
        rows: [["cat", 0.5, { image: "blob_key=abc" }], ["dog", "NaN", { image: null }]],
      });
    });
    const table = await fetchTable("run a", "t/x", 3);
    expect(urls[0]).toBe("data/plugin/table/table?run=run+a&tag=t%2Fx&step=3");
    expect(table.step).toBe(3);
    expect(table.wallTime).toBe(1.5);
    expect(table.rows[0]).toEqual(["cat", 0.5, { imageUrl: "data/plugin/table/individualImage?blob_key=abc" }]);
    expect(table.rows[1]).toEqual(["dog", "NaN", { imageUrl: null }]);
  });

  it("list one card per (run, tag) for HTML and tables", async () => {
    vi.stubGlobal("fetch", async () =>
      answer({ a: { report: { displayName: "", description: "" } }, b: { report: {}, other: {} } }),
    );
    const series = await fetchPlainTags("html");
    expect(series).toEqual([
      { run: "a", tag: "report", samples: 1 },
      { run: "b", tag: "report", samples: 1 },
      { run: "b", tag: "other", samples: 1 },
    ]);
  });

  it("treat a series gone since the listing as no steps", async () => {
    vi.stubGlobal("fetch", async () => answer("no such series", 404));
    expect(await fetchTableSteps("a", "t")).toEqual([]);
    expect(await fetchHtmlSteps("a", "t")).toEqual([]);
    expect(await fetchVideoSteps("a", "t", 0)).toEqual([]);
  });

  it("point video steps at the ranged blob route", async () => {
    vi.stubGlobal("fetch", async () => answer([{ wall_time: 2, step: 7, query: "blob_key=k" }]));
    expect(await fetchVideoSteps("a", "clips", 0)).toEqual([
      { step: 7, wallTime: 2, url: "data/plugin/video/individualVideo?blob_key=k", label: "" },
    ]);
  });
});
