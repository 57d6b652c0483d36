/**
 * The only place that calls `fetch`. Paths are relative ("data/runs", never "/data/runs") so the
 * UI works under any `--path_prefix`: the browser resolves them against the page's URL.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type Params = Record<string, string | number | boolean | readonly (string | number)[] | undefined>;

export function buildUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) query.append(key, String(item));
    else query.append(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { headers: { Accept: "application/json" } };
  if (signal) init.signal = signal;
  const response = await fetch(buildUrl(path, params), init);
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new ApiError(response.status, text || `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/** A binary answer (``Accept`` names its media type), as the bytes the browser received. */
export async function getBytes(
  path: string,
  params: Params = {},
  signal?: AbortSignal,
  accept = "application/octet-stream",
): Promise<ArrayBuffer> {
  const init: RequestInit = { headers: { Accept: accept } };
  if (signal) init.signal = signal;
  const response = await fetch(buildUrl(path, params), init);
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new ApiError(response.status, text || `${response.status} ${response.statusText}`);
  }
  return await response.arrayBuffer();
}
