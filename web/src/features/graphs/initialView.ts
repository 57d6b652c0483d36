/**
 * Which boxes are open when a graph first shows. Top-level scopes start closed, but a view of two
 * or three boxes (a model wrapped in one scope, PyTorch's `input` / `Net` / `output`) tells
 * nothing, so small views open their biggest box until they show a useful handful.
 */
import { type Hierarchy, type Item, ROOT } from "./hierarchy";

/** Few boxes are worth opening at first: the top-level scopes start closed unless fewer than this. */
const INITIAL_MIN_BOXES = 8;
/** ... and opening the biggest of them keeps the view under this many boxes. */
const INITIAL_MAX_BOXES = 40;

/** While fewer than INITIAL_MIN_BOXES show, the biggest closed box opens if that keeps the view small. */
export function initialOpen(h: Hierarchy): Set<string> {
  const open = new Set<string>();
  const root = h.items.get(ROOT);
  if (!root) return open;
  let shown = [...root.children];
  while (shown.length < INITIAL_MIN_BOXES) {
    let best: Item | null = null;
    for (const id of shown) {
      const it = h.items.get(id) as Item;
      if (it.kind !== "op" && !open.has(id) && (!best || it.opCount > best.opCount)) best = it;
    }
    if (!best || shown.length - 1 + best.children.length > INITIAL_MAX_BOXES) break;
    open.add(best.id);
    shown = [...shown, ...best.children];
  }
  return open;
}
