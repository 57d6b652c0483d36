/**
 * The scalar chart's settings, as the settings panel holds them. Every card that draws a
 * ScalarChart (the Scalars cards, Custom Scalars' multiline charts) reads them here during its
 * render, so that a change to any one re-renders those cards (signals) and both dashboards draw
 * alike; a setting added to ChartSettings is then added once.
 */
import type { ChartSettings } from "../../charts/ScalarChart";
import * as s from "../../state/store";

export function chartSettings(): ChartSettings {
  return {
    axis: s.xAxis.value,
    smoothing: s.smoothing.value,
    smoother: s.smoother.value,
    logY: s.logY.value,
    logX: s.logX.value,
    ignoreOutliers: s.ignoreOutliers.value,
    dark: s.dark.value,
    tooltipSort: s.tooltipSort.value,
  };
}
