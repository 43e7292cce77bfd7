/**
 * Hashes that make judge rows reproducible: canonical JSON (object keys sorted, so the same params always give the
 * same text) and its sha256. The cache key of a judge call and the params_hash of a judge score both come from here.
 */
import {createHash} from "node:crypto";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** JSON with object keys sorted at every level; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v
  );
}
