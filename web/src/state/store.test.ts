import { afterEach, describe, expect, it, vi } from "vitest";
import * as s from "./store";

function runsAnswer(names: string[], total: number): Response {
  const runs = names.map((name) => ({ name, start_time: null }));
  return new Response(JSON.stringify({ total, offset: 0, limit: 10_000, runs }), { status: 200 });
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  s.runFilter.value = "";
  s.selection.value = { kind: "all" };
});

describe("Select all / None with a filter", () => {
  it("fetches the matches only then, shows progress after ~300 ms, and hides them", async () => {
    vi.useFakeTimers();
    let release: () => void = () => undefined;
    const urls: string[] = [];
    vi.stubGlobal("fetch", (url: string) => {
      urls.push(url);
      return new Promise<Response>((resolve) => {
        release = () => resolve(runsAnswer(["a/seed-1", "b/seed-1"], 2));
      });
    });
    s.runFilter.value = "seed-1";
    const done = s.selectFiltered(false);
    expect(urls).toHaveLength(1);
    expect(new URL(urls[0] as string, "http://host/").searchParams.get("regex")).toBe("(?i)seed-1");
    expect(s.selectingRuns.value).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    expect(s.selectingRuns.value).toEqual({ done: 0, total: null });
    release();
    await done;
    expect(s.selectingRuns.value).toBeNull();
    expect(s.selection.value).toEqual({ kind: "except", runs: new Set(["a/seed-1", "b/seed-1"]) });
    expect(s.shownRuns.value.has("a/seed-1")).toBe(false);
  });

  it("without a filter selects all or none at once, asking the server nothing", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    await s.selectFiltered(false);
    expect(s.selection.value).toEqual({ kind: "only", runs: new Set() });
    expect(s.shownRuns.value.has("any")).toBe(false);
    await s.selectFiltered(true);
    expect(s.selection.value).toEqual({ kind: "all" });
    expect(fetch).not.toHaveBeenCalled();
  });
});
