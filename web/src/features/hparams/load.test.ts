import { describe, expect, it } from "vitest";
import type { RunRow } from "../../api/runs";
import { fetchRowsConcurrently, PAGE, QueuedLoader } from "./load";

const row = (i: number): RunRow => ({ name: `run-${i}` }) as unknown as RunRow;

describe("loading every session", () => {
  it("reads the first page, then the others a few at a time, keeping their order", async () => {
    const total = PAGE * 4 + 5;
    let inFlight = 0;
    let most = 0;
    const asked: number[] = [];
    const rows = await fetchRowsConcurrently(async (offset, limit) => {
      asked.push(offset);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, offset === PAGE ? 20 : 1));
      inFlight--;
      const n = Math.max(0, Math.min(limit, total - offset));
      return { total, rows: Array.from({ length: n }, (_, k) => row(offset + k)) };
    }, 3);
    expect(rows).toHaveLength(total);
    expect(rows.every((r, i) => r.name === `run-${i}`)).toBe(true);
    expect(asked[0]).toBe(0);
    expect(most).toBe(3);
  });
  it("asks once when everything fits a page", async () => {
    let calls = 0;
    const rows = await fetchRowsConcurrently(async () => {
      calls++;
      return { total: 2, rows: [row(0), row(1)] };
    });
    expect(rows).toHaveLength(2);
    expect(calls).toBe(1);
  });
  it("runs a reload asked for during a load once, after it, instead of aborting it", async () => {
    const started: number[] = [];
    let release: () => void = () => undefined;
    const loader = new QueuedLoader(async () => {
      started.push(started.length);
      await new Promise<void>((r) => (release = r));
    });
    loader.request();
    loader.request();
    loader.request();
    expect(started).toEqual([0]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1]);
  });
});
