/**
 * A streaming CSV reader that works on BYTES, so that every record keeps its exact starting line and a record with
 * invalid UTF-8 can be rejected on its own (decoding happens per field, after splitting, and UTF-8 never puts an
 * ASCII byte inside a multi-byte character, so splitting bytes on `,` `"` CR LF is safe).
 *
 * Dialect (RFC 4180, lenient like Python's csv module): fields separated by `,`; a field that starts with `"` is
 * quoted and may contain `,`, CR, LF and `""` (a literal quote); bytes after the closing quote up to the next
 * separator are kept literally; records end at LF, CRLF or a lone CR outside quotes (the gyunggyung header ends in
 * CR CR LF, which is a record end followed by an empty record). Empty records (blank lines) are skipped.
 *
 * csv-parse was not used here because its line counter counts CRLF inside quoted fields twice and only reports
 * where a record ends; rejected rows must name the physical line where they START.
 */
import { decodeUtf8, type InvalidUtf8Policy } from './read-lines.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** One CSV record as bytes, or a record that could not be tokenised. `line` is where the record starts. */
export type CsvByteRecord =
  | { line: number; fields: Buffer[]; fieldLines: number[] }
  | { line: number; error: string };

enum S {
  FieldStart = 0,
  Unquoted = 1,
  Quoted = 2,
  QuoteInQuoted = 3,
}

/** Incremental tokenizer: feed chunks, collect finished records. */
export class CsvTokenizer {
  private line = 1;
  private recordLine = 0; // 0: no record in progress
  private state: S = S.FieldStart;
  private fields: Buffer[] = [];
  private fieldLines: number[] = [];
  private fieldLine = 0;
  private parts: Buffer[] = [];
  private skipLf = false;

  push(chunk: Buffer): CsvByteRecord[] {
    const out: CsvByteRecord[] = [];
    const n = chunk.length;
    // Hot loop: state in locals, written back at the end.
    let line = this.line;
    let state = this.state;
    let skipLf = this.skipLf;
    let inRecord = this.recordLine !== 0;
    // A field continuing from the previous chunk continues at offset 0 of this one.
    let segStart = inRecord && (state === S.Unquoted || state === S.Quoted) ? 0 : -1;
    for (let i = 0; i < n; i++) {
      let b = chunk[i] as number;
      if (skipLf) {
        skipLf = false;
        if (b === LF) {
          line++;
          continue;
        }
      }
      if (!inRecord) {
        if (b === LF) {
          line++;
          continue;
        }
        if (b === CR) {
          skipLf = true;
          continue;
        }
        this.recordLine = line;
        inRecord = true;
        state = S.FieldStart;
      }
      if (state === S.Quoted) {
        // Jump to the next quote, counting the line breaks on the way.
        const q = chunk.indexOf(QUOTE, i);
        const stop = q === -1 ? n : q;
        const seg = chunk.subarray(i, stop); // bounded search: never scans past the closing quote
        for (let j = seg.indexOf(LF); j !== -1; j = seg.indexOf(LF, j + 1)) line++;
        if (q === -1) {
          i = n;
          break;
        }
        this.parts.push(chunk.subarray(segStart, q));
        state = S.QuoteInQuoted;
        i = q;
        continue;
      }
      if (state === S.FieldStart) {
        this.fieldLine = line;
        if (b === QUOTE) {
          state = S.Quoted;
          segStart = i + 1;
          continue;
        }
        state = S.Unquoted;
        segStart = i;
      } else if (state === S.QuoteInQuoted) {
        if (b === QUOTE) {
          // "" inside quotes: a literal quote; keep this one, the previous was dropped.
          segStart = i;
          state = S.Quoted;
          continue;
        }
        // The quote closed the field; anything up to the separator is kept literally.
        state = S.Unquoted;
        segStart = i;
      }
      // Unquoted: skip ordinary bytes quickly.
      while (b !== COMMA && b !== LF && b !== CR) {
        if (++i >= n) break;
        b = chunk[i] as number;
      }
      if (i >= n) break;
      this.endField(chunk, segStart, i);
      segStart = -1;
      if (b === COMMA) {
        state = S.FieldStart;
        continue;
      }
      out.push(this.endRecord());
      inRecord = false;
      state = S.FieldStart;
      if (b === LF) line++;
      else skipLf = true;
    }
    if (segStart !== -1 && inRecord && (state === S.Unquoted || state === S.Quoted) && segStart < n) {
      this.parts.push(chunk.subarray(segStart));
    }
    this.line = line;
    this.state = state;
    this.skipLf = skipLf;
    return out;
  }

  /** Call once after the last chunk. */
  end(): CsvByteRecord[] {
    if (this.recordLine === 0) return [];
    if (this.state === S.Quoted) {
      const line = this.recordLine;
      this.reset();
      return [
        {
          line,
          error: 'unterminated quoted field: the opening quote is never closed before the end of the file',
        },
      ];
    }
    this.endField(null, -1, -1);
    return [this.endRecord()];
  }

  private endField(chunk: Buffer | null, segStart: number, end: number): void {
    if (chunk !== null && segStart !== -1 && end > segStart) this.parts.push(chunk.subarray(segStart, end));
    const parts = this.parts;
    this.fields.push(
      parts.length === 0 ? Buffer.alloc(0) : parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts),
    );
    this.fieldLines.push(this.fieldLine || this.recordLine);
    this.parts = [];
  }

  private endRecord(): CsvByteRecord {
    const rec = { line: this.recordLine, fields: this.fields, fieldLines: this.fieldLines };
    this.reset();
    return rec;
  }

  private reset(): void {
    this.recordLine = 0;
    this.state = S.FieldStart;
    this.fields = [];
    this.fieldLines = [];
    this.fieldLine = 0;
    this.parts = [];
  }
}

/** Byte records of a CSV byte stream, in batches (one per input chunk; fewer async steps than one per record). */
export async function* readCsvByteRecordBatches(
  chunks: AsyncIterable<Buffer>,
): AsyncGenerator<CsvByteRecord[]> {
  const tok = new CsvTokenizer();
  for await (const chunk of chunks) {
    const recs = tok.push(chunk);
    if (recs.length > 0) yield recs;
  }
  const last = tok.end();
  if (last.length > 0) yield last;
}

/** Byte records of a CSV byte stream. */
export async function* readCsvByteRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvByteRecord> {
  for await (const batch of readCsvByteRecordBatches(chunks)) yield* batch;
}

/** A decoded CSV data row keyed by header name, or the reason it cannot be used. */
export type CsvRow = { line: number; row: Record<string, string> } | { line: number; error: string };

/** The header (first record), then data rows. */
export type CsvItem = { header: string[] } | CsvRow;

/**
 * Turns byte records into the header + decoded rows. The first record is the header (names trimmed; bytes that
 * are not UTF-8 are read as Latin-1 there, which then simply fails to match a known column). Each later record
 * must have exactly as many fields as the header and be valid UTF-8 (per `policy`); otherwise it comes back as an
 * error with its starting line.
 */
export class CsvRowDecoder {
  private header: string[] | null = null;
  constructor(private readonly policy: InvalidUtf8Policy = 'reject') {}

  decode(rec: CsvByteRecord): CsvItem {
    if ('error' in rec) return { line: rec.line, error: rec.error };
    const header = this.header;
    if (header === null) {
      this.header = rec.fields.map((f) => {
        const d = decodeUtf8(f, this.policy, 'header');
        return (d.ok ? d.text : f.toString('latin1')).trim();
      });
      return { header: this.header };
    }
    if (rec.fields.length !== header.length) {
      return {
        line: rec.line,
        error: `expected ${header.length} fields as in the header, found ${rec.fields.length}`,
      };
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) {
      const name = header[i] as string;
      const d = decodeUtf8(rec.fields[i] as Buffer, this.policy, `column "${name}"`, rec.fieldLines[i]);
      if (!d.ok) return { line: rec.line, error: d.reason };
      row[name] = d.text;
    }
    return { line: rec.line, row };
  }
}

/** Header + decoded rows of a CSV byte stream, in batches. */
export async function* readCsvRowBatches(
  chunks: AsyncIterable<Buffer>,
  policy: InvalidUtf8Policy = 'reject',
): AsyncGenerator<CsvItem[]> {
  const dec = new CsvRowDecoder(policy);
  for await (const batch of readCsvByteRecordBatches(chunks)) yield batch.map((r) => dec.decode(r));
}

/** Header + decoded rows of a CSV byte stream, one at a time. */
export async function* readCsvRows(
  chunks: AsyncIterable<Buffer>,
  policy: InvalidUtf8Policy = 'reject',
): AsyncGenerator<CsvItem> {
  for await (const batch of readCsvRowBatches(chunks, policy)) yield* batch;
}
