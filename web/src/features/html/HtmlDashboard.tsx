import type { JSX } from "preact";
import { fetchPlainTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import { HtmlCard } from "./HtmlCard";

const fetchTags = (signal: AbortSignal): ReturnType<typeof fetchPlainTags> => fetchPlainTags("html", signal);

/** HTML fragments from `add_html`, each in a sandboxed frame. */
export function HtmlDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTags);
  return (
    <MediaDashboard
      kind="html"
      noun="HTML card"
      series={series}
      error={error}
      renderCard={(card) => <HtmlCard key={card.id} card={card} />}
    />
  );
}
