import { afterEach, describe, expect, it, vi } from "vitest";
import { chunkRuns, decodeFloat, fetchMatchingRuns, fetchScalars, runRegexError, serverRunRegex } from "./endpoints";
import { SCALAR_COLUMNS_MEDIA_TYPE } from "./scalarColumns";
import { encodeScalarColumns } from "./scalarColumns.fixture";

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("endpoints", () => {
  it("decodes TensorBoard's non-finite strings", () => {
    expect(decodeFloat(1.5)).toBe(1.5);
    expect(decodeFloat("NaN")).toBeNaN();
    expect(decodeFloat("Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(decodeFloat("-Infinity")).toBe(Number.NEGATIVE_INFINITY);
  });

  it("pages through every run with relative URLs", async () => {
    const total = 25_000;
    const urls: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      urls.push(url);
      const params = new URL(url, "http://host/prefix/").searchParams;
      const offset = Number(params.get("offset"));
      const limit = Number(params.get("limit"));
      const runs = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
        name: `r${offset + i}`,
        start_time: null,
      }));
      return answer({ total, offset, limit, runs });
    });
    const progress: number[] = [];
    const names = await fetchMatchingRuns("R2", (done) => progress.push(done));
    expect(names).toHaveLength(total);
    expect(names[24_999]).toBe("r24999");
    expect(urls).toHaveLength(3);
    expect(urls.every((u) => u.startsWith("api/v1/runs?"))).toBe(true);
    expect(new URL(urls[0] as string, "http://host/").searchParams.get("regex")).toBe("(?i)R2");
    expect(progress).toEqual([10_000, 20_000, 25_000]);
  });

  it("sends a run filter case-insensitively and hides that prefix in the server's error", () => {
    expect(serverRunRegex("")).toBeUndefined();
    expect(serverRunRegex("seed-\\d")).toBe("(?i)seed-\\d");
    expect(runRegexError("invalid regex '(?i)(?<=a+)b': look-behind requires fixed-width pattern")).toBe(
      "invalid regex '(?<=a+)b': look-behind requires fixed-width pattern",
    );
    expect(runRegexError("invalid regex '(?i)a(?P<1>b)': bad character in group name '1' at position 9")).toBe(
      "invalid regex 'a(?P<1>b)': bad character in group name '1' at position 5",
    );
  });

  it("asks for scalars in binary chunks of paired run and tag, decoding values", async () => {
    const urls: string[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      urls.push(url);
      expect(new Headers(init.headers).get("Accept")).toBe(SCALAR_COLUMNS_MEDIA_TYPE);
      const params = new URL(url, "http://host/").searchParams;
      expect(params.get("format")).toBe("binary");
      const series = params.getAll("run").map((run) => ({
        run,
        tag: "loss",
        steps: [0, 1],
        wallTimes: [10, 11],
        values: [1, Number.NaN],
      }));
      return new Response(encodeScalarColumns(series), { status: 200 });
    });
    const runs = Array.from({ length: 600 }, (_, i) => `run${i}`);
    const series = await fetchScalars("loss", runs, 640.4, undefined, { start: 5, end: 90 });
    expect(series).toHaveLength(600);
    expect(series[599]?.run).toBe("run599");
    expect(series[0]?.values[1]).toBeNaN();
    expect(urls.length).toBeGreaterThan(1);
    const first = new URL(urls[0] as string, "http://host/").searchParams;
    expect(first.getAll("run")).toHaveLength(first.getAll("tag").length);
    expect(first.get("max_points")).toBe("640");
    expect(first.get("start_step")).toBe("5");
    expect(first.get("end_step")).toBe("90");
  });

  it("splits runs by the length of their query, keeping order", () => {
    const short = Array.from({ length: 600 }, (_, i) => `r${i}`);
    const chunks = chunkRuns(short, "loss");
    expect(chunks.map((c) => c.length)).toEqual([250, 250, 100]);
    expect(chunks.flat()).toEqual(short);
    const long = Array.from({ length: 40 }, (_, i) => `${"x".repeat(400)}${i}`);
    const parts = chunkRuns(long, "loss");
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      const chars = part.reduce((n, run) => n + encodeURIComponent(run).length + 14, 0);
      expect(chars).toBeLessThanOrEqual(6_000);
    }
    expect(chunkRuns([], "loss")).toEqual([]);
  });

  it("reports server errors with their text", async () => {
    vi.stubGlobal("fetch", async () => new Response("unknown run", { status: 404 }));
    await expect(fetchScalars("loss", ["x"], 100)).rejects.toThrow("unknown run");
  });
});
