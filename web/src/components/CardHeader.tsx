/**
 * The header of a card that draws scalar series: its title, the CSV / JSON / PNG downloads, and
 * the buttons a card adds of its own (the scalars card: data table, full screen and pin, each a
 * CardToggle). The tag cards of Scalars and the chart cards of Custom Scalars share it so that
 * both offer the same downloads, in the same markup, with TensorBoard's file names and contents
 * (lib/download.ts).
 */
import type { ComponentChildren, JSX } from "preact";
import { downloadName, toCsv, toJson, type DownloadSeries } from "../lib/download";
import { IconDownload } from "./icons";
import { saveFile, saveUrl } from "./saveFile";

export function CardHeader({
  title,
  series,
  png,
  badge,
  children,
}: {
  /** Shown, and the downloads' file name (`tag-<title>.csv`). */
  title: string;
  /** Every point of the card's series, fetched on click: downloads carry every point, not the
   * envelope drawn on screen. Each series is named by its `run` field. */
  series: () => Promise<readonly DownloadSeries[]>;
  /** The chart as a PNG data URL, or null while nothing is drawn. */
  png: () => string | null | undefined;
  /** Shown after the title (Custom Scalars: the chart's kind). */
  badge?: ComponentChildren;
  /** More buttons, after the downloads. */
  children?: ComponentChildren;
}): JSX.Element {
  const download = async (format: "csv" | "json"): Promise<void> => {
    const all = await series();
    if (format === "csv") saveFile(downloadName(title, "csv"), toCsv(all), "text/csv");
    else saveFile(downloadName(title, "json"), toJson(all), "application/json");
  };
  const savePng = (): void => {
    const url = png();
    if (url) saveUrl(downloadName(title, "png"), url);
  };
  return (
    <div class="card-head">
      <h3 title={title}>{title}</h3>
      {badge}
      <div class="card-actions">
        <button class="icon-button small" onClick={() => void download("csv")} title="Download CSV (every point)">
          <IconDownload />
          <span>CSV</span>
        </button>
        <button class="icon-button small" onClick={() => void download("json")} title="Download JSON (every point)">
          <span>JSON</span>
        </button>
        <button class="icon-button small" onClick={savePng} title="Download PNG">
          <span>PNG</span>
        </button>
        {children}
      </div>
    </div>
  );
}

/** A header button that turns something of the card on and off; shown pressed while on. */
export function CardToggle({
  on,
  onClick,
  title,
  testid,
  children,
}: {
  on: boolean;
  onClick: () => void;
  title: string;
  testid: string;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <button class={`icon-button small ${on ? "active" : ""}`} onClick={onClick} title={title} aria-pressed={on} data-testid={testid}>
      {children}
    </button>
  );
}
