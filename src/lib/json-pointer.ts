/**
 * JSON Pointer (RFC 6901) lookup, leaf enumeration and structural equality of JSON values, for scorers that
 * compare fields of structured outputs and states. Pure and browser-safe; re-exported by `benchlab/scorer`.
 */

/** Splits a pointer ("" or "/a/0/b~1c") into its reference tokens, unescaping ~1 and ~0 (RFC 6901 §4). */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`invalid JSON Pointer ${JSON.stringify(pointer)}: must be "" or start with "/" (RFC 6901)`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The value at `pointer` in `doc`, and whether it exists (a present `null` exists). */
export function getPointer(doc: unknown, pointer: string): {found: boolean; value: unknown} {
  let cur: unknown = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= cur.length) return {found: false, value: undefined};
      cur = cur[Number(token)];
    } else if (typeof cur === "object" && cur !== null && Object.hasOwn(cur, token)) {
      cur = (cur as Record<string, unknown>)[token];
    } else {
      return {found: false, value: undefined};
    }
  }
  return {found: true, value: cur};
}

/**
 * Pointers to every leaf of a JSON value (scalars, and empty arrays or objects), in document order. The leaves
 * are the "fields" of a structured target.
 */
export function leafPointers(doc: unknown, prefix = ""): string[] {
  if (Array.isArray(doc)) {
    if (doc.length === 0) return [prefix];
    return doc.flatMap((v, i) => leafPointers(v, `${prefix}/${i}`));
  }
  if (typeof doc === "object" && doc !== null) {
    const keys = Object.keys(doc);
    if (keys.length === 0) return [prefix];
    return keys.flatMap((k) => leafPointers((doc as Record<string, unknown>)[k], `${prefix}/${escapeToken(k)}`));
  }
  return [prefix];
}

/** How loosely `jsonEqual` compares scalars, at every depth: numbers within abs/rel, strings after a normaliser. */
export interface JsonTolerance {
  abs?: number;
  rel?: number;
  /** Applied to both strings before comparing them (object keys are compared as they are). */
  normaliseString?: (s: string) => string;
}

/**
 * Structural equality of JSON values: same type, same array order, same object keys in any order. With a
 * tolerance, at every depth, two numbers are equal when |a − b| <= abs or <= rel·max(|a|, |b|), and two strings
 * when their normalised forms are.
 */
export function jsonEqual(a: unknown, b: unknown, tolerance: JsonTolerance = {}): boolean {
  if (typeof a === "string" && typeof b === "string" && tolerance.normaliseString) return tolerance.normaliseString(a) === tolerance.normaliseString(b);
  if (typeof a === "number" && typeof b === "number") {
    if (a === b) return true;
    const diff = Math.abs(a - b);
    return diff <= (tolerance.abs ?? 0) || diff <= (tolerance.rel ?? 0) * Math.max(Math.abs(a), Math.abs(b));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i], tolerance));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance));
}

/**
 * Parses model output as JSON, accepting one Markdown code fence around it (```json ... ```), as models often
 * wrap JSON. Returns the error message instead of throwing: untrusted output is data, not an exception.
 */
export function parseJsonOutput(text: string): {ok: true; value: unknown} | {ok: false; error: string} {
  const fenced = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  try {
    return {ok: true, value: JSON.parse(fenced ? fenced[1] : text)};
  } catch (err) {
    return {ok: false, error: err instanceof Error ? err.message : String(err)};
  }
}
