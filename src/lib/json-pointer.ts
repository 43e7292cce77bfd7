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
 * How deep `leafPointers` follows nested arrays and objects before refusing a value, with an error that says so:
 * each leaf's pointer is as long as its depth, and the limit keeps a hostile value from making millions of ever
 * longer pointers. It walks with a stack of its own, as `jsonEqual` (which has no limit) does, so depth costs no
 * call stack (the recursive walks overflowed it at a few thousand levels).
 */
export const MAX_JSON_DEPTH = 1000;


/**
 * Pointers to every leaf of a JSON value (scalars, and empty arrays or objects), in document order. The leaves
 * are the "fields" of a structured target. Throws when the value nests deeper than MAX_JSON_DEPTH.
 */
export function leafPointers(doc: unknown, prefix = ""): string[] {
  const leaves: string[] = [];
  const todo: [value: unknown, pointer: string, depth: number][] = [[doc, prefix, 0]];
  while (todo.length) {
    const [value, pointer, depth] = todo.pop()!;
    const children: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : typeof value === "object" && value !== null
        ? Object.entries(value)
        : [];
    if (children.length === 0) {
      leaves.push(pointer);
      continue;
    }
    if (depth === MAX_JSON_DEPTH) {
      throw new Error(`JSON nests deeper than ${MAX_JSON_DEPTH} levels (at ${pointer.length > 60 ? `${pointer.slice(0, 60)}…` : pointer}): too deep to compare field by field`);
    }
    // Pushed last to first, so they are popped in document order.
    for (let i = children.length - 1; i >= 0; i--) todo.push([children[i][1], `${pointer}/${escapeToken(children[i][0])}`, depth + 1]);
  }
  return leaves;
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
  // Pairs still to compare, on a stack of its own: any depth, no recursion.
  const todo: [unknown, unknown][] = [[a, b]];
  while (todo.length) {
    const [x, y] = todo.pop()!;
    if (!scalarsOrSameShape(x, y, tolerance)) return false;
    if (typeof x !== "object" || x === null) continue;
    if (Array.isArray(x)) for (let i = 0; i < x.length; i++) todo.push([x[i], (y as unknown[])[i]]);
    else for (const k of Object.keys(x)) todo.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
  }
  return true;
}

/** Equal scalars, or two arrays of one length, or two objects with the same keys (their members compared next). */
function scalarsOrSameShape(a: unknown, b: unknown, tolerance: JsonTolerance): boolean {
  if (typeof a === "string" && typeof b === "string" && tolerance.normaliseString) return tolerance.normaliseString(a) === tolerance.normaliseString(b);
  if (typeof a === "number" && typeof b === "number") {
    if (a === b) return true;
    const diff = Math.abs(a - b);
    return diff <= (tolerance.abs ?? 0) || diff <= (tolerance.rel ?? 0) * Math.max(Math.abs(a), Math.abs(b));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k));
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
