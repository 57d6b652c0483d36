import type { JSX } from "preact";
import { AudioDashboard } from "../features/audio/AudioDashboard";
import { ImagesDashboard } from "../features/images/ImagesDashboard";
import { DistributionsDashboard } from "../features/distributions/DistributionsDashboard";
import { HistogramsDashboard } from "../features/histograms/HistogramsDashboard";
import { RunsDashboard } from "../features/runs/RunsDashboard";
import { HParamsDashboard } from "../features/hparams/HParamsDashboard";
import { HtmlDashboard } from "../features/html/HtmlDashboard";
import { ScalarsDashboard } from "../features/scalars/ScalarsDashboard";
import { TablesDashboard } from "../features/table/TablesDashboard";
import { TextDashboard } from "../features/text/TextDashboard";
import { VideoDashboard } from "../features/video/VideoDashboard";
import { PrCurvesDashboard } from "../features/pr_curves/PrCurvesDashboard";
import { CustomScalarsDashboard } from "../features/custom_scalars/CustomScalarsDashboard";
import { LazyMeshDashboard } from "../features/mesh/LazyMeshDashboard";
import { LazyGraphsDashboard } from "../features/graphs/LazyGraphsDashboard";
import { LazyProjectorDashboard } from "../features/projector/LazyProjectorDashboard";
import { ProfileDashboard } from "../features/profile/ProfileDashboard";
import * as s from "../state/store";
import { ComingSoon } from "./ComingSoon";
import { Header } from "./Header";
import { RunSelector, runSelectorApplies } from "./RunSelector";
import { SettingsPanel } from "./SettingsPanel";

function Body(): JSX.Element {
  const dashboards = s.dashboards.value;
  if (s.loadError.value && dashboards === null) {
    return <div class="empty error">{s.loadError.value}</div>;
  }
  if (dashboards === null) return <div class="empty">Loading…</div>;
  if (dashboards.length === 0) {
    return (
      <div class="empty">
        <h2>No data yet</h2>
        <p>Heron found no summaries in this logdir. Write some with <code>heron.SummaryWriter</code>; they appear here as they are written.</p>
      </div>
    );
  }
  const tab = s.tab.value;
  if (tab === "scalars") return <ScalarsDashboard />;
  if (tab === "histograms") return <HistogramsDashboard />;
  if (tab === "runs") return <RunsDashboard />;
  if (tab === "hparams") return <HParamsDashboard />;
  if (tab === "distributions") return <DistributionsDashboard />;
  if (tab === "images") return <ImagesDashboard />;
  if (tab === "audio") return <AudioDashboard />;
  if (tab === "text") return <TextDashboard />;
  if (tab === "video") return <VideoDashboard />;
  if (tab === "html") return <HtmlDashboard />;
  if (tab === "table") return <TablesDashboard />;
  if (tab === "pr_curves") return <PrCurvesDashboard />;
  if (tab === "custom_scalars") return <CustomScalarsDashboard />;
  if (tab === "mesh") return <LazyMeshDashboard />;
  if (tab === "graphs") return <LazyGraphsDashboard />;
  if (tab === "projector") return <LazyProjectorDashboard />;
  if (tab === "profile") return <ProfileDashboard />;
  const name = dashboards.find((d) => d.name === tab)?.tabName ?? tab;
  return <ComingSoon name={name} />;
}

export function App(): JSX.Element {
  return (
    <div class="app">
      <Header />
      <div class="main">
        {s.sidebarOpen.value && runSelectorApplies(s.tab.value) && <RunSelector />}
        <main class="content">
          {s.settingsOpen.value && <SettingsPanel />}
          <Body />
        </main>
      </div>
    </div>
  );
}
