/** src/lib/format.ts: the visible gap and CSV cells, shared by pages and the CLI. */
import {describe, expect, it} from "vitest";
import {csvCell, display, isIdentifierColumn, isMissing, MISSING} from "../../src/lib/format.ts";

describe("format", () => {
  it("null, undefined and NaN are missing and display as the gap; zero and empty text are values", () => {
    expect([null, undefined, NaN, 0, "", false].map(isMissing)).toEqual([true, true, true, false, false, false]);
    expect([null, undefined, NaN, Infinity].map((v) => display(v))).toEqual([MISSING, MISSING, MISSING, MISSING]);
    expect(display(0)).toBe("0");
    expect(display(2 / 3)).toBe("0.667");
  });

  it("identifier columns (seed, year, id) are told from quantities by name", () => {
    expect(["seed", "year", "id", "record_id", "bootstrap_seed", "release_year", "SEED"].map(isIdentifierColumn)).toEqual(Array(7).fill(true));
    expect(["n_items", "resamples", "records", "results", "idle", "seeds_used", "valid", "paid"].map(isIdentifierColumn)).toEqual(Array(8).fill(false));
  });

  it("csvCell: missing is empty, dates are ISO (bare when midnight), objects JSON, formula-like text gets an apostrophe", () => {
    expect([null, undefined, NaN].map(csvCell)).toEqual(["", "", ""]);
    expect(csvCell(new Date("2024-03-01T00:00:00Z"))).toBe("2024-03-01");
    expect(csvCell(new Date("2024-03-01T12:30:00Z"))).toBe("2024-03-01T12:30:00.000Z");
    expect(csvCell({a: [1, null]})).toBe('{"a":[1,null]}');
    expect(["=1+1", "+1+1", "-x", "-1+cmd|' /C calc'!A0", "@a", "\tx", "\rx", "a=b"].map(csvCell)).toEqual(["'=1+1", "'+1+1", "'-x", "'-1+cmd|' /C calc'!A0", "'@a", "'\tx", "'\rx", "a=b"]);
    // Only text is guarded, and not a plain number as text (DECIMAL and 128-bit values reach CSV as text).
    expect(csvCell(-2)).toBe("-2");
    expect(["-1.500", "-9007199254740993", "+1", "-2.5e-3"].map(csvCell)).toEqual(["-1.500", "-9007199254740993", "+1", "-2.5e-3"]);
  });

  it("csvCell keeps text recoverable: text already starting with apostrophes before = + - @ gets one more, so `'=1` and `=1` stay apart", () => {
    const values = ["=1", "'=1", "''=1", "'-x", "'tis", "it's", "'", "-1"];
    const cells = values.map(csvCell);
    expect(cells).toEqual(["'=1", "''=1", "'''=1", "''-x", "'tis", "it's", "'", "-1"]);
    expect(new Set(cells).size).toBe(values.length);
    // The rule the doc comment gives a reader of the CSV brings every value back.
    expect(cells.map((c) => (/^'+[=+\-@\t\r]/.test(c) ? c.slice(1) : c))).toEqual(values);
  });
});
