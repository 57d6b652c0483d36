import type { JSX } from "preact";
import { fetchTextTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import * as m from "../media/mediaState";
import { TextCard } from "./TextCard";

function TextControls(): JSX.Element {
  const mode = m.textSteps.value;
  return (
    <div class="segmented" role="group" aria-label="Steps shown">
      <button class={mode === "one" ? "on" : ""} onClick={() => (m.textSteps.value = "one")} data-testid="text-one">
        One step
      </button>
      <button class={mode === "all" ? "on" : ""} onClick={() => (m.textSteps.value = "all")} data-testid="text-all">
        All steps
      </button>
    </div>
  );
}

export function TextDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTextTags);
  return (
    <MediaDashboard
      kind="text"
      noun="text"
      series={series}
      error={error}
      controls={<TextControls />}
      renderCard={(card) => <TextCard key={card.id} card={card} />}
    />
  );
}
