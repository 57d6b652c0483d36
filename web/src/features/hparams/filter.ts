/**
 * The brushing filter, shared by every view of the dashboard: at most one filter per axis, all
 * of them AND-ed. A brush dragged on a numeric axis is a value range; on a categorical axis, the
 * categories it covers. The table's filter boxes write the same filters as text, so a brush and
 * a typed filter are one thing seen two ways.
 */
import { type Axis, categoryOf, type Session } from "./model";
import type { Scale } from "./scales";

export type Filter =
  | { kind: "range"; lo: number; hi: number }
  | { kind: "set"; values: readonly string[] }
  /** Typed in the table: any of the terms as a case-insensitive substring. */
  | { kind: "text"; terms: readonly string[] };

export type Filters = ReadonlyMap<string, Filter>;

export function passes(session: Session, axis: Axis, filter: Filter): boolean {
  const v = session.values.get(axis.id);
  if (v === undefined) return false; // a brushed axis keeps only sessions that have a value there
  switch (filter.kind) {
    case "range":
      return typeof v === "number" && v >= filter.lo && v <= filter.hi;
    case "set":
      return filter.values.includes(categoryOf(v));
    case "text": {
      const text = categoryOf(v).toLowerCase();
      return filter.terms.some((t) => text.includes(t.toLowerCase()));
    }
  }
}

/** Names of the sessions passing every filter (filters on unknown axes are ignored). */
export function matching(sessions: readonly Session[], axes: readonly Axis[], filters: Filters): Set<string> {
  const active = axes.flatMap((a) => {
    const f = filters.get(a.id);
    return f ? [[a, f] as const] : [];
  });
  const out = new Set<string>();
  for (const s of sessions) if (active.every(([a, f]) => passes(s, a, f))) out.add(s.name);
  return out;
}

/** The filter a brush from position `t0` to `t1` (in [0, 1], either order) on an axis means. */
export function brushFilter(axis: Axis, scale: Scale, t0: number, t1: number): Filter {
  const lo = Math.max(0, Math.min(t0, t1));
  const hi = Math.min(1, Math.max(t0, t1));
  if (scale.kind === "category") {
    return { kind: "set", values: axis.categories.filter((c) => {
      const t = scale.position(c);
      return t !== null && t >= lo && t <= hi;
    }) };
  }
  // A brush reaching an end of the axis is open on that side: "everything above", with no
  // rounding at the extreme value (and values beyond a declared interval are kept too).
  return { kind: "range", lo: lo <= 0 ? -Infinity : scale.invert(lo), hi: hi >= 1 ? Infinity : scale.invert(hi) };
}

/** Where a filter sits on an axis, as [lo, hi] positions, to draw its brush; null if nowhere. */
export function brushExtent(filter: Filter, scale: Scale): [number, number] | null {
  if (filter.kind === "range") {
    if (scale.kind === "category") return null;
    // Open ends reach the axis' ends; a bound off a log axis (≤ 0) is its bottom.
    const a = filter.lo === -Infinity || (scale.kind === "log" && filter.lo <= 0) ? 0 : scale.position(filter.lo);
    const b = filter.hi === Infinity ? 1 : scale.position(filter.hi);
    if (a === null || b === null) return null;
    return [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
  }
  if (filter.kind === "set" && scale.kind === "category") {
    const ts = filter.values.map((v) => scale.position(v)).filter((t): t is number => t !== null);
    if (ts.length === 0) return null;
    const half = 0.5 / Math.max(1, scale.ticks().length);
    return [Math.max(0, Math.min(...ts) - half), Math.min(1, Math.max(...ts) + half)];
  }
  return null;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?inf(?:inity)?`;

function num(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[-+]?inf/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  return Number(t);
}

/**
 * A table filter box's text: on numeric axes `> 0.5`, `<= 1e-3`, `0.01..0.1` or a number (that
 * value); on others, comma-separated terms matched as substrings. Empty: no filter. Text that
 * is not a numeric filter on a numeric axis is an error (null), shown as such.
 */
export function parseFilter(text: string, numeric: boolean): Filter | null | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  if (!numeric) {
    const terms = t.split(",").map((x) => x.trim()).filter((x) => x !== "");
    return terms.length ? { kind: "text", terms } : undefined;
  }
  let m = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`, "i").exec(t);
  if (m) {
    const a = num(m[1] ?? "");
    const b = num(m[2] ?? "");
    return { kind: "range", lo: Math.min(a, b), hi: Math.max(a, b) };
  }
  m = new RegExp(`^(<=|>=|<|>|=|==)?\\s*(${NUMBER})$`, "i").exec(t);
  if (!m) return null;
  const v = num(m[2] ?? "");
  // Bounds are inclusive either way: metrics are floats, so `<` and `<=` differ only at the bound.
  switch (m[1]) {
    case "<":
    case "<=":
      return { kind: "range", lo: -Infinity, hi: v };
    case ">":
    case ">=":
      return { kind: "range", lo: v, hi: Infinity };
    default:
      return { kind: "range", lo: v, hi: v };
  }
}

function short(v: number): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return Number(v.toPrecision(4)).toString();
}

/** A filter as the table's filter box shows it. */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case "range":
      if (filter.lo === -Infinity) return `<= ${short(filter.hi)}`;
      if (filter.hi === Infinity) return `>= ${short(filter.lo)}`;
      return filter.lo === filter.hi ? short(filter.lo) : `${short(filter.lo)}..${short(filter.hi)}`;
    case "set":
      return filter.values.join(", ");
    case "text":
      return filter.terms.join(", ");
  }
}
