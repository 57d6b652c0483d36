import type { JSX } from "preact";
import { fetchMediaTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import { AudioCard } from "./AudioCard";

const fetchTags = (signal: AbortSignal): ReturnType<typeof fetchMediaTags> => fetchMediaTags("audio", signal);

export function AudioDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTags);
  return (
    <MediaDashboard
      kind="audio"
      noun="clip"
      series={series}
      error={error}
      renderCard={(card) => <AudioCard key={card.id} card={card} />}
    />
  );
}
