import { describe, expect, it } from "vitest";
import { QueuedLoader } from "./load";

describe("reloading every session", () => {
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
