import type { JSX } from "preact";
import { fetchMediaTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import { ImageCard } from "./ImageCard";
import { ImageControls } from "./ImageControls";

const fetchTags = (signal: AbortSignal): ReturnType<typeof fetchMediaTags> => fetchMediaTags("images", signal);

export function ImagesDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTags);
  return (
    <MediaDashboard
      kind="images"
      noun="image"
      series={series}
      error={error}
      controls={<ImageControls />}
      renderCard={(card) => <ImageCard key={card.id} card={card} />}
    />
  );
}
