/**
 * Entry point of the archive parsers: detect a file's format from its content and stream it as `ParsedRow`s.
 *
 * Guarantees for every format:
 *  - a row is either a complete, validated record (`ok: true`, with the 1-based physical line where it starts) or
 *    a rejection with file, line and reason; never half a record;
 *  - invalid UTF-8 rejects that row only (reason starts with 'invalid UTF-8'), unless `invalidUtf8:
 *    'windows-1252'` is asked for;
 *  - within one file a sourceId is emitted once: a later row with the same id is rejected as a duplicate naming
 *    the line of the first (the choi-jiwoo list has 3 such re-crawled rows);
 *  - files are streamed (JSONL and CSV never sit in memory whole); a UK JSON document is read whole (one
 *    petition, ~100 KB; refused above `maxDocumentBytes`).
 * File-level problems (unreadable file, corrupt gzip, unknown format, a CSV header missing required columns)
 * throw instead of producing rows: nothing in such a file can be trusted.
 */
import { DomainError } from '../domain/errors.js';
import { RowRejection } from './build.js';
import { type CsvItem, readCsvRowBatches } from './csv.js';
import { detectFormat } from './detect.js';
import { ASSEMBLY_COLUMNS, createAssemblyMapper } from './formats/assembly.js';
import { CWD_ANSWERS_COLUMNS, createCwdAnswersMapper } from './formats/cwd-answers.js';
import { createCwdCrawlMapper, mapCrawlHeader } from './formats/cwd-crawl.js';
import { mapKorkeep } from './formats/cwd-korkeep.js';
import { CWD_LIST_COLUMNS, createCwdListMapper } from './formats/cwd-list.js';
import { mapLovit } from './formats/cwd-lovit.js';
import { mapDumpLine } from './formats/dump.js';
import { mapUkPetition, ukPetitionData } from './formats/uk.js';
import { createWtpMapper, WTP_COLUMNS } from './formats/wtp.js';
import {
  decodeUtf8,
  firstInvalidUtf8Offset,
  type InvalidUtf8Policy,
  readContentChunks,
  readContentHead,
  readRawLineBatches,
} from './read-lines.js';
import type { ArchivedPetitionRecord, ArchiveFormat, ParsedRow } from './record.js';
import { isObject } from './text.js';

export interface ParseArchiveOptions {
  /** Skip detection and parse as this format. */
  format?: ArchiveFormat;
  /** What `RejectedRow.file` says; default: `path` as given. */
  file?: string;
  /** Bytes that are not UTF-8: reject the row (default) or decode it as Windows-1252 (see read-lines.ts). */
  invalidUtf8?: InvalidUtf8Policy;
  /** Largest UK JSON document read whole; default 64 MiB. */
  maxDocumentBytes?: number;
}

/**
 * The format of a file, from the first 64 KiB of its (gunzipped, BOM-stripped) content; the name is ignored.
 * @throws DomainError('unknown_format')
 */
export async function detectFileFormat(path: string): Promise<ArchiveFormat> {
  return detectFormat(await readContentHead(path));
}

/**
 * Streams the rows of an archive file. Detects the format from content unless `opts.format` is given.
 * @throws DomainError('unknown_format') for unrecognised content or a CSV header lacking required columns;
 *   file-system / gzip errors as they come
 */
export async function* parseArchiveFile(
  path: string,
  opts: ParseArchiveOptions = {},
): AsyncGenerator<ParsedRow> {
  const format = opts.format ?? (await detectFileFormat(path));
  const ctx: Ctx = {
    path,
    file: opts.file ?? path,
    policy: opts.invalidUtf8 ?? 'reject',
    maxDocumentBytes: opts.maxDocumentBytes ?? 64 * 1024 * 1024,
  };
  const firstLineOf = new Map<string, number>();
  // Internally rows travel in batches (one per read chunk): one async step per batch, not per row.
  for await (const batch of rowBatchesOf(format, ctx)) {
    for (const row of batch) {
      if (row.ok) {
        const first = firstLineOf.get(row.record.sourceId);
        if (first !== undefined) {
          yield rejected(ctx, row.line, `duplicate id ${row.record.sourceId}: already read at line ${first}`);
          continue;
        }
        firstLineOf.set(row.record.sourceId, row.line);
      }
      yield row;
    }
  }
}

interface Ctx {
  path: string;
  file: string;
  policy: InvalidUtf8Policy;
  maxDocumentBytes: number;
}

function rowBatchesOf(format: ArchiveFormat, ctx: Ctx): AsyncGenerator<ParsedRow[]> {
  switch (format) {
    case 'cwd-korkeep-jsonl':
      return parseJsonLines(ctx, mapKorkeep);
    case 'cwd-lovit-jsonl':
      return parseJsonLines(ctx, mapLovit);
    case 'cwd-answers-csv':
      return parseCsv(ctx, format, CWD_ANSWERS_COLUMNS, createCwdAnswersMapper());
    case 'cwd-list-csv':
      return parseCsv(ctx, format, CWD_LIST_COLUMNS, createCwdListMapper());
    case 'cwd-crawl-csv':
      return parseCrawlCsv(ctx);
    case 'assembly-csv':
      return parseCsv(ctx, format, ASSEMBLY_COLUMNS, createAssemblyMapper());
    case 'wtp-csv':
      return parseCsv(ctx, format, WTP_COLUMNS, createWtpMapper());
    case 'uk-json':
      return parseUkDocument(ctx);
    case 'cheongwon-dump':
      return parseJsonLines(ctx, mapDumpLine);
    default: {
      const never: never = format;
      throw new DomainError('unknown_format', `Unknown archive format ${JSON.stringify(never)}.`);
    }
  }
}

function rejected(ctx: Ctx, line: number, reason: string): ParsedRow {
  return { ok: false, rejected: { file: ctx.file, line, reason } };
}

/**
 * Runs a mapper; a RowRejection becomes a rejected row, any other error is a bug and propagates. A mapper returns
 * null for a line that holds no petition (a dump's header): no row.
 */
function attempt<T>(ctx: Ctx, line: number, map: (input: T) => ArchivedPetitionRecord, input: T): ParsedRow;
function attempt<T>(
  ctx: Ctx,
  line: number,
  map: (input: T) => ArchivedPetitionRecord | null,
  input: T,
): ParsedRow | null;
function attempt<T>(
  ctx: Ctx,
  line: number,
  map: (input: T) => ArchivedPetitionRecord | null,
  input: T,
): ParsedRow | null {
  try {
    const record = map(input);
    return record === null ? null : { ok: true, line, record };
  } catch (e) {
    if (e instanceof RowRejection) return rejected(ctx, line, e.message);
    throw e;
  }
}

function jsonError(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
  return `invalid JSON: ${msg.length > 160 ? `${msg.slice(0, 157)}…` : msg}`;
}

async function* parseJsonLines(
  ctx: Ctx,
  map: (o: Record<string, unknown>) => ArchivedPetitionRecord | null,
): AsyncGenerator<ParsedRow[]> {
  for await (const lines of readRawLineBatches(ctx.path)) {
    const out: ParsedRow[] = [];
    for (const { line, bytes } of lines) {
      const d = decodeUtf8(bytes, ctx.policy, undefined, line);
      if (!d.ok) {
        out.push(rejected(ctx, line, d.reason));
        continue;
      }
      const text = d.text.trim();
      if (text === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (e) {
        out.push(rejected(ctx, line, jsonError(e)));
        continue;
      }
      const row = isObject(obj)
        ? attempt(ctx, line, map, obj)
        : rejected(ctx, line, 'the line is not a JSON object');
      if (row) out.push(row);
    }
    yield out;
  }
}

async function* parseCsv(
  ctx: Ctx,
  format: ArchiveFormat,
  required: readonly string[],
  map: (row: Record<string, string>) => ArchivedPetitionRecord,
): AsyncGenerator<ParsedRow[]> {
  for await (const items of readCsvRowBatches(readContentChunks(ctx.path), ctx.policy)) {
    const out: ParsedRow[] = [];
    for (const item of items) {
      if ('header' in item) {
        const missing = required.filter((c) => !item.header.includes(c));
        if (missing.length > 0) {
          throw new DomainError(
            'unknown_format',
            `${ctx.file}: the CSV header lacks the column(s) ${missing.join(', ')} that ${format} needs.`,
            { format, missing },
          );
        }
      } else if ('error' in item) {
        out.push(rejected(ctx, item.line, item.error));
      } else {
        out.push(attempt(ctx, item.line, map, item.row));
      }
    }
    yield out;
  }
}

/** Data rows read before a crawl's columns are mapped: their content decides columns whose names say nothing. */
const CRAWL_SAMPLE_ROWS = 20;

/**
 * A Blue House crawl in a layout of its own (formats/cwd-crawl.ts): the header and the first rows map the columns
 * by meaning; each column that maps to nothing is reported once, at the header's line; then every row is mapped.
 */
async function* parseCrawlCsv(ctx: Ctx): AsyncGenerator<ParsedRow[]> {
  let header: string[] | null = null;
  const headerLine = 1; // the header is the file's first record
  let map: ((cells: readonly string[]) => ArchivedPetitionRecord) | null = null;
  const pending: Array<Extract<CsvItem, { line: number }>> = [];
  const cellsOf = (row: Record<string, string>) => (header as string[]).map((h) => row[h] ?? '');
  const mapRows = (items: Array<Extract<CsvItem, { line: number }>>): ParsedRow[] =>
    items.map((item) =>
      'error' in item
        ? rejected(ctx, item.line, item.error)
        : attempt(ctx, item.line, map as (c: readonly string[]) => ArchivedPetitionRecord, cellsOf(item.row)),
    );
  const start = (): ParsedRow[] => {
    const h = header as string[];
    const samples = pending.flatMap((i) => ('row' in i ? [cellsOf(i.row)] : []));
    const mapping = mapCrawlHeader(h, samples);
    if ('missing' in mapping) {
      throw new DomainError(
        'unknown_format',
        `${ctx.file}: read as a crawl of the Blue House board, the columns ${JSON.stringify(h)} lack ${mapping.missing.join(', ')}.`,
        { format: 'cwd-crawl-csv', missing: mapping.missing },
      );
    }
    map = createCwdCrawlMapper(h, mapping);
    const notes = mapping.unmapped.map((u) =>
      rejected(
        ctx,
        headerLine,
        `column ${u.column + 1} ${JSON.stringify(u.name)} is not mapped: ${u.reason}`,
      ),
    );
    return [...notes, ...mapRows(pending.splice(0))];
  };
  for await (const items of readCsvRowBatches(readContentChunks(ctx.path), ctx.policy)) {
    const out: ParsedRow[] = [];
    for (const item of items) {
      if ('header' in item) {
        header = item.header;
        continue;
      }
      if (map === null) {
        pending.push(item);
        if (pending.length >= CRAWL_SAMPLE_ROWS) out.push(...start());
      } else {
        out.push(...mapRows([item]));
      }
    }
    if (out.length > 0) yield out;
  }
  if (map === null && header !== null) yield start();
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

async function* parseUkDocument(ctx: Ctx): AsyncGenerator<ParsedRow[]> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of readContentChunks(ctx.path)) {
    size += chunk.length;
    if (size > ctx.maxDocumentBytes) {
      yield [rejected(ctx, 1, `the JSON document is larger than ${ctx.maxDocumentBytes} bytes`)];
      return;
    }
    parts.push(chunk);
  }
  const bytes = Buffer.concat(parts);
  const d = decodeUtf8(bytes, ctx.policy, undefined, 1);
  if (!d.ok) {
    yield [rejected(ctx, lineAt(bytes, firstInvalidUtf8Offset(bytes)), d.reason)];
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(d.text);
  } catch (e) {
    const pos = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
    const line = pos ? d.text.slice(0, Number(pos[1])).split('\n').length : 1;
    yield [rejected(ctx, line, jsonError(e))];
    return;
  }
  let items: unknown[];
  try {
    items = ukPetitionData(doc);
  } catch (e) {
    if (e instanceof RowRejection) {
      yield [rejected(ctx, 1, e.message)];
      return;
    }
    throw e;
  }
  // A document is one row; its records all start on line 1 (list documents are rare and small).
  yield items.map((item) => attempt(ctx, 1, mapUkPetition, item));
}
