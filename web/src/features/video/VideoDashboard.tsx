import type { JSX } from "preact";
import { fetchMediaTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import { VideoCard } from "./VideoCard";

const fetchTags = (signal: AbortSignal): ReturnType<typeof fetchMediaTags> => fetchMediaTags("video", signal);

/** MP4 / WebM videos from `add_video(format=...)`; GIFs are images and play on the images tab. */
export function VideoDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTags);
  return (
    <MediaDashboard
      kind="video"
      noun="video"
      series={series}
      error={error}
      renderCard={(card) => <VideoCard key={card.id} card={card} />}
    />
  );
}
