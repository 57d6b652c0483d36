/** A user-typed filter: JavaScript RegExp, case-insensitive, unanchored (as TensorBoard). */
export type Filter =
  | { ok: true; test: (text: string) => boolean }
  | { ok: false; error: string; test: (text: string) => boolean };

export function compileFilter(source: string): Filter {
  if (source === "") return { ok: true, test: () => true };
  try {
    const re = new RegExp(source, "i");
    return { ok: true, test: (text) => re.test(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An invalid filter matches nothing, so the mistake is visible rather than silently ignored.
    return { ok: false, error: message, test: () => false };
  }
}
