/** A tag's card in the scalars dashboard: its runs' lines, or its groups while grouping is on. */
import type { JSX } from "preact";
import { ScalarCard } from "../scalars/ScalarCard";
import { GroupCard } from "./GroupCard";
import { groupRequest } from "./groupState";

export function CardFor({ tag }: { tag: string }): JSX.Element {
  return groupRequest.value === null ? <ScalarCard tag={tag} /> : <GroupCard tag={tag} />;
}
