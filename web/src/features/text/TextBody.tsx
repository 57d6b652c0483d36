/**
 * One step's text. The HTML comes from the server already rendered from Markdown and sanitised
 * (nh3, TensorBoard's allow-list: no script, no event attributes, safe URL schemes only), and raw
 * HTML in the text is escaped there, so it is inserted as it is. Long texts start collapsed.
 */
import type { JSX } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/** Height (CSS pixels) above which a text is collapsed behind "Show more". */
export const COLLAPSED_HEIGHT = 260;

export function TextBody({ html }: { html: string }): JSX.Element {
  const body = useRef<HTMLDivElement>(null);
  const [long, setLong] = useState(false);
  const [expanded, setExpanded] = useState(false);
  useLayoutEffect(() => {
    const el = body.current;
    if (el) setLong(el.scrollHeight > COLLAPSED_HEIGHT + 40);
  }, [html]);
  const collapsed = long && !expanded;
  return (
    <div class={`text-wrap ${collapsed ? "collapsed" : ""}`}>
      <div
        ref={body}
        class="text-body"
        data-testid="text-body"
        style={collapsed ? { maxHeight: `${COLLAPSED_HEIGHT}px` } : undefined}
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {long && (
        <button class="show-more" onClick={() => setExpanded(!expanded)} data-testid="show-more">
          {expanded ? "Show less" : "Show more"}
        </button>
      )}
    </div>
  );
}
