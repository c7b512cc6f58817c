/**
 * Byte-level reading of archive files: open a path as a stream of bytes (gunzipped when the CONTENT starts with the
 * gzip magic bytes 1f 8b, whatever the file is called), drop a leading UTF-8 BOM, split into LF-terminated lines,
 * and decode UTF-8 strictly.
 *
 * Line numbers everywhere in the archive code are 1-based PHYSICAL lines counted by LF bytes, the same numbers
 * `sed -n Np`, `grep -n` and editors show: CRLF counts once, a lone CR is not a line break, and the BOM does not
 * shift anything. Line numbers refer to the decompressed content of a gzipped file (`zcat f | sed -n Np`).
 *
 * Decoding is strict: bytes that are not valid UTF-8 never become U+FFFD silently. Callers get a failure with the
 * offending byte and its column and reject that row; the rest of the file still imports.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const LF = 0x0a;
const CR = 0x0d;

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when `bytes` starts with the UTF-8 byte order mark EF BB BF. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * The decompressed bytes of a file as a stream (gunzip when the content starts with 1f 8b), BOM not yet removed.
 * Errors of the file or of gunzip (truncated/corrupt gzip) surface on the returned stream.
 */
async function openRawStream(path: string): Promise<Readable> {
  const gz = await startsWithGzipMagic(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gz) return file;
  // pipeline propagates errors and destroys both streams if the consumer stops early.
  return pipeline(file, createGunzip(), () => {});
}

/**
 * Async iterable of the file's content bytes: gunzipped when the content is gzip, without a leading UTF-8 BOM.
 * Chunks are fresh Buffers; callers may keep slices of them.
 */
export async function* readContentChunks(path: string): AsyncGenerator<Buffer> {
  const stream = await openRawStream(path);
  let pending: Buffer | null = Buffer.alloc(0); // until the first 3 bytes have been seen (BOM check)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (pending === null) {
      yield chunk;
      continue;
    }
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (pending.length < 3) continue;
    const first: Buffer = hasUtf8Bom(pending) ? pending.subarray(3) : pending;
    pending = null;
    if (first.length > 0) yield first;
  }
  // A file shorter than 3 bytes: the BOM check never completed.
  if (pending !== null && pending.length > 0) yield pending;
}

/**
 * The first `maxBytes` bytes of the decompressed content (BOM removed), for format detection. Stops reading (and
 * decompressing) as soon as enough bytes are there.
 */
export async function readContentHead(path: string, maxBytes = 64 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of readContentChunks(path)) {
    parts.push(chunk);
    total += chunk.length;
    if (total >= maxBytes) break; // leaving the loop destroys the stream
  }
  const all = Buffer.concat(parts);
  return all.length > maxBytes ? all.subarray(0, maxBytes) : all;
}

/** One physical line: its bytes without the LF and without a trailing CR, and its 1-based number. */
export interface RawLine {
  line: number;
  bytes: Buffer;
}

/**
 * Splits a byte stream into LF-terminated lines (a trailing CR is removed, so CRLF files work), in batches (one per
 * input chunk, to keep the number of async steps low). A last line without LF is included; an empty last "line"
 * after the final LF is not.
 */
export async function* splitLineBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawLine[]> {
  let line = 1;
  let carry: Buffer[] = []; // bytes of the current line from earlier chunks
  for await (const chunk of chunks) {
    const batch: RawLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      let bytes = chunk.subarray(start, nl);
      if (carry.length > 0) {
        carry.push(bytes);
        bytes = Buffer.concat(carry);
        carry = [];
      }
      batch.push({ line, bytes: stripCr(bytes) });
      line++;
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0) {
    const bytes = carry.length === 1 ? (carry[0] as Buffer) : Buffer.concat(carry);
    if (bytes.length > 0) yield [{ line, bytes: stripCr(bytes) }];
  }
}

/** Lines of a byte stream, one at a time (see splitLineBatches). */
export async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  for await (const batch of splitLineBatches(chunks)) yield* batch;
}

function stripCr(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/** Lines of a file (gunzip + BOM handled), undecoded, in batches. */
export function readRawLineBatches(path: string): AsyncGenerator<RawLine[]> {
  return splitLineBatches(readContentChunks(path));
}

// ---------------------------------------------------------------------------------------------------------------
// Strict decoding

/**
 * What to do with bytes that are not valid UTF-8:
 *  - 'reject' (default): the row is rejected with a reason naming the byte and where it is;
 *  - 'windows-1252': decode that row (CSV: that field) as Windows-1252 instead, the usual encoding of such bytes in
 *    US exports (0x92 = ’, 0x93/0x94 = “ ”). Bytes undefined in Windows-1252 (81 8D 8F 90 9D) still reject.
 *    Only sensible for the English-language We the People file; Korean legacy files would be CP949, not this.
 */
export type InvalidUtf8Policy = 'reject' | 'windows-1252';

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Decodes UTF-8 strictly (equivalent to `new TextDecoder('utf-8', { fatal: true })`, using the native validator).
 * @param where a phrase for the reason, e.g. 'column "title"'
 * @param firstLine the physical line the bytes start on, to name the line of the bad byte
 */
export function decodeUtf8(
  bytes: Buffer,
  policy: InvalidUtf8Policy = 'reject',
  where?: string,
  firstLine?: number,
): DecodeResult {
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  if (policy === 'windows-1252') {
    const text = decodeWindows1252(bytes);
    if (text !== null) return { ok: true, text };
  }
  const at = firstInvalidUtf8Offset(bytes);
  const byte = bytes[at] ?? 0;
  let line = firstLine;
  let lineStart = 0;
  if (firstLine !== undefined) {
    for (let i = 0; i < at; i++) {
      if (bytes[i] === LF) {
        line = (line as number) + 1;
        lineStart = i + 1;
      }
    }
  }
  const hex = byte.toString(16).toUpperCase().padStart(2, '0');
  // Within a field that started mid-line, the byte offset counts from the field's start until its first LF.
  const ofField = where !== undefined && lineStart === 0 ? ' of the field' : '';
  const place = [
    where ?? null,
    line !== undefined ? `line ${line}` : null,
    `byte ${at - lineStart + 1}${ofField}`,
  ]
    .filter((p) => p !== null)
    .join(', ');
  return { ok: false, reason: `invalid UTF-8: byte 0x${hex} is not valid UTF-8 (${place})` };
}

/** Offset of the first byte that breaks UTF-8 validity (length if the whole buffer is valid). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}

/** Windows-1252 code points for bytes 0x80–0x9F; 0 marks bytes the encoding leaves undefined. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/** Windows-1252 decoding (Node's TextDecoder treats that label as Latin-1); null if an undefined byte occurs. */
function decodeWindows1252(bytes: Buffer): string | null {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80 && b <= 0x9f) {
      const cp = CP1252_HIGH[b - 0x80] as number;
      if (cp === 0) return null;
      out += bytes.toString('latin1', runStart, i) + String.fromCharCode(cp);
      runStart = i + 1;
    }
  }
  return out + bytes.toString('latin1', runStart);
}
