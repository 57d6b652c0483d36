import { describe, expect, it } from "vitest";
import { playInSequence, type Playable } from "./sequence";

class FakePlayer implements Playable {
  currentTime = 5;
  playing = false;
  private listeners: (() => void)[] = [];
  constructor(
    readonly log: string[],
    readonly name: string,
    readonly fails = false,
  ) {}
  play(): Promise<void> {
    this.log.push(`play ${this.name}`);
    if (this.fails) return Promise.reject(new Error("NotAllowedError"));
    this.playing = true;
    return Promise.resolve();
  }
  pause(): void {
    this.playing = false;
    this.log.push(`pause ${this.name}`);
  }
  addEventListener(_type: "ended", listener: () => void): void {
    this.listeners.push(listener);
  }
  removeEventListener(_type: "ended", listener: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  end(): void {
    this.playing = false;
    for (const l of [...this.listeners]) l();
  }
  get listening(): number {
    return this.listeners.length;
  }
}

describe("playInSequence", () => {
  it("plays each clip from its start when the previous one ends, then reports done", () => {
    const log: string[] = [];
    const [a, b] = [new FakePlayer(log, "a"), new FakePlayer(log, "b")];
    let done = false;
    playInSequence([a, b], () => (done = true));
    expect(log).toEqual(["play a"]);
    expect(a.currentTime).toBe(0);
    a.end();
    expect(log).toEqual(["play a", "play b"]);
    expect(done).toBe(false);
    b.end();
    expect(done).toBe(true);
    expect(a.listening + b.listening).toBe(0);
  });

  it("skips a clip that refuses to play", async () => {
    const log: string[] = [];
    const players = [new FakePlayer(log, "a", true), new FakePlayer(log, "b")];
    playInSequence(players);
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(["play a", "play b"]);
  });

  it("stops the running sequence when another starts", () => {
    const log: string[] = [];
    const a = new FakePlayer(log, "a");
    playInSequence([a, new FakePlayer(log, "b")]);
    playInSequence([new FakePlayer(log, "c")]);
    expect(log).toEqual(["play a", "pause a", "play c"]);
    a.end();
    expect(log).toEqual(["play a", "pause a", "play c"]);
  });
});
