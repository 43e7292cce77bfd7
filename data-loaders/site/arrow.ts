/**
 * Page data as Arrow IPC files: the one format by which warehouse rows reach the browser.
 *
 * Why Arrow: DuckDB-WASM reads Arrow offline (it needs an extension download for Parquet), Framework's
 * `FileAttachment(...).arrow()` and `sql:` front matter load it directly, and the column types survive
 * (a date stays a date, a missing value stays null).
 *
 * @duckdb/node-api has no Arrow export, so a query result is converted column by column with apache-arrow:
 * text -> Utf8, booleans -> Bool, small integers -> Int32, BIGINT/DECIMAL/floats -> Float64 (counts in a page are
 * far below 2^53; larger values fail loudly instead of losing digits), DATE -> Date32<DAY>,
 * TIMESTAMP -> Timestamp<MILLISECOND>; nested values (JSON, MAP, LIST, STRUCT) -> Utf8 holding their JSON text.
 */
import {type DuckDBConnection, type DuckDBResultReader, type DuckDBValue, DuckDBTypeId} from "@duckdb/node-api";
import {
  Bool,
  type DataType,
  DateDay,
  Float64,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray
} from "apache-arrow";
import {openReadOnly} from "./site-warehouse.ts";

type Converter = {type: DataType; convert(js: unknown, json: unknown): unknown};

const asIs = (js: unknown) => js;
const asJsonText = (_js: unknown, json: unknown) => (json === null ? null : typeof json === "string" ? json : JSON.stringify(json));

function safeNumber(column: string) {
  return (js: unknown) => {
    if (js === null) return null;
    const n = Number(js);
    if (!Number.isSafeInteger(n) && typeof js === "bigint") {
      throw new Error(`column ${column}: ${js} does not fit a JavaScript number; cast it to DOUBLE or VARCHAR in the query`);
    }
    return n;
  };
}

function converterFor(typeId: DuckDBTypeId, column: string): Converter {
  switch (typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return {type: new Utf8(), convert: (js) => (js === null ? null : String(js))};
    case DuckDBTypeId.BOOLEAN:
      return {type: new Bool(), convert: asIs};
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return {type: new Int32(), convert: asIs};
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return {type: new Float64(), convert: safeNumber(column)};
    case DuckDBTypeId.DATE:
      return {type: new DateDay(), convert: asIs};
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return {type: new TimestampMillisecond(), convert: asIs};
    default:
      return {type: new Utf8(), convert: asJsonText};
  }
}

/** Converts a materialized DuckDB result into an Arrow table with the column types described above. */
export function arrowFromResult(reader: DuckDBResultReader): Table {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const js = reader.getRowsJS();
  const json = reader.getRowsJson();
  const columns = Object.fromEntries(
    names.map((name, i) => {
      const {type, convert} = converterFor(types[i].typeId, name);
      const values = js.map((row, r) => convert(row[i], json[r][i]));
      return [name, vectorFromArray(values, type)];
    })
  );
  return new Table(columns);
}

/** Runs a query (with positional `?` parameters, never interpolated text) and returns it as an Arrow table. */
export async function queryArrow(connection: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Table> {
  return arrowFromResult(await connection.runAndReadAll(sql, params));
}

/** A page query: the table of one `src/data/*.arrow.ts` loader. */
export type PageQuery = (connection: DuckDBConnection) => Promise<Table>;

/**
 * The bytes a loader writes for `query`: its table in the Arrow IPC *stream* format, which Framework caches and
 * serves. Stream, not file: Framework hands `.arrow` files named in `sql:` front matter to DuckDB-WASM's
 * `insertArrowFromIPCStream`, which silently creates no table from the file format; `FileAttachment(...).arrow()`
 * reads both.
 */
export async function arrowLoaderOutput(connection: DuckDBConnection, query: PageQuery): Promise<Uint8Array> {
  return tableToIPC(await query(connection), "stream");
}

/** The body of a `src/data/*.arrow.ts` loader: runs `query` against the site warehouse (read-only), output to stdout. */
export async function writeArrowLoader(query: PageQuery): Promise<void> {
  const warehouse = await openReadOnly();
  try {
    process.stdout.write(await arrowLoaderOutput(warehouse.connection, query));
  } finally {
    warehouse.close();
  }
}
