/**
 * Format detection from CONTENT, never from the file name.
 *
 * Input: the first bytes of a file (any length; 64 KiB is plenty). Gzip content (1f 8b) is inflated as far as the
 * bytes go, and a UTF-8 BOM is dropped, so the raw head of any archive file works. Rules:
 *  - JSON (first non-blank character `{` or `[`):
 *      a whole JSON document with `data.attributes.signature_count` (or `data[0]…`) → 'uk-json';
 *      otherwise JSON Lines, judged by the first line that parses as an object:
 *      keys petition_id + agree → 'cwd-korkeep-jsonl'; num_agree + petition_idx → 'cwd-lovit-jsonl';
 *      `schema: "cheongwon-dump/N"` → 'cheongwon-dump' (Cheongwon's own open-data dump; unknown N is refused);
 *      a head cut inside a long UK document is recognised by its `"data"`, `"attributes"` and
 *      `"signature_count": <number>` keys.
 *  - otherwise CSV, judged by the header (first line) containing all the columns a parser needs:
 *      num, start-days, end-days, title, count, petition_answer → 'cwd-answers-csv';
 *      id, category, title, expiryDate, numOfAgrees → 'cwd-list-csv';
 *      rowno, category, title, content, count, start, end → 'assembly-csv';
 *      id, url, title, content, statement, tags, signs, createdDate → 'wtp-csv';
 *      otherwise any other crawl of the Blue House board whose columns can be mapped by meaning — names and the
 *      content of the first rows (formats/cwd-crawl.ts `mapCrawlHeader`) — to a number, title, count and a date
 *      → 'cwd-crawl-csv'.
 * Anything else throws DomainError('unknown_format') naming what was seen.
 */
import { constants, gunzipSync } from 'node:zlib';
import { DomainError } from '../domain/errors.js';
import { CsvTokenizer } from './csv.js';
import { ASSEMBLY_COLUMNS } from './formats/assembly.js';
import { CWD_ANSWERS_COLUMNS } from './formats/cwd-answers.js';
import { mapCrawlHeader } from './formats/cwd-crawl.js';
import { KORKEEP_KEYS } from './formats/cwd-korkeep.js';
import { CWD_LIST_COLUMNS } from './formats/cwd-list.js';
import { LOVIT_KEYS } from './formats/cwd-lovit.js';
import { DUMP_SCHEMAS } from './formats/dump.js';
import { WTP_COLUMNS } from './formats/wtp.js';
import { hasUtf8Bom, isGzip } from './read-lines.js';
import type { ArchiveFormat } from './record.js';
import { isObject } from './text.js';

const CSV_SIGNATURES: ReadonlyArray<readonly [ArchiveFormat, readonly string[]]> = [
  ['cwd-answers-csv', CWD_ANSWERS_COLUMNS],
  ['cwd-list-csv', CWD_LIST_COLUMNS],
  ['assembly-csv', ASSEMBLY_COLUMNS],
  ['wtp-csv', WTP_COLUMNS],
];

const JSONL_SIGNATURES: ReadonlyArray<readonly [ArchiveFormat, readonly string[]]> = [
  ['cwd-korkeep-jsonl', KORKEEP_KEYS],
  ['cwd-lovit-jsonl', LOVIT_KEYS],
];

/** True for a parsed UK petition document (single or list). */
function isUkDocument(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const data = Array.isArray(doc.data) ? doc.data[0] : doc.data;
  return isObject(data) && isObject(data.attributes) && typeof data.attributes.signature_count === 'number';
}

function headText(firstBytes: Buffer | string): string {
  if (typeof firstBytes === 'string') return firstBytes.replace(/^\uFEFF/, '');
  let bytes = firstBytes;
  if (isGzip(bytes)) {
    try {
      // Z_SYNC_FLUSH: inflate what is there even if the head was cut in the middle of the stream.
      bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (e) {
      throw new DomainError(
        'unknown_format',
        `The content starts like gzip but does not inflate: ${String(e)}.`,
        {
          seen: 'gzip',
        },
      );
    }
  }
  if (hasUtf8Bom(bytes)) bytes = bytes.subarray(3);
  return bytes.toString('utf8');
}

function preview(s: string): string {
  const p = s.slice(0, 80).replace(/\s+/g, ' ');
  return JSON.stringify(s.length > 80 ? `${p}…` : p);
}

function unknown(message: string, seen: unknown): never {
  throw new DomainError('unknown_format', message, { seen });
}

/** Header fields of a CSV first line (enough for detection: unquotes simple quoted names). */
function csvHeader(line: string): string[] {
  return line.split(',').map((f) =>
    f
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

/**
 * The archive format of some content, from its first bytes.
 * @throws DomainError('unknown_format') with a message naming the keys / header / text seen
 */
export function detectFormat(firstBytes: Buffer | string): ArchiveFormat {
  const text = headText(firstBytes);
  const trimmed = text.trimStart();
  if (trimmed === '') unknown('The file is empty: no archive format can be recognised.', '');

  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // 1. A complete JSON document in the head (small files, or a one-line JSONL file).
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (isUkDocument(doc)) return 'uk-json';
    } catch {
      // not a complete document: JSON Lines, or a cut document
    }
    // 2. JSON Lines: the first line that parses as an object decides.
    const seenKeys: string[][] = [];
    for (const line of trimmed.split('\n').slice(0, 50)) {
      const l = line.trim();
      if (!l.startsWith('{')) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(l);
      } catch {
        continue;
      }
      if (!isObject(obj)) continue;
      if (isUkDocument(obj)) return 'uk-json';
      if (typeof obj.schema === 'string' && obj.schema.startsWith('cheongwon-dump/')) {
        if ((DUMP_SCHEMAS as readonly string[]).includes(obj.schema)) return 'cheongwon-dump';
        unknown(
          `A Cheongwon dump of schema ${JSON.stringify(obj.schema)}, which this version cannot read ` +
            `(it reads ${DUMP_SCHEMAS.join(', ')}).`,
          { schema: obj.schema },
        );
      }
      for (const [format, keys] of JSONL_SIGNATURES) {
        if (keys.every((k) => k in obj)) return format;
      }
      seenKeys.push(Object.keys(obj));
      break;
    }
    // 3. A UK document cut by the head limit.
    if (
      seenKeys.length === 0 &&
      /"data"\s*:/.test(trimmed) &&
      /"attributes"\s*:\s*\{/.test(trimmed) &&
      /"signature_count"\s*:\s*\d/.test(trimmed)
    ) {
      return 'uk-json';
    }
    if (seenKeys.length > 0) {
      unknown(
        `Unrecognised JSON Lines archive: the first record has keys ${JSON.stringify(seenKeys[0])}; expected ` +
          `petition_id+agree (korkeep) or num_agree+petition_idx (lovit).`,
        { jsonKeys: seenKeys[0] },
      );
    }
    unknown(
      `Unrecognised JSON archive: no UK petition document (data.attributes.signature_count) and no JSON Lines ` +
        `record found; the content starts with ${preview(trimmed)}.`,
      { start: trimmed.slice(0, 80) },
    );
  }

  const firstLine = (text.split('\n')[0] ?? '').replace(/\r+$/, '');
  const header = csvHeader(firstLine);
  const names = new Set(header);
  for (const [format, columns] of CSV_SIGNATURES) {
    if (columns.every((c) => names.has(c))) return format;
  }
  // Another crawl of the board: mapped by meaning from its header and the first rows the head holds.
  const records = new CsvTokenizer()
    .push(Buffer.from(text, 'utf8'))
    .filter((r): r is Extract<typeof r, { fields: Buffer[] }> => 'fields' in r)
    .slice(0, 21)
    .map((r) => r.fields.map((f) => f.toString('utf8')));
  const crawlHeader = (records[0] ?? header).map((h) => h.trim());
  const mapped = mapCrawlHeader(crawlHeader, records.slice(1));
  if (!('missing' in mapped)) return 'cwd-crawl-csv';
  return unknown(
    `Unrecognised archive content: the first line ${preview(firstLine)} is neither JSON nor a known CSV header ` +
      `(columns seen: ${JSON.stringify(header.slice(0, 20))}); read as a crawl of the Blue House board it lacks ` +
      `${mapped.missing.join(', ')}.`,
    { csvHeader: header.slice(0, 20), missing: mapped.missing },
  );
}
