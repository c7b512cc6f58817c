/**
 * Synthetic broken files, one per format: each mixes good rows with a missing title, an impossible date
 * (2020-13-45), a count 'abc', invalid UTF-8 (FF FE), HTML entities, a BOM and CRLF line ends, and checks that
 * exactly the bad rows are rejected, with the right line numbers, while the good rows parse completely.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { ukRegionalCounts } from './formats/uk.js';
import { type ParseArchiveOptions, parseArchiveFile } from './parse-file.js';
import type { ArchivedPetitionRecord, ParsedRow, RejectedRow } from './record.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BAD = Buffer.from([0xff, 0xfe]);

/** Bytes from text pieces and raw buffers. */
function bytes(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

/** The text with '@@' replaced by the invalid bytes FF FE. */
function withBad(s: string): Array<string | Buffer> {
  const [before, after] = s.split('@@');
  return [before ?? '', BAD, after ?? ''];
}

/** Lines joined with CRLF (each piece may mix text and raw bytes). */
function crlf(...lines: Array<string | Buffer | Array<string | Buffer>>): Buffer {
  return bytes(...lines.flatMap((l) => [...(Array.isArray(l) ? l : [l]), '\r\n']));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cheongwon-parse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Parsed {
  records: Array<{ line: number; record: ArchivedPetitionRecord }>;
  rejects: RejectedRow[];
}

async function parse(name: string, content: Buffer, opts?: ParseArchiveOptions): Promise<Parsed> {
  const p = join(dir, name);
  await writeFile(p, content);
  const rows: ParsedRow[] = [];
  for await (const r of parseArchiveFile(p, opts)) rows.push(r);
  return {
    records: rows.flatMap((r) => (r.ok ? [{ line: r.line, record: r.record }] : [])),
    rejects: rows.flatMap((r) => (r.ok ? [] : [r.rejected])),
  };
}

function rejectLines(p: Parsed): Array<[number, string]> {
  return p.rejects.map((r) => [r.line, r.reason]);
}

describe('korkeep JSONL (BOM, CRLF)', () => {
  const row = (o: Record<string, unknown>) =>
    JSON.stringify({
      petition_id: 1,
      time: '2020-10-20 07:28:18',
      begin: '2020-01-02',
      end: '2020-02-01',
      category: '인권/성평등',
      title: 't',
      content: 'c',
      keyword: [],
      agree: 5,
      status: '청원종료',
      ...o,
    });

  it('rejects exactly the bad lines and keeps the good ones whole', async () => {
    const content = bytes(
      BOM,
      crlf(
        row({ petition_id: 11, title: 'A &amp; B &quot;C&quot; &#39;D&#39;', content: 'x\u0000y &lt;3' }), // 1
        row({ petition_id: 12, title: undefined }), // 2 missing title
        row({ petition_id: 13, begin: '2020-13-45' }), // 3
        row({ petition_id: 14, agree: 'abc' }), // 4
        withBad(row({ petition_id: 15, title: '@@' })), // 5 invalid UTF-8 inside the title
        '', // 6 blank
        row({ petition_id: 17, status: '브리핑', content: '', agree: 2715626 }), // 7
        row({ petition_id: 18, begin: '2020-02-01', end: '2020-01-01' }), // 8
        '{"petition_id": 19, ', // 9 broken JSON
        row({ petition_id: 20, title: '   ' }), // 10 blank title
        row({ petition_id: 21, agree: -3 }), // 11 negative
        row({ petition_id: 22, agree: 2.5 }), // 12 fractional
        row({ petition_id: 23, end: '2019-02-30' }), // 13 not a calendar date
        row({ petition_id: 11 }), // 14 duplicate id
        '[1,2]', // 15 not an object
      ),
    );
    const p = await parse('k.jsonl', content);
    expect(p.records.map((r) => r.line)).toEqual([1, 7]);
    const first = p.records[0]?.record;
    expect(first).toEqual({
      source: 'cwd',
      sourceId: '11',
      profile: 'cheongwadae',
      title: 'A & B "C" \'D\'',
      body: 'xy <3',
      category: '인권/성평등',
      openedOn: '2020-01-02',
      lastDay: '2020-02-01',
      openedAt: null,
      closedAt: null,
      agreementCount: 5,
      sourceState: '청원종료',
      answered: false,
      response: null,
      sourceUrl: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/11',
    });
    expect(p.records[1]?.record).toMatchObject({
      sourceId: '17',
      answered: true,
      body: null,
      agreementCount: 2715626,
    });
    expect(rejectLines(p)).toEqual([
      [2, 'title (title) is missing'],
      [3, 'begin is not a valid calendar date \'YYYY-MM-DD\': "2020-13-45"'],
      [4, 'agree is not a whole number ≥ 0: "abc"'],
      [5, expect.stringMatching(/^invalid UTF-8: byte 0xFF is not valid UTF-8 \(line 5, byte \d+\)$/)],
      [8, 'end (2020-01-01) is before begin (2020-02-01)'],
      [9, expect.stringMatching(/^invalid JSON: /)],
      [10, 'title (title) is empty'],
      [11, 'agree is not a whole number ≥ 0: -3'],
      [12, 'agree is not a whole number ≥ 0: 2.5'],
      [13, 'end is not a valid calendar date \'YYYY-MM-DD\': "2019-02-30"'],
      [14, 'duplicate id 11: already read at line 1'],
      [15, 'the line is not a JSON object'],
    ]);
    expect(p.rejects.every((r) => r.file.endsWith('k.jsonl'))).toBe(true);
  });
});

describe('lovit JSONL (gzipped under a .csv name)', () => {
  it('parses by content and rejects bad lines', async () => {
    const row = (o: Record<string, unknown>) =>
      JSON.stringify({
        category: '육아/교육',
        begin: '2019-04-01',
        end: '2019-05-01',
        content: '내용 &amp; 더',
        num_agree: 120,
        petition_idx: '560000',
        status: '청원종료',
        title: '제목',
        ...o,
      });
    const content = gzipSync(
      bytes(
        BOM,
        crlf(
          row({}), // 1
          row({ petition_idx: '560001', status: '브리핑', content: '' }), // 2
          row({ petition_idx: '560002', title: '' }), // 3
          row({ petition_idx: '560003', end: '2020-13-45' }), // 4
          row({ petition_idx: '560004', num_agree: 'abc' }), // 5
          [row({ petition_idx: '560005' }).replace('"제목"', '"'), BAD, '"'], // 6
          row({ petition_idx: 'abc' }), // 7
        ),
      ),
    );
    const p = await parse('lovit.csv', content);
    expect(p.records.map((r) => [r.line, r.record.sourceId, r.record.body, r.record.answered])).toEqual([
      [1, '560000', '내용 & 더', false],
      [2, '560001', null, true],
    ]);
    expect(rejectLines(p)).toEqual([
      [3, 'title (title) is empty'],
      [4, 'end is not a valid calendar date \'YYYY-MM-DD\': "2020-13-45"'],
      [5, 'num_agree is not a whole number ≥ 0: "abc"'],
      [6, expect.stringContaining('invalid UTF-8')],
      [7, 'petition_idx is not a board id (digits): "abc"'],
    ]);
  });
});

describe('gyunggyung answers CSV (CR CR LF header, multi-line quoted fields)', () => {
  const header =
    'num,category,start-days,end-days,person,progress,title,count,petition_overview,petition_answer\r\r\n';
  const overview =
    '"원답변\r\n\r\n청원내용\r\n\r\n\r\r\n\t\t\t\t첫 문단 &amp; 끝 \r\n\r\r\n\t\t\t\t둘째 문단 \r\n"';
  const answer = '"\r\n\r\n▲수석 : 답변 &quot;입니다&quot;.\xa0\r\n\xa0\r\n▲수석 : 끝.\r\n"';
  const row = (cells: Partial<Record<string, string | Buffer>>) =>
    bytes(
      cells.num ?? '1785',
      ',인권/성평등,',
      cells.start ?? '2017-09-03',
      ',',
      cells.end ?? '2017-11-02',
      ',naver - ***,브리핑 ,',
      cells.title ?? '청소년 보호법 &amp; 폐지',
      ',',
      cells.count ?? '"참여인원 : [ 296,330명 ]"',
      ',',
      cells.overview ?? overview,
      ',',
      cells.answer ?? answer,
      '\r\n',
    );

  it('parses the good rows completely and rejects the bad ones at their first line', async () => {
    // Rows span several physical lines (multi-line quoted fields); their starting lines are computed below.
    const rows = [
      row({}),
      row({ num: '2', title: '' }),
      row({ num: '3', start: '2020-13-45' }),
      row({ num: '4', count: 'abc' }),
      row({ num: '5', answer: bytes('"답변 ', BAD, '\r\n끝"') }),
      row({
        num: '6',
        answer:
          '"원답변\r\n\r\n청원내용\r\n\r\n\r\r\n\t\t\t\t첫 문단 &amp; 끝 \r\n\r\r\n\t\t\t\t둘째 문단 \r\n"',
      }),
    ];
    const starts: number[] = [];
    let line = 2;
    for (const r of rows) {
      starts.push(line);
      line += r.toString('latin1').split('\n').length - 1;
    }
    const bad = rows[4] as Buffer;
    const badLine =
      (starts[4] ?? 0) + bad.subarray(0, bad.indexOf(BAD)).toString('latin1').split('\n').length - 1;
    const p = await parse('answers.bin', bytes(BOM, header, ...rows));
    expect(p.records.map((r) => r.line)).toEqual([starts[0], starts[5]]);
    const rec = p.records[0]?.record;
    expect(rec).toMatchObject({
      source: 'cwd',
      sourceId: '1785',
      title: '청소년 보호법 & 폐지',
      body: '첫 문단 & 끝\n\n둘째 문단',
      openedOn: '2017-09-03',
      lastDay: '2017-11-02',
      agreementCount: 296330,
      sourceState: '브리핑',
      answered: true,
      response: { body: '▲수석 : 답변 "입니다".\n\n▲수석 : 끝.', summary: null, publishedAt: null },
    });
    expect(JSON.stringify(rec)).not.toContain('naver');
    // The crawl sometimes stored the petition text again as the answer: no response then, still answered.
    expect(p.records[1]?.record).toMatchObject({ sourceId: '6', answered: true, response: null });
    expect(rejectLines(p)).toEqual([
      [starts[1], 'title (title) is empty'],
      [starts[2], 'start-days is not a valid calendar date \'YYYY-MM-DD\': "2020-13-45"'],
      [starts[3], 'count is not a whole number ≥ 0: "abc"'],
      [
        starts[4],
        `invalid UTF-8: byte 0xFF is not valid UTF-8 (column "petition_answer", line ${badLine}, byte 8 of the field)`,
      ],
    ]);
  });
});

describe('choi-jiwoo list CSV (gzip, BOM)', () => {
  it('maps ids, derives the opening day, rejects bad rows', async () => {
    const content = gzipSync(
      bytes(
        BOM,
        crlf(
          'id,category,title,expiryDate,numOfAgrees',
          '441439.0,정치개혁,  대통령 &amp; 국회  ,2020-04-17,1234', // 2
          '441440.0,기타,,2020-04-17,3', // 3
          '441441.0,기타,제목,2020-13-45,3', // 4
          '441442.0,기타,제목,2020-04-17,abc', // 5
          ['441443.0,기타,', BAD, ',2020-04-17,3'], // 6
          '441444.0,기타,"두 줄\r\n\t\t참여인원 : [ 4명 ]",2020-04-17,4', // 7-8
          '441439.0,정치개혁,대통령 & 국회,2020-04-17,1234', // 9 duplicate
          'x1,기타,제목,2020-04-17,3', // 10
          '441445,미래,"따옴표 ""인용""",2021-01-20,0', // 11
          '441446.0,미래,짧은 행', // 12
        ),
      ),
    );
    const p = await parse('list.dat', content);
    expect(
      p.records.map((r) => [r.line, r.record.sourceId, r.record.title, r.record.openedOn, r.record.lastDay]),
    ).toEqual([
      [2, '441439', '대통령 & 국회', '2020-03-18', '2020-04-17'],
      [11, '441445', '따옴표 "인용"', '2020-12-21', '2021-01-20'],
    ]);
    expect(p.records[0]?.record).toMatchObject({
      source: 'cwd-list',
      profile: 'cheongwadae',
      body: null,
      category: '정치개혁',
      agreementCount: 1234,
      sourceState: 'closed',
      answered: false,
      response: null,
      sourceUrl: null,
    });
    expect(rejectLines(p)).toEqual([
      [3, 'title (title) is empty'],
      [4, 'expiryDate is not a valid calendar date \'YYYY-MM-DD\': "2020-13-45"'],
      [5, 'numOfAgrees is not a whole number ≥ 0: "abc"'],
      [6, 'invalid UTF-8: byte 0xFF is not valid UTF-8 (column "title", line 6, byte 1 of the field)'],
      [7, 'title contains line breaks and scraped page text (the real title is unknown)'],
      [9, 'duplicate id 441439: already read at line 2'],
      [10, 'id is missing or not a whole number: "x1"'],
      [12, 'expected 5 fields as in the header, found 3'],
    ]);
  });
});

describe('assembly CSV', () => {
  it('derives stable content keys, disambiguates identical petitions, rejects bad rows', async () => {
    const content = bytes(
      BOM,
      crlf(
        'rowno,category,title,content,count,start,end',
        '1,기타,탄핵 &amp; 청원,"첫 줄\r\n\r\n둘째 줄",1434784,2024-06-20,2024-07-20', // 2-4
        '2,교육,같은 청원,같은 내용,77754,2024-06-07,2024-07-07', // 5
        '3,교육,,내용,100,2024-06-07,2024-07-07', // 6
        '4,교육,제목,내용,100,2020-13-45,2024-07-07', // 7
        '5,교육,제목,내용,abc,2024-06-07,2024-07-07', // 8
        ['6,교육,제목,"내용 ', BAD, '",100,2024-06-07,2024-07-07'], // 9
        '7,교육,제목,내용,100,2024-07-07,2024-06-07', // 10
        '8,교육,같은 청원,같은 내용,4058,2024-06-07,2024-07-07', // 11
      ),
    );
    const p = await parse('na.csv', content);
    const [a, b, c] = p.records;
    expect(a?.line).toBe(2);
    expect(a?.record).toMatchObject({
      source: 'assembly',
      profile: 'assembly',
      title: '탄핵 & 청원',
      body: '첫 줄\n\n둘째 줄',
      category: '기타',
      openedOn: '2024-06-20',
      lastDay: '2024-07-20',
      agreementCount: 1434784,
      sourceState: 'closed',
      sourceUrl: null,
    });
    expect(a?.record.sourceId).toMatch(/^[0-9a-f]{16}$/);
    expect(b?.record.sourceId).toMatch(/^[0-9a-f]{16}$/);
    expect(c?.line).toBe(11);
    expect(c?.record.sourceId).toBe(`${b?.record.sourceId}-2`);
    expect(rejectLines(p)).toEqual([
      [6, 'title (title) is empty'],
      [7, 'start is not a valid calendar date \'YYYY-MM-DD\': "2020-13-45"'],
      [8, 'count is not a whole number ≥ 0: "abc"'],
      [9, 'invalid UTF-8: byte 0xFF is not valid UTF-8 (column "content", line 9, byte 8 of the field)'],
      [10, 'end (2024-06-07) is before start (2024-07-07)'],
    ]);
    // The key depends on content, not on the row number or the line ends: an LF re-export keeps the keys.
    const again = await parse(
      'na-lf.csv',
      Buffer.from(
        'rowno,category,title,content,count,start,end\n99,기타,탄핵 &amp; 청원,"첫 줄\n\n둘째 줄",1,2024-06-20,2024-07-20\n',
      ),
    );
    expect(again.records[0]?.record.sourceId).toBe(a?.record.sourceId);
  });
});

describe('We the People CSV', () => {
  const header = ',id,url,title,content,statement,tags,signs,createdDate,Month,Day,Year,CD,FCD';
  it('maps rows, rejects bad ones, and can recover Windows-1252 text on request', async () => {
    const content = bytes(
      BOM,
      crlf(
        header,
        '66,lwQW9,https://petitions.obamawhitehouse.archives.gov/petition/a,Allow &quot;X&quot;,"Body\r\nline 2",null,"Health Care,Veterans",8261,,September,25.0,2011.0,25-Sep-11,25-Sep-11', // 2-3
        '67,aaaa1,https://x/p,,text,null,null,10,,October,2.0,2012.0,2-Oct-12,02-Oct-12', // 4
        '68,aaaa2,https://x/p,Title,text,null,null,10,2020-13-45,October,2.0,2012.0,2-Oct-12,02-Oct-12', // 5
        '69,aaaa3,https://x/p,Title,text,null,null,abc,,October,2.0,2012.0,2-Oct-12,02-Oct-12', // 6
        [
          '70,aaaa4,https://x/p,Title,"It',
          Buffer.from([0x92]),
          's ',
          BAD,
          '",null,null,10,,May,1.0,2013.0,1-May-13,01-May-13',
        ], // 7
        '71,aaaa5,https://x/p,Title,null,null,Economy & Jobs,5,,,,,,', // 8 no date at all
        [
          '72,aaaa6,https://x/p,Title,"I',
          Buffer.from([0x92]),
          'm ',
          Buffer.from([0x93]),
          'ok',
          Buffer.from([0x94]),
          '",null,null,10,,May,1.0,2013.0,1-May-13,01-May-13',
        ], // 9
        '73,aaaa7,https://x/p,Title,text,null,null,10,2013-05-01,,,,,', // 10
      ),
    );
    const p = await parse('wtp.txt', content);
    expect(p.records.map((r) => r.line)).toEqual([2, 10]);
    expect(p.records[0]?.record).toEqual({
      source: 'wtp',
      sourceId: 'lwQW9',
      profile: 'wtp',
      title: 'Allow "X"',
      body: 'Body\nline 2',
      category: 'Health Care',
      openedOn: '2011-09-25',
      lastDay: '2011-10-25',
      openedAt: null,
      closedAt: null,
      agreementCount: 8261,
      sourceState: 'closed',
      answered: false,
      response: null,
      sourceUrl: 'https://petitions.obamawhitehouse.archives.gov/petition/a',
    });
    expect(p.records[1]?.record).toMatchObject({ openedOn: '2013-05-01', lastDay: '2013-05-31' });
    expect(rejectLines(p)).toEqual([
      [4, 'title (title) is empty'],
      [5, 'createdDate is not a valid date: "2020-13-45"'],
      [6, 'signs is not a whole number ≥ 0: "abc"'],
      [7, 'invalid UTF-8: byte 0x92 is not valid UTF-8 (column "content", line 7, byte 3 of the field)'],
      [8, 'createdDate (date) is missing'],
      [9, 'invalid UTF-8: byte 0x92 is not valid UTF-8 (column "content", line 9, byte 2 of the field)'],
    ]);

    const lenient = await parse('wtp2.txt', content, { invalidUtf8: 'windows-1252' });
    expect(lenient.records.map((r) => [r.line, r.record.body])).toEqual([
      [2, 'Body\nline 2'],
      [7, 'It’s ÿþ'],
      [9, 'I’m “ok”'],
      [10, 'text'],
    ]);
  });
});

describe('UK JSON documents', () => {
  const doc = (attrs: Record<string, unknown>, id: unknown = 700001) => ({
    links: { self: `https://petition.parliament.uk/petitions/${String(id)}.json` },
    data: {
      type: 'petition',
      id,
      attributes: {
        action: 'Fund &amp; protect &quot;libraries&quot;',
        background: 'Background\r\ntext.',
        additional_details: '',
        state: 'closed',
        signature_count: 12345,
        created_at: '2023-12-18T12:50:03.518Z',
        opened_at: '2024-01-22T17:54:53.005Z',
        closed_at: '2024-07-22T23:00:00.000Z',
        creator_name: 'Somebody',
        government_response: {
          responded_on: '2024-03-01',
          summary: 'Summary.',
          details: 'Details\r\n\r\nmore.',
          created_at: '2024-03-01T10:00:00.000Z',
          updated_at: '2024-03-01T10:00:00.000Z',
        },
        signatures_by_country: [{ name: 'United Kingdom', code: 'GB', signature_count: 12000 }],
        signatures_by_constituency: [
          { name: 'Aldershot', ons_code: 'E14000530', mp: null, signature_count: 19 },
        ],
        signatures_by_region: [{ name: 'North East', ons_code: 'A', signature_count: 377 }],
        ...attrs,
      },
    },
  });
  const pretty = (o: unknown) => bytes(BOM, JSON.stringify(o, null, 2).replaceAll('\n', '\r\n'), '\r\n');

  it('maps a closed, answered petition (BOM, CRLF, entities) and never reads the creator', async () => {
    const p = await parse('uk.csv', pretty(doc({})));
    expect(p.rejects).toEqual([]);
    expect(p.records).toEqual([
      {
        line: 1,
        record: {
          source: 'uk',
          sourceId: '700001',
          profile: 'uk',
          title: 'Fund & protect "libraries"',
          body: 'Background\ntext.',
          category: null,
          openedOn: '2024-01-22',
          lastDay: '2024-07-22',
          openedAt: '2024-01-22T17:54:53.005Z',
          closedAt: '2024-07-22T23:00:00.000Z',
          agreementCount: 12345,
          sourceState: 'closed',
          answered: true,
          response: {
            body: 'Details\n\nmore.',
            summary: 'Summary.',
            publishedAt: '2024-03-01T10:00:00.000Z',
          },
          sourceUrl: 'https://petition.parliament.uk/petitions/700001',
          thresholdsReachedAt: { response: null, debate: null },
          debate: { state: 'none', scheduledOn: null },
          areaCounts: [
            { scope: 'country', code: 'GB', name: 'United Kingdom', mp: null, count: 12000 },
            { scope: 'constituency', code: 'E14000530', name: 'Aldershot', mp: null, count: 19 },
            { scope: 'region', code: 'A', name: 'North East', mp: null, count: 377 },
          ],
          details: {
            created_at: '2023-12-18T12:50:03.518Z',
            government_response: {
              responded_on: '2024-03-01',
              created_at: '2024-03-01T10:00:00.000Z',
              updated_at: '2024-03-01T10:00:00.000Z',
            },
          },
        },
      },
    ]);
    expect(JSON.stringify(p.records)).not.toContain('Somebody');
  });

  it('keeps the threshold crossing times and the debate track as the source gives them', async () => {
    const p = await parse(
      'debated.json',
      pretty(
        doc({
          response_threshold_reached_at: '2024-02-01T08:00:00.000Z',
          debate_threshold_reached_at: '2024-03-01T09:30:00+00:00',
          scheduled_debate_date: '2024-04-15',
          debate: { debated_on: '2024-04-15', transcript_url: 'https://hansard.example/t', overview: 'O.' },
        }),
      ),
    );
    expect(p.records[0]?.record).toMatchObject({
      thresholdsReachedAt: { response: '2024-02-01T08:00:00.000Z', debate: '2024-03-01T09:30:00.000Z' },
      debate: { state: 'debated', scheduledOn: '2024-04-15' },
      details: {
        scheduled_debate_date: '2024-04-15',
        debate: { debated_on: '2024-04-15', transcript_url: 'https://hansard.example/t', overview: 'O.' },
      },
    });
    const bad = await parse('bad.json', pretty(doc({ response_threshold_reached_at: 'soon' })));
    expect(bad.rejects).toEqual([
      {
        file: expect.stringMatching(/bad\.json$/),
        line: 1,
        reason: 'response_threshold_reached_at is not a valid ISO-8601 instant: "soon"',
      },
    ]);
  });

  it('an open snapshot keeps its state, has no closedAt, and ends 6 months after opening (London date)', async () => {
    const p = await parse(
      'open.json',
      pretty(
        doc({
          state: 'open',
          opened_at: '2019-08-30T23:30:00.000Z', // 00:30 BST on 31 August
          closed_at: null,
          government_response: null,
          additional_details: 'More.',
        }),
      ),
    );
    expect(p.records[0]?.record).toMatchObject({
      sourceState: 'open',
      openedOn: '2019-08-31',
      lastDay: '2020-02-29',
      closedAt: null,
      answered: false,
      response: null,
      body: 'Background\ntext.\n\nMore.',
    });
  });

  it('a petition closed at 00:01 after dissolution had its last day the day before', async () => {
    const p = await parse('dissolved.json', pretty(doc({ closed_at: '2024-05-29T23:01:00.000Z' })));
    expect(p.records[0]?.record.lastDay).toBe('2024-05-29');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing action', { action: undefined }, 'action (title) is missing'],
    ['empty action', { action: '  ' }, 'action (title) is empty'],
    [
      'impossible date',
      { opened_at: '2020-13-45T10:00:00Z' },
      'opened_at is not a valid ISO-8601 instant: "2020-13-45T10:00:00Z"',
    ],
    ['count abc', { signature_count: 'abc' }, 'signature_count is not a whole number ≥ 0: "abc"'],
    [
      'never opened',
      { opened_at: null, state: 'rejected' },
      'opened_at is missing: the petition never opened (state "rejected")',
    ],
    [
      'closed before opening',
      { closed_at: '2023-01-01T12:00:00Z' },
      'the last day (2023-01-01) is before the first day (2024-01-22)',
    ],
  ])('rejects a document with %s at line 1', async (_name, attrs, reason) => {
    const p = await parse('bad.json', pretty(doc(attrs)));
    expect(p.records).toEqual([]);
    expect(rejectLines(p)).toEqual([[1, reason]]);
  });

  it('rejects invalid UTF-8 at the line of the bad byte, and broken JSON', async () => {
    const text = JSON.stringify(doc({ action: '@@' }), null, 2);
    const at = text.indexOf('@@');
    const line = text.slice(0, at).split('\n').length;
    const p = await parse('bad-utf8.json', bytes(text.slice(0, at), BAD, text.slice(at + 2)));
    expect(rejectLines(p)).toEqual([[line, expect.stringMatching(/^invalid UTF-8: byte 0xFF .*line \d+/)]]);

    const broken = await parse(
      'broken.json',
      Buffer.from('{"data": {"attributes": {"signature_count": 1,\n  }}}'),
    );
    expect(broken.rejects).toHaveLength(1);
    expect(broken.rejects[0]?.reason).toMatch(/^invalid JSON/);
  });

  it('ukRegionalCounts exposes per-country / constituency / region counts', () => {
    const c = ukRegionalCounts(doc({}));
    expect(c).toEqual({
      petitionId: '700001',
      signatureCount: 12345,
      byCountry: [{ name: 'United Kingdom', code: 'GB', signatureCount: 12000 }],
      byConstituency: [{ name: 'Aldershot', onsCode: 'E14000530', mp: null, signatureCount: 19 }],
      byRegion: [{ name: 'North East', onsCode: 'A', signatureCount: 377 }],
    });
    expect(ukRegionalCounts(doc({}).data).petitionId).toBe('700001');
    expect(() => ukRegionalCounts({ data: { id: 1 } })).toThrow(DomainError);
    expect(() =>
      ukRegionalCounts(doc({ signatures_by_country: [{ name: 'X', code: 'X', signature_count: -1 }] })),
    ).toThrow(/signature_count/);
  });
});

describe('file-level failures throw', () => {
  it('unknown content → DomainError unknown_format', async () => {
    const p = join(dir, 'unknown.csv');
    await writeFile(p, 'a,b,c\n1,2,3\n');
    await expect(async () => {
      for await (const _ of parseArchiveFile(p)) {
        // drain
      }
    }).rejects.toMatchObject({ code: 'unknown_format' });
  });

  it('a forced format whose header lacks required columns → unknown_format naming them', async () => {
    const p = join(dir, 'short-header.csv');
    await writeFile(p, 'id,title\n1,x\n');
    await expect(async () => {
      for await (const _ of parseArchiveFile(p, { format: 'cwd-list-csv' })) {
        // drain
      }
    }).rejects.toThrow(/category, expiryDate, numOfAgrees/);
  });
});
