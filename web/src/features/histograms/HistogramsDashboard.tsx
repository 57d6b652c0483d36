import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { HistogramCard } from "./HistogramCard";
import { histogramMode, MODES, syncModeWithUrl, type HistogramMode } from "./mode";
import { Segmented, SeriesDashboard } from "./SeriesDashboard";

const MODE_NAMES: Record<HistogramMode, string> = { offset: "Offset", overlay: "Overlay" };

export function HistogramsDashboard(): JSX.Element {
  useEffect(syncModeWithUrl, []);
  return (
    <SeriesDashboard
      plugin="histograms"
      noun="histogram"
      controls={
        <Segmented
          label="Mode"
          options={MODES}
          value={histogramMode.value}
          names={MODE_NAMES}
          onChange={(mode) => (histogramMode.value = mode)}
          testid="histogram-mode"
        />
      }
      card={({ run, tag }) => <HistogramCard run={run} tag={tag} />}
    />
  );
}
