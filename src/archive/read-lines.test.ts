import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CsvByteRecord, CsvTokenizer, readCsvRows } from './csv.js';
import {
  decodeUtf8,
  firstInvalidUtf8Offset,
  readContentChunks,
  readContentHead,
  readRawLineBatches,
  splitLines,
} from './read-lines.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cheongwon-read-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of readContentChunks(path)) parts.push(c);
  return Buffer.concat(parts);
}

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('readContentChunks', () => {
  it('gunzips by content whatever the name, and strips a BOM inside the gzip', async () => {
    const text = '\uFEFFid,title\n1,가나다\n';
    const p = join(dir, 'plain-looking.txt');
    await writeFile(p, gzipSync(Buffer.from(text, 'utf8')));
    expect((await collect(p)).toString('utf8')).toBe('id,title\n1,가나다\n');
  });

  it('does not gunzip a file called .gz that is not gzip, and strips its BOM', async () => {
    const p = join(dir, 'fake.csv.gz');
    await writeFile(p, Buffer.from('\uFEFFa,b\n', 'utf8'));
    expect((await collect(p)).toString('utf8')).toBe('a,b\n');
  });

  it('handles files shorter than a BOM, and empty files', async () => {
    const p1 = join(dir, 'tiny');
    await writeFile(p1, 'x');
    expect((await collect(p1)).toString()).toBe('x');
    const p2 = join(dir, 'empty');
    await writeFile(p2, '');
    expect((await collect(p2)).length).toBe(0);
    const p3 = join(dir, 'only-bom');
    await writeFile(p3, Buffer.from([0xef, 0xbb, 0xbf]));
    expect((await collect(p3)).length).toBe(0);
  });

  it('readContentHead stops after maxBytes of decompressed content', async () => {
    const p = join(dir, 'big.gz');
    await writeFile(p, gzipSync(Buffer.alloc(3_000_000, 0x61)));
    const head = await readContentHead(p, 1000);
    expect(head.length).toBe(1000);
  });

  it('a corrupt gzip stream throws', async () => {
    const p = join(dir, 'corrupt');
    const gz = gzipSync(Buffer.from('hello world '.repeat(1000)));
    await writeFile(p, gz.subarray(0, gz.length - 20));
    await expect(collect(p)).rejects.toThrow();
  });
});

describe('lines', () => {
  it('splits on LF, drops CR of CRLF, numbers physical lines, across chunk boundaries', async () => {
    const buf = Buffer.from('a\r\nbb\n\nccc\r\nlast', 'utf8');
    for (const size of [1, 2, 3, 100]) {
      const lines: string[] = [];
      const nums: number[] = [];
      for await (const l of splitLines(chunksOf(buf, size))) {
        lines.push(l.bytes.toString());
        nums.push(l.line);
      }
      expect(lines).toEqual(['a', 'bb', '', 'ccc', 'last']);
      expect(nums).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('reads lines of a gzipped file with BOM', async () => {
    const p = join(dir, 'lines.bin');
    await writeFile(p, gzipSync(Buffer.from('\uFEFF{"a":1}\r\n{"b":2}\r\n', 'utf8')));
    const out: string[] = [];
    for await (const batch of readRawLineBatches(p)) for (const l of batch) out.push(`${l.line}:${l.bytes}`);
    expect(out).toEqual(['1:{"a":1}', '2:{"b":2}']);
  });
});

describe('strict UTF-8', () => {
  it('finds the first invalid byte', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('가나', 'utf8'))).toBe(6);
    expect(firstInvalidUtf8Offset(Buffer.concat([Buffer.from('ab'), Buffer.from([0xff, 0xfe])]))).toBe(2);
    expect(firstInvalidUtf8Offset(Buffer.from([0xe0, 0x80, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xea, 0xb0]))).toBe(1); // truncated
  });

  it('reports the byte, the line and the column instead of producing U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('ok\nx'), Buffer.from([0xff, 0xfe])]);
    const d = decodeUtf8(bytes, 'reject', 'column "title"', 7);
    expect(d).toEqual({
      ok: false,
      reason: 'invalid UTF-8: byte 0xFF is not valid UTF-8 (column "title", line 8, byte 2)',
    });
    expect(decodeUtf8(Buffer.from('가'), 'reject')).toEqual({ ok: true, text: '가' });
  });

  it('optionally decodes Windows-1252 (smart quotes), still refusing its undefined bytes', () => {
    const d = decodeUtf8(Buffer.from([0x49, 0x92, 0x6d, 0x20, 0x93, 0x78, 0x94, 0xe9]), 'windows-1252');
    expect(d).toEqual({ ok: true, text: 'I’m “x”é' });
    expect(decodeUtf8(Buffer.from([0x61, 0x9d]), 'windows-1252').ok).toBe(false);
  });
});

describe('CSV tokenizer', () => {
  const csv = Buffer.from(
    'h1,h2,h3\r\r\n' + // header ending in CR CR LF (gyunggyung)
      'a,"multi\r\nline, with ""quotes""",c\r\n' +
      '\r\n' +
      'd,e,f\n' +
      '"g"x,,\r' + // lone CR ends a record
      'h,"i\n\nj",k', // no final newline
    'utf8',
  );

  function tokenize(buf: Buffer, size: number): CsvByteRecord[] {
    const t = new CsvTokenizer();
    const out: CsvByteRecord[] = [];
    for (let i = 0; i < buf.length; i += size) out.push(...t.push(buf.subarray(i, i + size)));
    out.push(...t.end());
    return out;
  }

  it('splits records and fields with exact starting lines, whatever the chunking', () => {
    const expected = [
      { line: 1, fields: ['h1', 'h2', 'h3'] },
      { line: 2, fields: ['a', 'multi\r\nline, with "quotes"', 'c'] },
      { line: 5, fields: ['d', 'e', 'f'] },
      { line: 6, fields: ['gx', '', ''] },
      { line: 6, fields: ['h', 'i\n\nj', 'k'] },
    ];
    for (const size of [1, 2, 3, 5, 7, 1000]) {
      const got = tokenize(csv, size).map((r) =>
        'error' in r ? r : { line: r.line, fields: r.fields.map((f) => f.toString('utf8')) },
      );
      expect(got, `chunk size ${size}`).toEqual(expected);
    }
  });

  it('reports an unterminated quote at the line where its record starts', () => {
    const recs = tokenize(Buffer.from('a,b\n1,2\n3,"never\nclosed\n'), 4);
    expect(recs.at(-1)).toEqual({
      line: 3,
      error: 'unterminated quoted field: the opening quote is never closed before the end of the file',
    });
  });

  it('decodes rows per field: one record with invalid UTF-8 is an error, the others are rows', async () => {
    const buf = Buffer.concat([
      Buffer.from('id,title\n1,"가\n나"\n2,"x\n'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"\n3,다\n4\n'),
    ]);
    const items = [];
    for await (const it of readCsvRows(chunksOf(buf, 3))) items.push(it);
    expect(items).toEqual([
      { header: ['id', 'title'] },
      { line: 2, row: { id: '1', title: '가\n나' } },
      { line: 4, error: 'invalid UTF-8: byte 0xFF is not valid UTF-8 (column "title", line 5, byte 1)' },
      { line: 6, row: { id: '3', title: '다' } },
      { line: 7, error: 'expected 2 fields as in the header, found 1' },
    ]);
  });
});
