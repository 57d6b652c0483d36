/**
 * Tests only: the server's binary scalar columns written in TypeScript (the layout of
 * heron.server.binary_columns), so decoder and endpoint tests can answer like the server.
 */
export interface FixtureSeries {
  run: string;
  tag: string;
  steps: readonly number[];
  wallTimes: readonly number[];
  values: readonly number[];
}

export function encodeScalarColumns(series: readonly FixtureSeries[], magic = "HSC1"): ArrayBuffer {
  const header = {
    series: series.map((s) => ({ run: s.run, tag: s.tag, count: s.steps.length })),
  };
  let text = JSON.stringify(header);
  let bytes = new TextEncoder().encode(text);
  while ((bytes.length + 8) % 8 !== 0) {
    text += " ";
    bytes = new TextEncoder().encode(text);
  }
  const total = series.reduce((n, s) => n + s.steps.length, 0);
  const buffer = new ArrayBuffer(8 + bytes.length + 3 * 8 * total);
  const view = new DataView(buffer);
  for (let i = 0; i < 4; i++) view.setUint8(i, magic.charCodeAt(i));
  view.setUint32(4, bytes.length, true);
  new Uint8Array(buffer, 8, bytes.length).set(bytes);
  let at = 8 + bytes.length;
  for (const column of ["steps", "wallTimes", "values"] as const) {
    for (const s of series) {
      for (const v of s[column]) {
        view.setFloat64(at, v, true);
        at += 8;
      }
    }
  }
  return buffer;
}
