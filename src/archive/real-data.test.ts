/**
 * Every real archive file in /work/shared/data (../../../shared/data from here; CI clones the repo next to
 * shared/ too) parses with its expected record and rejection counts. Skipped, with the reason in the suite name,
 * when the folder is not there.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ukRegionalCounts } from './formats/uk.js';
import { type ParseArchiveOptions, parseArchiveFile } from './parse-file.js';
import type { ArchivedPetitionRecord, RejectedRow } from './record.js';
import { isCalendarDate } from './text.js';

const DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const HAVE_DATA = existsSync(DATA_DIR);
const SUITE = `real archive files${HAVE_DATA ? '' : ` (skipped: ${DATA_DIR} not found)`}`;

interface Parsed {
  records: ArchivedPetitionRecord[];
  lines: number[];
  rejects: RejectedRow[];
  ms: number;
}

async function parse(rel: string, opts?: ParseArchiveOptions): Promise<Parsed> {
  const out: Parsed = { records: [], lines: [], rejects: [], ms: 0 };
  const t0 = performance.now();
  for await (const r of parseArchiveFile(join(DATA_DIR, rel), opts)) {
    if (r.ok) {
      out.records.push(r.record);
      out.lines.push(r.line);
    } else {
      out.rejects.push(r.rejected);
    }
  }
  out.ms = performance.now() - t0;
  return out;
}

function byId(p: Parsed, id: string): ArchivedPetitionRecord {
  const r = p.records.find((x) => x.sourceId === id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/** The contract every emitted record must meet (checked in plain code: one expect per file, not per field). */
function expectWellFormed(p: Parsed): void {
  const ids = new Set<string>();
  const problems: string[] = [];
  for (const r of p.records) {
    const bad = (what: string) => problems.push(`${r.sourceId}: ${what}`);
    if (r.title.trim() === '' || r.title !== r.title.trim()) bad('title');
    if (!isCalendarDate(r.openedOn) || !isCalendarDate(r.lastDay) || r.lastDay < r.openedOn) bad('dates');
    if (!Number.isSafeInteger(r.agreementCount) || r.agreementCount < 0) bad('count');
    if (r.body !== null && r.body.trim() === '') bad('empty body');
    if (JSON.stringify(r).includes('\\u0000')) bad('NUL');
    if (ids.has(r.sourceId)) bad('duplicate id');
    ids.add(r.sourceId);
  }
  expect(problems.slice(0, 10)).toEqual([]);
}

describe.skipIf(!HAVE_DATA)(SUITE, () => {
  it('korkeep 2020: 8,859 records, no rejects, fast', async () => {
    const p = await parse('cwd/cwd_2020_korkeep.jsonl');
    expect(p.rejects).toEqual([]);
    expect(p.records).toHaveLength(8859);
    expectWellFormed(p);
    expect(countBy(p.records, (r) => r.sourceState)).toEqual({ 청원종료: 8543, 청원진행중: 263, 브리핑: 53 });
    expect(p.records.filter((r) => r.answered)).toHaveLength(53);
    expect(p.records.filter((r) => r.body === null)).toHaveLength(48);
    expect(byId(p, '586819')).toEqual({
      source: 'cwd',
      sourceId: '586819',
      profile: 'cheongwadae',
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      body: null,
      category: '안전/환경',
      openedOn: '2020-03-18',
      lastDay: '2020-04-17',
      openedAt: null,
      closedAt: null,
      agreementCount: 2715626,
      sourceState: '브리핑',
      answered: true,
      response: null,
      sourceUrl: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819',
    });
    console.info(`korkeep: ${p.records.length} records in ${Math.round(p.ms)} ms`);
  });

  it.each([
    ['cwd/cwd_lovit_petitions_2017-08.jsonl', 662, 0],
    ['cwd/cwd_lovit_petitions_2019-04.jsonl', 494, 10],
    ['cwd/cwd_lovit_petitions_2019-05.jsonl', 714, 4],
    ['cwd/cwd_lovit_petitions_2019-06.jsonl', 572, 3],
  ])('lovit %s: %d records, %d answered without text', async (file, n, briefed) => {
    const p = await parse(file);
    expect(p.rejects).toEqual([]);
    expect(p.records).toHaveLength(n);
    expectWellFormed(p);
    const answered = p.records.filter((r) => r.answered);
    expect(answered).toHaveLength(briefed);
    expect(answered.every((r) => r.body === null && r.sourceState === '브리핑' && r.response === null)).toBe(
      true,
    );
    expect(p.records.every((r) => r.source === 'cwd' && /^\d+$/.test(r.sourceId))).toBe(true);
  });

  it('gyunggyung answers: 68 records with cleaned bodies and answers', async () => {
    const p = await parse('cwd/cwd_answered_briefing_gyunggyung.csv');
    expect(p.rejects).toEqual([]);
    expect(p.records).toHaveLength(68);
    expectWellFormed(p);
    const r = byId(p, '1785');
    expect(r.agreementCount).toBe(296330);
    expect(r.response?.body.length).toBeGreaterThan(1000);
    expect(r.response?.body.startsWith('윤영찬 수석 : 안녕하세요.')).toBe(true);
    expect(r.body?.startsWith('안녕하십니까. 청소년보호법이란')).toBe(true);
    expect(p.records.every((x) => x.answered && x.sourceState === '브리핑')).toBe(true);
    for (const x of p.records) {
      for (const text of [x.body ?? '', x.response?.body ?? '']) {
        expect(text).not.toMatch(/^(원답변|청원내용|청원 A\/S)/);
        expect(text).not.toMatch(/\t|\r|\n{3}|&mid;/);
      }
      expect(JSON.stringify(x)).not.toContain('naver - ***');
    }
    // In these three rows the crawler stored the petition text again instead of the answer.
    expect(
      p.records
        .filter((x) => x.response === null)
        .map((x) => x.sourceId)
        .sort(),
    ).toEqual(['412722', '418376', '436901']);
  });

  it('choi-jiwoo list: 85,842 records; 14 rejects (8 empty titles, 3 scraped-page titles, 3 duplicate ids)', async () => {
    const p = await parse('cwd/cwd_2019-2021_list_choi-jiwoo.csv.gz');
    expect(p.records).toHaveLength(85842);
    expectWellFormed(p);
    expect(p.records.length + p.rejects.length).toBe(85856);
    expect(countBy(p.rejects, (r) => r.reason.replace(/\d+/g, 'N'))).toEqual({
      'title (title) is empty': 8,
      'title contains line breaks and scraped page text (the real title is unknown)': 3,
      'duplicate id N: already read at line N': 3,
    });
    expect(p.rejects.filter((r) => r.reason.startsWith('duplicate')).map((r) => [r.line, r.reason])).toEqual([
      [10665, 'duplicate id 447489: already read at line 1965'],
      [10666, 'duplicate id 446921: already read at line 2526'],
      [10674, 'duplicate id 448063: already read at line 1391'],
    ]);
    expect(p.rejects.find((r) => r.reason === 'title (title) is empty')?.line).toBe(19871);
    const r = byId(p, '449459');
    expect(r).toMatchObject({
      source: 'cwd-list',
      title: '불법건축물 양성화 특별법 발의 청원',
      openedOn: '2020-12-21',
      lastDay: '2021-01-20',
      agreementCount: 319,
      body: null,
    });
  });

  it('assembly: 1,400 records with unique content keys', async () => {
    const p = await parse('assembly/na_petitions-assembly-dataset_jeongkyu.csv');
    expect(p.rejects).toEqual([]);
    expect(p.records).toHaveLength(1400);
    expectWellFormed(p);
    expect(p.records.filter((r) => r.sourceId.endsWith('-2'))).toHaveLength(3);
    expect(p.records[0]).toMatchObject({
      title: '윤석열 대통령 탄핵소추안 즉각 발의 요청에 관한 청원',
      agreementCount: 1434784,
      openedOn: '2024-06-20',
      lastDay: '2024-07-20',
      category: '기타',
    });
    expect(p.records.filter((r) => r.agreementCount === 100000)).toHaveLength(30);
  });

  it('UK: one record per document; open snapshot, dissolution closing, regional counts', async () => {
    const revoke = await parse('uk/uk_241584_revoke_article_50_snapshot_2019-03-24.json');
    expect(revoke.rejects).toEqual([]);
    expect(revoke.records).toEqual([
      expect.objectContaining({
        source: 'uk',
        sourceId: '241584',
        title: 'Revoke Article 50 and remain in the EU.',
        sourceState: 'open',
        openedAt: '2019-02-20T10:25:02.393Z',
        closedAt: null,
        openedOn: '2019-02-20',
        lastDay: '2019-08-20',
        agreementCount: 5156603,
        answered: false,
        response: null,
      }),
    ]);
    for (const [file, id] of [
      ['uk/uk_653440.json', '653440'],
      ['uk/uk_653561.json', '653561'],
    ] as const) {
      const p = await parse(file);
      expect(p.rejects).toEqual([]);
      expect(p.records).toHaveLength(1);
      expect(p.records[0]).toMatchObject({
        sourceId: id,
        sourceState: 'closed',
        closedAt: '2024-05-29T23:01:00.000Z',
        lastDay: '2024-05-29',
        answered: true,
      });
      expect(p.records[0]?.response?.summary).toBeTruthy();
      expect(p.records[0]?.response?.body.length).toBeGreaterThan(500);
    }
    const counts = ukRegionalCounts(
      JSON.parse(
        await readFile(join(DATA_DIR, 'uk/uk_241584_revoke_article_50_snapshot_2019-03-24.json'), 'utf8'),
      ),
    );
    expect(counts.petitionId).toBe('241584');
    expect(counts.byConstituency).toHaveLength(650);
    expect(counts.byCountry).toHaveLength(232);
    expect(counts.byRegion).toEqual([]);
    const inConstituencies = counts.byConstituency.reduce((s, c) => s + c.signatureCount, 0);
    expect(inConstituencies).toBeLessThanOrEqual(counts.signatureCount);
  });

  it('We the People: 843 records; the 180 rows with Windows-1252 bytes are rejected (1,022 with the fallback)', async () => {
    const strict = await parse('us/us_wtp_dataset_1K.csv');
    expect(strict.records).toHaveLength(843);
    expect(strict.rejects).toHaveLength(180);
    expect(strict.rejects.every((r) => r.reason.startsWith('invalid UTF-8'))).toBe(true);
    expectWellFormed(strict);
    expect(byId(strict, 'lwQW9')).toMatchObject({
      openedOn: '2011-09-25',
      lastDay: '2011-10-25',
      agreementCount: 8261,
      category: 'Health Care',
    });

    const lenient = await parse('us/us_wtp_dataset_1K.csv', { invalidUtf8: 'windows-1252' });
    expect(lenient.records).toHaveLength(1022);
    expect(lenient.rejects.map((r) => r.line)).toEqual([1353]);
    expect(lenient.rejects[0]?.reason).toContain('0x9D');
    expectWellFormed(lenient);
    expect(lenient.records.some((r) => r.body?.includes('’'))).toBe(true);
  });
});
