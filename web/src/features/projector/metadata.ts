/**
 * The metadata TSV as dictionary-encoded columns. TensorBoard's header rule: a first line holding
 * a tab is a header of column names; otherwise the file is one column, no header, named "label".
 * Each column keeps its distinct values once plus one code per row, so a regex search over a
 * million rows tests each distinct value once, and colouring is a table lookup.
 */

export interface Column {
  name: string;
  /** Distinct values, in order of first appearance. */
  values: string[];
  /** Per row, the index of its value in `values`. */
  codes: Uint32Array;
  /** Per row, the value as a number (NaN if not one); set when every non-empty value is a number. */
  numbers: Float64Array | null;
}

export interface Metadata {
  columns: Column[];
  rows: number;
}

/** Splits the text into lines, dropping one trailing newline and stray `\r`s. */
function lines(text: string): string[] {
  const out = text.split("\n");
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** Parses the TSV; rows beyond `maxRows` (the tensor's row count) are ignored, missing cells are "". */
export function parseMetadata(text: string, maxRows = Infinity): Metadata {
  const all = lines(text);
  const header = all.length > 0 && all[0]!.includes("\t");
  const names = header ? all[0]!.split("\t") : ["label"];
  const body = header ? all.slice(1) : all;
  const rows = Math.min(body.length, maxRows);
  const builders = names.map(() => ({ index: new Map<string, number>(), values: [] as string[], codes: new Uint32Array(rows) }));
  for (let r = 0; r < rows; r++) {
    const cells = header ? body[r]!.split("\t") : [body[r]!];
    for (let c = 0; c < builders.length; c++) {
      const b = builders[c]!;
      const cell = cells[c] ?? "";
      let code = b.index.get(cell);
      if (code === undefined) {
        code = b.values.length;
        b.index.set(cell, code);
        b.values.push(cell);
      }
      b.codes[r] = code;
    }
  }
  const columns = builders.map((b, c): Column => ({ name: names[c] ?? `column ${c}`, values: b.values, codes: b.codes, numbers: numeric(b.values, b.codes) }));
  return { columns, rows };
}

function numeric(values: readonly string[], codes: Uint32Array): Float64Array | null {
  const parsed = new Float64Array(values.length);
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!.trim();
    if (v === "") {
      parsed[i] = NaN;
      continue;
    }
    const x = Number(v);
    if (!Number.isFinite(x)) return null;
    parsed[i] = x;
    any = true;
  }
  if (!any) return null;
  const out = new Float64Array(codes.length);
  for (let r = 0; r < codes.length; r++) out[r] = parsed[codes[r]!]!;
  return out;
}

/** Rows whose value in `column` matches `regex` (tested once per distinct value). */
export function searchColumn(column: Column, regex: RegExp): Uint32Array {
  const hit = column.values.map((v) => {
    regex.lastIndex = 0;
    return regex.test(v);
  });
  let count = 0;
  for (let r = 0; r < column.codes.length; r++) if (hit[column.codes[r]!]) count++;
  const out = new Uint32Array(count);
  let k = 0;
  for (let r = 0; r < column.codes.length; r++) if (hit[column.codes[r]!]) out[k++] = r;
  return out;
}

/**
 * A user's search text as a RegExp: a valid regex is used as is (case-insensitive, like
 * TensorBoard's projector search); an invalid one is searched for literally, so typing "(" never
 * breaks the search.
 */
export function compileSearch(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "i");
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  }
}
