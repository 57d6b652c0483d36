/**
 * Wire types: the JSON the server sends, exactly as docs/http-api.md describes it. View models
 * live elsewhere (state/, features/); only api/ sees these shapes.
 *
 * Heron's own /api/v1 types are generated from the server's OpenAPI document (generated.ts,
 * `make gen-web-types`); the TensorBoard-compatible /data routes below have no schema, so they are
 * written by hand from docs/http-api.md.
 */

/** Non-finite floats travel as strings, as TensorBoard sends them. */
export type WireFloat = number | "NaN" | "Infinity" | "-Infinity";

export interface PluginInfoWire {
  disable_reload: boolean;
  enabled: boolean;
  remove_dom: boolean;
  tab_name: string;
}

export type PluginsListingWire = Record<string, PluginInfoWire>;

export interface EnvironmentWire {
  version: string;
  data_location: string;
  window_title: string;
  experiment_name: string;
  experiment_description: string;
}

export type ScalarTagsWire = Record<string, Record<string, { displayName: string; description: string }>>;

/** `event: data` of /api/v1/events. */
export interface DataEventWire {
  series: Record<string, string[]>;
  runs_changed: boolean;
}
