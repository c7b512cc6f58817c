import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crawlDate, crawlPeriod, crawlStatus, mapCrawlHeader } from './formats/cwd-crawl.js';
import { detectFileFormat, parseArchiveFile } from './parse-file.js';
import type { ArchivedPetitionRecord, RejectedRow } from './record.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/crawls/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-crawl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parse(file: string) {
  const records: Array<{ line: number; record: ArchivedPetitionRecord }> = [];
  const rejects: RejectedRow[] = [];
  for await (const row of parseArchiveFile(file, { file: path.basename(file) })) {
    if (row.ok) records.push({ line: row.line, record: row.record });
    else rejects.push(row.rejected);
  }
  return { records, rejects };
}
const fixture = (name: string) => `${FIXTURES}${name}`;

describe('Blue House crawls read by meaning', () => {
  it('reads values in the forms crawls write them', () => {
    expect(crawlDate('2020. 4. 2.')).toBe('2020-04-02');
    expect(crawlDate('2020년 3월 18일')).toBe('2020-03-18');
    expect(crawlDate('2020-03-18 12:30:00')).toBe('2020-03-18');
    expect(crawlDate('2020-02-30')).toBeNull();
    expect(crawlPeriod('2020.03.18 ~ 2020.04.17')).toEqual({ start: '2020-03-18', end: '2020-04-17' });
    expect(crawlStatus('청원 진행중')).toEqual({ sourceState: '청원진행중', answered: false });
    expect(crawlStatus('브리핑 ')).toEqual({ sourceState: '브리핑', answered: true });
    expect(crawlStatus('삭제')).toBeNull();
  });

  it('Korean header names, open-at-crawl rows (not final), counts in every written form, multi-line cells, no answer column', async () => {
    const file = fixture('korean-header.csv');
    expect(await detectFileFormat(file)).toBe('cwd-crawl-csv');
    const p = await parse(file);
    expect(p.rejects).toEqual([]);
    expect(p.records.map((r) => r.line)).toEqual([2, 3, 6]);
    expect(p.records[0]?.record).toMatchObject({
      source: 'cwd',
      sourceId: '586819',
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      category: '안전/환경',
      openedOn: '2020-03-18',
      lastDay: '2020-04-17',
      agreementCount: 2715626,
      sourceState: '브리핑',
      answered: true,
      body: null,
      response: null,
      sourceUrl: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819',
    });
    expect(p.records[1]?.record).toMatchObject({
      sourceId: '591000',
      openedOn: '2020-04-01',
      agreementCount: 1234,
      sourceState: '청원진행중', // counted while open: not a final count (record.ts isFinalCount)
      answered: false,
      body: '첫 줄입니다.\n\n둘째 문단입니다.',
    });
    expect(p.records[2]?.record).toMatchObject({
      sourceId: '592000',
      title: '쉼표, 그리고 "따옴표"가 있는 제목',
      openedOn: '2020-04-02',
      agreementCount: 12345,
      sourceState: '청원종료',
    });
  });

  it('English header names, a period column, the number read from the petition link; the author never read', async () => {
    const p = await parse(fixture('english-period.csv'));
    expect(p.rejects).toEqual([]);
    expect(
      p.records.map((r) => [r.record.sourceId, r.record.openedOn, r.record.lastDay, r.record.agreementCount]),
    ).toEqual([
      ['1', '2018-09-03', '2018-10-03', 12000],
      ['2', '2019-01-01', '2019-01-31', 300001],
    ]);
    expect(JSON.stringify(p.records)).not.toMatch(/naver|kakao/);
  });

  it('reports an unmappable column once at the header line and each unreadable row at its own line', async () => {
    const p = await parse(fixture('unmappable.csv'));
    expect(p.records.map((r) => [r.line, r.record.sourceId, r.record.title])).toEqual([
      [2, '700001', '메모가 있는 청원'],
      [3, '700002', '여러 줄\n제목'],
    ]);
    expect(p.rejects).toEqual([
      {
        file: 'unmappable.csv',
        line: 1,
        reason:
          'column 6 "memo" is not mapped: its name and content match no petition field; its values were not imported',
      },
      { file: 'unmappable.csv', line: 5, reason: 'column "agree" is not an agreement count: "많음"' },
      { file: 'unmappable.csv', line: 6, reason: 'column "begin" is not a date: "2021-02-30"' },
    ]);
  });

  it('maps columns whose names say nothing by their content (dates, counts, status)', async () => {
    const p = await parse(fixture('unnamed-columns.csv'));
    expect(p.rejects).toEqual([]);
    expect(p.records.map((r) => r.record)).toMatchObject([
      {
        sourceId: '800001',
        openedOn: '2019-05-01',
        lastDay: '2019-05-31',
        agreementCount: 1000,
        sourceState: '청원진행중',
      },
      { sourceId: '800002', agreementCount: 2000, sourceState: '청원종료' },
    ]);
  });

  it('the answers layout without its answer column, with a petition open at crawl time', async () => {
    const p = await parse(fixture('answers-layout-no-answer.csv'));
    expect(p.rejects).toEqual([]);
    expect(p.records[0]?.record).toMatchObject({
      sourceId: '900001',
      agreementCount: 5000,
      sourceState: '청원진행중',
      answered: false,
      body: '본문 첫 줄\n\n본문 둘째 문단',
    });
    expect(JSON.stringify(p.records)).not.toContain('naver');
  });

  it('the answers layout with rows still open or closed unanswered: accepted as what they are', async () => {
    const file = path.join(dir, 'answers-mixed.csv');
    writeFileSync(
      file,
      'num,category,start-days,end-days,person,progress,title,count,petition_overview,petition_answer\n' +
        '1,기타,2018-01-01,2018-01-31,x,청원진행중,열린 청원,"참여인원 : [ 10명 ]",본문,\n' +
        '2,기타,2018-01-01,2018-01-31,x,청원종료,닫힌 청원,20,본문,\n' +
        '3,기타,2018-01-01,2018-01-31,x,삭제됨,지워진 청원,30,본문,\n',
    );
    expect(await detectFileFormat(file)).toBe('cwd-answers-csv');
    const p = await parse(file);
    expect(p.records.map((r) => [r.record.sourceId, r.record.sourceState, r.record.answered])).toEqual([
      ['1', '청원진행중', false],
      ['2', '청원종료', false],
    ]);
    expect(p.rejects).toEqual([
      {
        file: 'answers-mixed.csv',
        line: 4,
        reason: 'progress is "삭제됨", not a status the board used (청원진행중, 청원종료, 브리핑)',
      },
    ]);
  });

  it('a file that is no crawl of the board is still refused, saying what it lacks', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'name,age\nkim,3\n');
    await expect(detectFileFormat(file)).rejects.toThrow(
      /lacks number \(or a \/petitions\/<id> url\), agreement count/,
    );
    expect(mapCrawlHeader(['제목', '참여인원'], [])).toEqual({
      missing: ['number (or a /petitions/<id> url)', 'a date (first day, last day or period)'],
    });
  });
});
