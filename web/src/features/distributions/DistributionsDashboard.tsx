import type { JSX } from "preact";
import { SeriesDashboard } from "../histograms/SeriesDashboard";
import { DistributionCard } from "./DistributionCard";

export function DistributionsDashboard(): JSX.Element {
  return (
    <SeriesDashboard
      plugin="distributions"
      noun="distribution"
      card={({ run, tag }) => <DistributionCard run={run} tag={tag} />}
    />
  );
}
