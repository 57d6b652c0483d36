import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { RunPageCache, type RunNamesPage, type RunWindow } from "./runPages";

const RUNS = Array.from({ length: 25 }, (_, i) => `run-${String(i).padStart(2, "0")}`);

/** A fake server over RUNS whose answers the test releases by hand, in any order. */
function server() {
  const calls: { filter: string; offset: number; release: () => void; fail: (e: Error) => void }[] = [];
  const fetchPage = (filter: string, offset: number, limit: number): Promise<RunNamesPage> =>
    new Promise((resolve, reject) => {
      const matching = RUNS.filter((r) => r.includes(filter));
      calls.push({
        filter,
        offset,
        release: () => resolve({ total: matching.length, names: matching.slice(offset, offset + limit) }),
        fail: reject,
      });
    });
  return { calls, fetchPage };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function setup() {
  const fake = server();
  const seen: RunWindow[] = [];
  const cache = new RunPageCache(fake.fetchPage, 10, (w) => seen.push(w));
  return { ...fake, cache, seen };
}

describe("the run selector's page cache", () => {
  it("asks for each page once however often it is wanted, and knows the total from any page", async () => {
    const { cache, calls } = setup();
    cache.ensure([0]);
    cache.ensure([0, 1]);
    cache.ensure([1]);
    expect(calls.map((c) => c.offset)).toEqual([0, 10]);
    calls.forEach((c) => c.release());
    await settle();
    expect(cache.window.total).toBe(25);
    expect(cache.nameAt(12)).toBe("run-12");
    expect(cache.nameAt(21)).toBeUndefined();
    cache.ensure([0, 1, 2, 3]); // page 3 is past the end
    expect(calls.map((c) => c.offset)).toEqual([0, 10, 20]);
  });

  it("ignores an answer for a filter that is no longer shown", async () => {
    const { cache, calls, seen } = setup();
    cache.setFilter("run-1");
    cache.setFilter("run-2");
    const [stale, fresh] = calls;
    fresh?.release();
    await settle();
    stale?.release();
    await settle();
    expect(cache.window.filter).toBe("run-2");
    expect(cache.window.total).toBe(5);
    expect(seen.at(-1)?.filter).toBe("run-2");
  });

  it("keeps a filter's pages so going back to it asks nothing", async () => {
    const { cache, calls } = setup();
    cache.ensure([0]);
    calls[0]?.release();
    await settle();
    cache.setFilter("run-2");
    calls[1]?.release();
    await settle();
    cache.setFilter("");
    expect(calls).toHaveLength(2);
    expect(cache.window.total).toBe(25);
  });

  it("keeps showing the pages when the runs change, asking them again and dropping old answers", async () => {
    const { cache, calls } = setup();
    cache.ensure([0, 1]);
    const [first, second] = calls;
    first?.release();
    await settle();
    cache.invalidate();
    second?.release(); // answered for the old run set: dropped
    await settle();
    expect(cache.window.total).toBe(25);
    expect([...cache.window.pages.keys()]).toEqual([0]); // still shown meanwhile
    expect(cache.allNames()).toBeNull();
    cache.ensure([0, 1]);
    expect(calls.map((c) => c.offset)).toEqual([0, 10, 0, 10]);
    cache.ensure([0, 1]); // already on their way
    expect(calls).toHaveLength(4);
    calls[2]?.release();
    calls[3]?.release();
    await settle();
    cache.ensure([0, 1]);
    expect(calls).toHaveLength(4);
  });

  it("gives every name only once all pages are here", async () => {
    const { cache, calls } = setup();
    cache.setFilter("run-1");
    calls[0]?.release();
    await settle();
    expect(cache.allNames()).toEqual(RUNS.filter((r) => r.includes("run-1")));
    cache.setFilter("");
    calls[1]?.release();
    await settle();
    expect(cache.allNames()).toBeNull();
  });

  it("records the server refusing a filter and stops asking for it", async () => {
    const { cache, calls } = setup();
    cache.setFilter("(?<=a+)");
    calls[0]?.fail(new ApiError(400, "invalid regex"));
    await settle();
    expect(cache.window).toMatchObject({ error: "invalid regex", badFilter: true });
    cache.ensure([0, 1]);
    expect(calls).toHaveLength(1);
  });
});
