import { describe, expect, it } from "vitest";
import { chooseIndex, nearestIndex, shownIndex } from "./steps";

describe("nearestIndex snaps to a step that has data", () => {
  const steps = [0, 10, 20, 100];
  it("finds exact steps", () => {
    expect(nearestIndex(steps, 20)).toBe(2);
  });
  it("snaps between steps to the nearer one, ties to the earlier", () => {
    expect(nearestIndex(steps, 14)).toBe(1);
    expect(nearestIndex(steps, 16)).toBe(2);
    expect(nearestIndex(steps, 15)).toBe(1);
    expect(nearestIndex(steps, 61)).toBe(3);
  });
  it("clamps outside the range", () => {
    expect(nearestIndex(steps, -5)).toBe(0);
    expect(nearestIndex(steps, 1e9)).toBe(3);
  });
  it("gives -1 without steps", () => {
    expect(nearestIndex([], 3)).toBe(-1);
  });
});

describe("the chosen step", () => {
  it("defaults to the latest and follows new steps", () => {
    expect(shownIndex([0, 10], null)).toBe(1);
    expect(shownIndex([0, 10, 20], null)).toBe(2);
  });
  it("stays on a picked step when new steps arrive", () => {
    const chosen = chooseIndex([0, 10, 20], 1);
    expect(chosen).toBe(10);
    expect(shownIndex([0, 10, 20, 30], chosen)).toBe(1);
  });
  it("picking the last index means following the latest again", () => {
    expect(chooseIndex([0, 10, 20], 2)).toBeNull();
  });
  it("a picked step that disappeared (a restarted run) snaps to the nearest", () => {
    expect(shownIndex([0, 5, 30], 10)).toBe(1);
  });
  it("clamps and rounds indices", () => {
    expect(chooseIndex([0, 10, 20], -3)).toBe(0);
    expect(chooseIndex([0, 10, 20], 0.6)).toBe(10);
    expect(chooseIndex([], 0)).toBeNull();
  });
});
