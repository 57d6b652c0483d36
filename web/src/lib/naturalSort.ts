/**
 * TensorBoard's tag order: number-aware and compared slash-component by slash-component, so
 * "a2b" < "a10b" and "a/a" < "a+/a" (the "/" boundary wins over any character).
 */
const CHUNK = /(\d+|\D+)/g;

function compareComponent(a: string, b: string): number {
  const xs = a.match(CHUNK) ?? [];
  const ys = b.match(CHUNK) ?? [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i] as string;
    const y = ys[i] as string;
    const xNum = /^\d/.test(x);
    const yNum = /^\d/.test(y);
    if (xNum && yNum) {
      const diff = Number(x) - Number(y);
      if (diff !== 0) return diff;
      if (x.length !== y.length) return x.length - y.length; // "01" after "1"
    } else if (xNum !== yNum) {
      return xNum ? -1 : 1; // digits before letters
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return xs.length - ys.length;
}

export function compareTags(a: string, b: string): number {
  const xs = a.split("/");
  const ys = b.split("/");
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const c = compareComponent(xs[i] as string, ys[i] as string);
    if (c !== 0) return c;
  }
  return xs.length - ys.length;
}

export function sortTags(tags: Iterable<string>): string[] {
  return [...tags].sort(compareTags);
}
