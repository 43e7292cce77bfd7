/**
 * Staging: a file's records as rows (line number, JSON text) of a connection-local temp table, before any check.
 *
 * Two ways in, same table out:
 * - DuckDB reads the lines itself (`read_csv` with no quote, no delimiter that can occur in JSON): fast, used for
 *   newline-delimited files, plain or gzip, LF or CRLF. A JavaScript pre-scan (which also computes the file's sha256)
 *   decides whether the file qualifies and afterwards confirms DuckDB saw exactly as many lines as the file has.
 * - JavaScript splits the lines (invalid UTF-8, the delimiter byte, or any file DuckDB could not split) and appends
 *   them in chunks.
 * Both strip a UTF-8 byte-order mark, drop a trailing CR, and skip blank lines (a blank line is not a record).
 */
import {BIGINT, DuckDBDataChunk, VARCHAR, type DuckDBConnection} from "@duckdb/node-api";
import {constants, isUtf8} from "node:buffer";
import {createHash, type Hash} from "node:crypto";
import {createReadStream} from "node:fs";
import {open, stat} from "node:fs/promises";
import {Readable} from "node:stream";
import {createGunzip, gunzipSync} from "node:zlib";
import type {QuarantinedRow} from "../warehouse.ts";

/**
 * The temp table every format is staged into: (line, raw, source), one row per line. `raw` is NULL for an empty
 * line (blank lines are not records); `source` keeps the original text when `raw` was derived (CSV).
 */
export const LINES_TABLE = "ingest_lines";

export interface StagedFile {
  fileSha256: string;
  /** Physical lines of the (decompressed) file, blank ones included. */
  lines: number;
  /** The file does not end with a newline, so its last line may be cut short. */
  lastLineUnterminated: boolean;
  /** Number of the last non-blank line (for the truncated-last-line diagnosis). */
  lastLine: number;
  /** Lines rejected before they could be staged as text (e.g. invalid UTF-8), explained on the spot. */
  rejected: QuarantinedRow[];
  /** Which reader split the lines (reported by the benchmark and tests). */
  reader: "duckdb" | "javascript";
}

export type Progress = (fraction: number) => void;

const GZIP_MAGIC = [0x1f, 0x8b];
const LF = 0x0a;
const CR = 0x0d;
/** read_csv's delimiter: never valid unescaped inside JSON, and a file containing it takes the JavaScript path. */
const SOH = 0x01;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CHUNK_ROWS = 2048;
/**
 * Longest line ingest reads: V8's longest string (2^29 - 24 characters), so no longer line could become text to
 * check, store or score. A longer line is rejected, and only its head is held in memory (a gzip bomb can be one line).
 */
export const MAX_LINE_BYTES = constants.MAX_STRING_LENGTH;
/** What the quarantine keeps of a line over MAX_LINE_BYTES: its first bytes, enough to tell which record it was. */
const LONG_LINE_HEAD_BYTES = 1024;

export async function createLinesTable(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${LINES_TABLE} (line BIGINT NOT NULL, raw VARCHAR, source VARCHAR)`);
}

/** Appends rows to LINES_TABLE through DuckDB data chunks (one native call per 2048 rows). */
export class LineAppender {
  private lines: bigint[] = [];
  private raws: string[] = [];
  private sources: (string | null)[] = [];
  private constructor(private readonly appender: Awaited<ReturnType<DuckDBConnection["createAppender"]>>) {}

  static async open(conn: DuckDBConnection): Promise<LineAppender> {
    return new LineAppender(await conn.createAppender(LINES_TABLE, "main", "temp"));
  }

  push(line: number, raw: string, source: string | null = null): void {
    this.lines.push(BigInt(line));
    this.raws.push(raw);
    this.sources.push(source);
    if (this.lines.length === CHUNK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const chunk = DuckDBDataChunk.create([BIGINT, VARCHAR, VARCHAR], this.lines.length);
    chunk.setColumnValues(0, this.lines);
    chunk.setColumnValues(1, this.raws);
    chunk.setColumnValues(2, this.sources);
    this.appender.appendDataChunk(chunk);
    this.lines = [];
    this.raws = [];
    this.sources = [];
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

/** The file's bytes, hashed on the way through (when given a hash) and decompressed when gzip (by magic bytes). */
export async function* fileBytes(file: string, hash: Hash | null, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  const source = (async function* () {
    for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20}) as AsyncIterable<Buffer>) {
      hash?.update(chunk);
      onBytes?.(chunk.length);
      yield chunk;
    }
  })();
  const first = await source.next();
  if (first.done) return;
  const all = (async function* () {
    yield first.value;
    yield* source;
  })();
  if (!isGzip(first.value)) {
    yield* all;
    return;
  }
  for await (const chunk of Readable.from(all).pipe(createGunzip()) as AsyncIterable<Buffer>) yield chunk;
}

/** Whether bytes start as gzip data (by magic bytes, not by file name). */
export const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];

/** A whole file's bytes, decompressed when they are gzip data. */
export const gunzipIfGzip = (bytes: Buffer): Buffer => (isGzip(bytes) ? gunzipSync(bytes) : bytes);

/** Facts from one pass over a file (decompressed when gzip), used to choose the reader and to check what DuckDB read. */
interface PreScan {
  sha256: string;
  newlines: number;
  endsWithNewline: boolean;
  hasDelimiterByte: boolean;
}

async function preScan(file: string, onProgress?: Progress): Promise<PreScan> {
  const hash = createHash("sha256");
  const total = (await stat(file)).size;
  let read = 0;
  let newlines = 0;
  let lastByte = -1;
  let hasDelimiterByte = false;
  for await (const chunk of fileBytes(file, hash, (n) => onProgress?.((read += n) / Math.max(total, 1)))) {
    hasDelimiterByte ||= chunk.includes(SOH);
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) newlines++;
    lastByte = chunk[chunk.length - 1];
  }
  return {sha256: hash.digest("hex"), newlines, endsWithNewline: lastByte === LF, hasDelimiterByte};
}

/** Whether the file starts as gzip data (its first two bytes). */
async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(2);
    const {bytesRead} = await handle.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Stages a newline-delimited JSON file. Returns its sha256 and line facts; LINES_TABLE holds its lines.
 * `onProgress` gets the fraction of the file read.
 */
export async function stageJsonLines(conn: DuckDBConnection, file: string, onProgress?: Progress): Promise<StagedFile> {
  const gzip = await isGzipFile(file);
  // DuckDB splits the lines while JavaScript scans the bytes (sha256, line count, bytes that rule DuckDB out); both
  // finish before a failure of either (e.g. corrupt gzip) is reported, so no statement is left running.
  const [scanned, read] = await Promise.allSettled([preScan(file, onProgress), readWithDuckDB(conn, file, gzip)]);
  if (scanned.status === "rejected") throw scanned.reason;
  const scan = scanned.value;
  if (read.status === "fulfilled" && read.value && !scan.hasDelimiterByte) {
    const expectedLines = scan.newlines + (scan.endsWithNewline ? 0 : 1);
    const counted = await conn.runAndReadAll(`SELECT count(*)::BIGINT, max(line)::BIGINT, max(line) FILTER (WHERE raw IS NOT NULL)::BIGINT FROM ${LINES_TABLE}`);
    const [n, max, last] = counted.getRows()[0] as [bigint, bigint | null, bigint | null];
    // Confirm the split: DuckDB must have seen exactly the file's lines, or its line numbers would be wrong.
    if (Number(n) === expectedLines && Number(max ?? 0) === expectedLines)
      return {
        fileSha256: scan.sha256,
        lines: expectedLines,
        lastLineUnterminated: !scan.endsWithNewline,
        lastLine: Number(last ?? 0),
        rejected: [],
        reader: "duckdb"
      };
  }
  return stageWithJavaScript(conn, file, scan.sha256, onProgress);
}

/**
 * DuckDB's line reader: read_csv with no quote and a delimiter JSON text cannot contain, decompressing gzip itself.
 * False if it failed.
 */
async function readWithDuckDB(conn: DuckDBConnection, file: string, gzip: boolean): Promise<boolean> {
  // The path is a parameter ($1), never SQL text. DuckDB ends a line at LF, CRLF or a lone CR, whatever `new_line`
  // says; '\r\n' makes a CRLF one line end, as it is ('\n' made it two). A lone CR inside a line (JSON whitespace)
  // splits it, so DuckDB's count differs from the file's LFs and the JavaScript reader, which keeps it, takes over.
  const read = (options: string) => `read_csv($1, columns={'raw': 'VARCHAR'}, header=false, delim=chr(${SOH}), quote='', escape='',
    auto_detect=false, new_line='\\r\\n', strict_mode=false, compression='${gzip ? "gzip" : "none"}'${options})`;
  // DuckDB splits the file in parallel and, preserving insertion order (its default), stores the lines in file order,
  // so a line's number is its rowid + 1 (DuckDB's order-preservation rules). Numbering with row_number() OVER ()
  // during the read would do the same on one thread: half a second slower on a million lines.
  const create = async (options: string) => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${LINES_TABLE} AS SELECT NULL::BIGINT AS line, raw, NULL::VARCHAR AS source FROM ${read(options)}`, [file]);
    await conn.run(`UPDATE ${LINES_TABLE} SET line = rowid + 1`);
  };
  try {
    await create("");
    return true;
  } catch (err) {
    // E.g. invalid UTF-8: the JavaScript reader explains it. A gzip file with a line above the limit goes there too.
    if (!/maximum line size/i.test(String(err)) || gzip) return false;
  }
  // A line above DuckDB's default 2 MB (a 50 MB single-line record): size the line limit and buffer to the file.
  // A line too long to read at all is the JavaScript reader's to reject, naming it.
  const longest = (await longestLine(file)) + 16;
  if (longest > MAX_LINE_BYTES) return false;
  try {
    await create(`, max_line_size=${longest}, buffer_size=${Math.max(2 * longest, 32 << 20)}`);
    return true;
  } catch {
    return false;
  }
}

/** Longest line of a file, in bytes. */
async function longestLine(file: string): Promise<number> {
  let longest = 0;
  let start = 0;
  let offset = 0;
  for await (const chunk of createReadStream(file, {highWaterMark: 4 << 20}) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      longest = Math.max(longest, offset + i - start);
      start = offset + i + 1;
    }
    offset += chunk.length;
  }
  return Math.max(longest, offset - start);
}

/**
 * Splits lines in JavaScript: handles gzip, CRLF, a BOM and invalid UTF-8 (rejected per line). The pre-scan already
 * hashed the file, so its sha256 comes in rather than being computed again.
 */
async function stageWithJavaScript(conn: DuckDBConnection, file: string, fileSha256: string, onProgress?: Progress): Promise<StagedFile> {
  await createLinesTable(conn);
  const total = (await stat(file)).size;
  let read = 0;
  const appender = await LineAppender.open(conn);
  const rejected: QuarantinedRow[] = [];
  let lineNo = 0;
  let lastLine = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let sawBytes = false;
  let endsWithNewline = false;
  /** The first LONG_LINE_HEAD_BYTES of `buffers`, as one buffer. */
  const head = (buffers: Buffer[]) => Buffer.concat(buffers, Math.min(LONG_LINE_HEAD_BYTES, buffers.reduce((n, b) => n + b.length, 0)));
  /** One line: `bytes` holds it whole, or only its head when it is `length` > MAX_LINE_BYTES bytes long. */
  const emit = (bytes: Buffer, length = bytes.length) => {
    lineNo++;
    if (length > MAX_LINE_BYTES) {
      lastLine = lineNo;
      rejected.push({
        line: lineNo,
        field: null,
        reason: `line is ${length.toLocaleString("en-US")} bytes long, more than one record can be (${MAX_LINE_BYTES.toLocaleString("en-US")} bytes, the longest text JavaScript holds); only its first ${bytes.length} bytes are kept here`,
        raw: bytes.toString("utf8")
      });
      return;
    }
    let line = bytes;
    if (lineNo === 1 && line.subarray(0, 3).equals(BOM)) line = line.subarray(3);
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (!isUtf8(line)) {
      lastLine = lineNo;
      rejected.push({
        line: lineNo,
        field: null,
        reason: "line is not valid UTF-8 text; re-export the file as UTF-8",
        raw: line.toString("latin1")
      });
      return;
    }
    const text = line.toString("utf8");
    if (/^[ \t]*$/.test(text)) return;
    lastLine = lineNo;
    appender.push(lineNo, text);
  };
  try {
    for await (const chunk of fileBytes(file, null, (n) => {
      read += n;
      onProgress?.(read / Math.max(total, 1));
    })) {
      sawBytes = true;
      let start = 0;
      for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, start)) {
        const piece = chunk.subarray(start, i);
        const length = pendingBytes + piece.length;
        if (length > MAX_LINE_BYTES) emit(head([...pending, piece]), length);
        else emit(pending.length ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        pendingBytes = 0;
        start = i + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        pendingBytes += rest.length;
        if (pendingBytes > MAX_LINE_BYTES) pending = [head([...pending, rest])];
        else pending.push(rest);
      }
      endsWithNewline = start === chunk.length;
    }
    if (pending.length) emit(pendingBytes > MAX_LINE_BYTES ? head(pending) : Buffer.concat(pending), pendingBytes);
  } finally {
    appender.close();
  }
  return {
    fileSha256,
    lines: lineNo,
    lastLineUnterminated: sawBytes && !endsWithNewline,
    lastLine,
    rejected,
    reader: "javascript"
  };
}
