import type { JSX } from "preact";
import { fetchPlainTags } from "../../api/media";
import { useMediaTags } from "../media/hooks";
import { MediaDashboard } from "../media/MediaDashboard";
import { TableCard } from "./TableCard";

const fetchTags = (signal: AbortSignal): ReturnType<typeof fetchPlainTags> => fetchPlainTags("table", signal);

/** Tables from `add_table`: sortable, with image cells. */
export function TablesDashboard(): JSX.Element {
  const { series, error } = useMediaTags(fetchTags);
  return (
    <MediaDashboard
      kind="table"
      noun="table"
      series={series}
      error={error}
      renderCard={(card) => <TableCard key={card.id} card={card} />}
    />
  );
}
