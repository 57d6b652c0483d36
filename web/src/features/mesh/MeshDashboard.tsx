/**
 * The mesh dashboard: one card per run, mesh and sample, in the frame the media dashboards share
 * (tag filter, prefix groups, shown runs, sync steps). Loaded as its own chunk (LazyMeshDashboard)
 * so that three.js is fetched only by those who open this tab.
 */
import type { JSX } from "preact";
import { fetchMeshTags, type MeshTag } from "../../api/mesh";
import { MediaDashboard } from "../media/MediaDashboard";
import { useListing } from "../pr_curves/listing";
import { MeshCard } from "./MeshCard";
import "./mesh.css";

/** Live updates name a mesh's component series. */
const componentTags = (tags: readonly MeshTag[]): string[] =>
  tags.flatMap((t) => [`${t.tag}_VERTEX`, `${t.tag}_FACE`, `${t.tag}_COLOR`]);

export function MeshDashboard(): JSX.Element {
  const { value, error } = useListing(fetchMeshTags, componentTags);
  return (
    <MediaDashboard
      kind="mesh"
      noun="mesh view"
      series={value}
      error={error}
      renderCard={(card) => <MeshCard key={card.id} card={card} />}
    />
  );
}
