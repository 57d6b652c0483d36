import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, parseView, serializeView, type ViewState } from "./urlState";

describe("URL state", () => {
  it("is empty for the default view", () => {
    expect(serializeView(DEFAULT_VIEW)).toBe("");
    expect(parseView("", "")).toEqual(DEFAULT_VIEW);
  });

  it("round-trips every field", () => {
    const view: ViewState = {
      tab: "scalars",
      tagFilter: "loss|acc",
      runFilter: "^train",
      smoothing: 0.9,
      smoother: "gaussian",
      xAxis: "wall",
      logY: true,
      logX: true,
      ignoreOutliers: true,
      pinned: ["loss/train", "a&b=c"],
      selectedRuns: ["run 1", "run/2"],
      hiddenRuns: null,
    };
    expect(parseView(serializeView(view), "#scalars")).toEqual(view);
  });

  it("keeps parameters it does not know", () => {
    const search = serializeView({ ...DEFAULT_VIEW, tagFilter: "x" }, "?foo=bar&tagFilter=old");
    const params = new URLSearchParams(search);
    expect(params.get("foo")).toBe("bar");
    expect(params.get("tagFilter")).toBe("x");
  });

  it("uses TensorBoard's pinnedCards shape", () => {
    const search = serializeView({ ...DEFAULT_VIEW, pinned: ["loss"] });
    expect(new URLSearchParams(search).get("pinnedCards")).toBe(
      '[{"plugin":"scalars","tag":"loss"}]',
    );
  });

  it("records unchecked runs when most are selected", () => {
    const view: ViewState = { ...DEFAULT_VIEW, hiddenRuns: ["b"] };
    expect(new URLSearchParams(serializeView(view)).get("hiddenRuns")).toBe('["b"]');
    expect(parseView(serializeView(view), "").hiddenRuns).toEqual(["b"]);
  });

  it("ignores malformed values", () => {
    const view = parseView("?smoothing=abc&xAxis=nope&runs=%7Bbad&pinnedCards=3", "");
    expect(view.smoothing).toBe(DEFAULT_VIEW.smoothing);
    expect(view.xAxis).toBe("step");
    expect(view.selectedRuns).toBeNull();
    expect(view.pinned).toEqual([]);
  });

  it("clamps smoothing to the slider range", () => {
    expect(parseView("?smoothing=5", "").smoothing).toBe(0.999);
  });
});
