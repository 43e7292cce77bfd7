/** The CLI's row printing: untrusted text is made safe for a terminal, tables align, CSV keeps values whole. */
import {parse} from "csv-parse/sync";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {cellOf, csvTable, terminalCell, terminalSafe, textTable} from "../../data-loaders/commands/print-rows.ts";

describe("print-rows", () => {
  it("terminalSafe writes C0 and C1 control characters as \\uXXXX and leaves other text alone", () => {
    expect(terminalSafe("a\u001b[2Jb\r\nc\u009bd\u007f")).toBe("a\\u001b[2Jb\\u000d\\u000ac\\u009bd\\u007f");
    expect(terminalSafe("naïve — 模型 🙂")).toBe("naïve — 模型 🙂");
  });

  it("terminalCell shows a missing value as the gap and cuts long text at the end, or at the start for paths", () => {
    expect(terminalCell(null)).toBe("—");
    // Non-finite numbers are values a query returned, not gaps.
    expect([Infinity, -Infinity, NaN].map((v) => terminalCell(v))).toEqual(["Infinity", "-Infinity", "NaN"]);
    expect(terminalCell("abcdefghij", 5)).toBe("abcd…");
    expect(terminalCell("/a/b/c/file.jsonl", 12, {keepEnd: true})).toBe("…/file.jsonl");
    expect(terminalCell("short", 5, {keepEnd: true})).toBe("short");
    // A number shows in full: a query's result is not rounded for show.
    expect(terminalCell(1 / 3)).toBe("0.3333333333333333");
  });

  it("cellOf keeps safe integers as numbers and writes larger ones (128-bit hashes) as exact decimal text", () => {
    expect(cellOf(42n)).toBe(42);
    expect(cellOf(2n ** 127n + 1n)).toBe("170141183460469231731687303715884105729");
    expect([null, "a", 1.5, true].map((v) => cellOf(v))).toEqual([null, "a", 1.5, true]);
  });

  it("cellOf writes lists, structs, maps and unions as JSON text that reads back, numbers inside kept exact", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const row = (await conn.runAndReadAll(`SELECT
          map {'topic': 'a=1, b', 'k': NULL} AS slices,
          [1.5, 'nan'::DOUBLE, NULL] AS values,
          {'hash': (2::UHUGEINT ** 100)::UHUGEINT, 'n': 3, 'at': DATE '2025-06-01'} AS struct,
          map {1: 'one'} AS numbered,
          union_value(t := 'x')::UNION(n INTEGER, t VARCHAR) AS tagged`)).getRows()[0];
      const cells = row.map(cellOf);
      expect(cells).toEqual([
        '{"topic":"a=1, b","k":null}',
        '[1.5,"NaN",null]',
        '{"hash":"1267650600228229401496703205376","n":3,"at":"2025-06-01"}',
        '[{"key":1,"value":"one"}]',
        '"x"'
      ]);
      // DuckDB's own text for the map would be {topic=a=1, b, k=NULL}: no program could tell its entries apart.
      expect(JSON.parse(String(cells[0]))).toEqual({topic: "a=1, b", k: null});
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("textTable pads every column but the last to its widest cell", () => {
    expect(textTable(["name", "n", "note"], [["exact-match", 3, null], ["x", 12345, "ok"]])).toEqual([
      "name         n      note",
      "exact-match  3      —",
      "x            12345  ok"
    ]);
  });

  it("csvTable quotes what needs it, leaves missing values empty and guards formulas (not a plain number), and parses back", () => {
    const text = csvTable(["a", "b", "c"], [["x,\"y\"\nz", null, "=SUM(A1)"], [1.5, true, "-2"]]);
    expect(parse(text)).toEqual([
      ["a", "b", "c"],
      ["x,\"y\"\nz", "", "'=SUM(A1)"],
      ["1.5", "true", "-2"]
    ]);
  });
});
