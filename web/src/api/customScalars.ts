/**
 * The custom-scalars layout (TensorBoard's `/data/plugin/custom_scalars/layout`, the merged
 * `Layout` proto as JSON). The charts' points are ordinary scalars, read through
 * `/api/v1/scalars` (endpoints.ts `fetchScalars`), so only the layout lives here.
 */
import { getJson } from "./client";

interface ChartWire {
  title?: string;
  multiline?: { tag?: string[] };
  margin?: { series?: { value?: string; lower?: string; upper?: string }[] };
}

export interface LayoutWire {
  category?: { title?: string; chart?: ChartWire[]; closed?: boolean }[];
}

export interface MarginSeries {
  value: string;
  lower: string;
  upper: string;
}

export type LayoutChart =
  | { kind: "multiline"; title: string; tags: string[] }
  | { kind: "margin"; title: string; series: MarginSeries[] };

export interface LayoutCategory {
  title: string;
  closed: boolean;
  charts: LayoutChart[];
}

/** The layout's categories; charts with neither content are dropped (TensorBoard draws nothing). */
export function decodeLayout(wire: LayoutWire): LayoutCategory[] {
  return (wire.category ?? []).map((category) => ({
    title: category.title ?? "",
    closed: category.closed === true,
    charts: (category.chart ?? []).flatMap((chart): LayoutChart[] => {
      const title = chart.title || "untitled";
      if (chart.multiline) return [{ kind: "multiline", title, tags: [...(chart.multiline.tag ?? [])] }];
      if (chart.margin) {
        const series = (chart.margin.series ?? []).map((s) => ({
          value: s.value ?? "",
          lower: s.lower ?? "",
          upper: s.upper ?? "",
        }));
        return [{ kind: "margin", title, series }];
      }
      return [];
    }),
  }));
}

export async function fetchLayout(signal?: AbortSignal): Promise<LayoutCategory[]> {
  return decodeLayout(await getJson<LayoutWire>("data/plugin/custom_scalars/layout", {}, signal));
}
