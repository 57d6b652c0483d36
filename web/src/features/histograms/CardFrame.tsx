/** The frame shared by histogram and distribution cards: run swatch, tag, run, PNG download. */
import type { ComponentChildren, JSX, RefObject } from "preact";
import { IconDownload } from "../../components/icons";
import { saveUrl } from "../../components/saveFile";
import { downloadName } from "../../lib/download";
import { runColor } from "../../lib/colors";

/** Pixels between the pointer and its tooltip. */
export const TOOLTIP_OFFSET = 14;

export function CardFrame(props: {
  cardRef: RefObject<HTMLDivElement>;
  run: string;
  tag: string;
  testid: string;
  subtitle: string;
  png: () => string | null;
  children: ComponentChildren;
}): JSX.Element {
  const { run, tag } = props;
  const save = (): void => {
    const url = props.png();
    if (url) saveUrl(downloadName(`${run}/${tag}`, "png"), url);
  };
  return (
    <div class="card hist-card" ref={props.cardRef} data-testid={props.testid} data-run={run} data-tag={tag}>
      <div class="card-head">
        <i class="swatch" style={{ background: runColor(run) }} />
        <div class="hist-title">
          <h3 title={tag}>{tag}</h3>
          <div class="hist-sub" title={run}>
            <span class="hist-run">{run}</span>
            {props.subtitle && <span class="muted"> · {props.subtitle}</span>}
          </div>
        </div>
        <div class="card-actions">
          <button class="icon-button small" onClick={save} title="Download PNG">
            <IconDownload />
            <span>PNG</span>
          </button>
        </div>
      </div>
      {props.children}
    </div>
  );
}
