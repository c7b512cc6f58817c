import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchiveFile } from '../src/commands/import-archive.js';
import type { DatabaseHandle } from '../src/db/connection.js';
import { findArchivedPetition, listPetitions, responsesForPetition } from '../src/repositories/petitions.js';
import { deferSearchIndexes } from '../src/repositories/writes/archive.js';
import { freshDatabase, TEST_ENGINE } from './support/databases.js';
import { contentDigest } from './support/digest.js';
import { HAS_SHARED_DATA, shared } from './support/shared-data.js';

const now = new Date('2026-11-29T06:00:00Z');
const tempDirs: string[] = [];
/** A temporary directory removed after the file's tests. */
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const count = async (h: DatabaseHandle, table: 'petitions' | 'official_responses') =>
  Number(
    (
      await h.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Names of the GIN (search) indexes of petitions. */
const ginIndexes = async (h: DatabaseHandle) =>
  (
    await sql<{ name: string }>`select indexname as name from pg_indexes
      where tablename = 'petitions' and indexdef like '% USING gin %' order by indexname`.execute(h.db)
  ).rows.map((r) => r.name);

describe.skipIf(!HAS_SHARED_DATA)(`importing the real archives (${TEST_ENGINE})`, () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await freshDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('imports the 2020 Blue House file: 8,859 petitions, Room-N petition 586819 answered with 2,715,626', async () => {
    const summary = await importArchiveFile(h.db, shared('cwd/cwd_2020_korkeep.jsonl'), { now });
    expect(summary).toMatchObject({ format: 'cwd-korkeep-jsonl', inserted: 8859, merged: 0, unchanged: 0 });
    // loaded in bulk, and the search indexes are complete again when the import returns
    expect(summary.bulk).toBe(true);
    expect(await ginIndexes(h)).toEqual([
      'petitions_search_grams',
      'petitions_search_title_grams',
      'petitions_title_trgm',
    ]);
    expect(await h.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
    expect(summary.skipped).toEqual([]);
    expect(await count(h, 'petitions')).toBe(8859);

    const roomN = await findArchivedPetition(h.db, 'cwd', '586819');
    expect(roomN).toMatchObject({
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      state: 'closed',
      response_state: 'answered',
      archived_agreement_count: 2715626,
      public_count: 2715626,
      agreement_count: 0,
      category: 'safety-environment',
      archive_source_state: '브리핑',
      archive_source_url: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819',
    });
    // 2020-03-18 ~ 2020-04-17 in Seoul: opens at the start of the first day, closes at the end of the last.
    expect(roomN?.opened_at?.toISOString()).toBe('2020-03-17T15:00:00.000Z');
    expect(roomN?.closes_at?.toISOString()).toBe('2020-04-17T15:00:00.000Z');
    expect(roomN?.closed_at?.toISOString()).toBe('2020-04-17T15:00:00.000Z');
  });

  it('finds the Room-N petitions by n번방, N번방, 텔레그램 and by a title fragment', async () => {
    for (const text of ['n번방', 'N번방', '텔레그램', '포토라인 세워주세요']) {
      const page = await listPetitions(h.db, {
        states: ['closed'],
        text,
        sort: 'relevance',
        page: 1,
        perPage: 100,
      });
      expect(
        page.rows.map((r) => r.archive_source_id),
        text,
      ).toContain('586819');
      if (text !== '포토라인 세워주세요') expect(page.total, text).toBeGreaterThan(50);
    }
    const upper = await listPetitions(h.db, {
      states: ['closed'],
      text: 'N번방',
      sort: 'agreements',
      page: 1,
      perPage: 5,
    });
    const lower = await listPetitions(h.db, {
      states: ['closed'],
      text: 'n번방',
      sort: 'agreements',
      page: 1,
      perPage: 5,
    });
    expect(upper.total).toBe(lower.total);
    expect(upper.rows[0]?.archive_source_id).toBe('586819');
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await importArchiveFile(h.db, shared('cwd/cwd_2020_korkeep.jsonl'), { now });
    // nothing new in its first batch: no bulk load, the indexes are never dropped
    expect(again).toMatchObject({ inserted: 0, unchanged: 8859, bulk: false });
    const before = await contentDigest(h.db);
    const summary = await importArchiveFile(h.db, shared('cwd/cwd_2020_korkeep.jsonl'), { now: new Date() });
    expect(summary).toMatchObject({ inserted: 0, merged: 0, unchanged: 8859 });
    expect(await contentDigest(h.db)).toBe(before);
  });

  it('reports what a dry run would change and stores nothing', async () => {
    const before = await contentDigest(h.db);
    const summary = await importArchiveFile(h.db, shared('cwd/cwd_lovit_petitions_2019-04.jsonl'), {
      now,
      dryRun: true,
    });
    expect(summary).toMatchObject({ dryRun: true, inserted: 494, merged: 0, unchanged: 0 });
    expect(await contentDigest(h.db)).toBe(before);
  });

  it('imports the answered petitions with their official answer text', async () => {
    const summary = await importArchiveFile(h.db, shared('cwd/cwd_answered_briefing_gyunggyung.csv'), {
      now,
    });
    expect(summary).toMatchObject({ format: 'cwd-answers-csv', inserted: 68 });
    const petition = await findArchivedPetition(h.db, 'cwd', '1785');
    expect(petition).toMatchObject({
      archived_agreement_count: 296330,
      response_state: 'answered',
      state: 'closed',
    });
    const responses = await responsesForPetition(h.db, petition?.id as string);
    expect(responses).toHaveLength(1);
    expect(responses[0]?.body.length).toBeGreaterThan(500);
    // Three rows of that file repeat the petition text where the answer should be: answered, but no answer text.
    expect(await count(h, 'official_responses')).toBe(65);
  });

  it.each([
    ['cwd/cwd_lovit_petitions_2017-08.jsonl', 'cwd-lovit-jsonl', 662],
    ['cwd/cwd_lovit_petitions_2019-04.jsonl', 'cwd-lovit-jsonl', 494],
    ['cwd/cwd_lovit_petitions_2019-05.jsonl', 'cwd-lovit-jsonl', 714],
    ['cwd/cwd_lovit_petitions_2019-06.jsonl', 'cwd-lovit-jsonl', 572],
    ['assembly/na_petitions-assembly-dataset_jeongkyu.csv', 'assembly-csv', 1400],
    ['uk/uk_241584_revoke_article_50_snapshot_2019-03-24.json', 'uk-json', 1],
    ['uk/uk_653440.json', 'uk-json', 1],
    ['uk/uk_653561.json', 'uk-json', 1],
  ])('imports %s', async (file, format, inserted) => {
    const summary = await importArchiveFile(h.db, shared(file), { now });
    expect(summary).toMatchObject({ format, inserted, merged: 0, unchanged: 0, skipped: [] });
    const again = await importArchiveFile(h.db, shared(file), { now });
    expect(again).toMatchObject({ inserted: 0, merged: 0, unchanged: inserted });
  });

  it('imports We the People, reading its Windows-1252 rows when asked, and reports the row it cannot read', async () => {
    const strict = await importArchiveFile(h.db, shared('us/us_wtp_dataset_1K.csv'), { now, dryRun: true });
    expect(strict.inserted).toBe(843);
    expect(strict.skipped).toHaveLength(180);
    expect(strict.skipped[0]?.reason).toMatch(/UTF-8/);
    const lenient = await importArchiveFile(h.db, shared('us/us_wtp_dataset_1K.csv'), {
      now,
      invalidUtf8: 'windows-1252',
    });
    expect(lenient.inserted).toBe(1022);
    expect(lenient.skipped.map((s) => s.line)).toEqual([1353]);
  });

  it('imports the CWD list crawl, skipping the petitions already imported under their board ids', async () => {
    const summary = await importArchiveFile(h.db, shared('cwd/cwd_2019-2021_list_choi-jiwoo.csv.gz'), {
      now,
    });
    expect(summary.format).toBe('cwd-list-csv');
    const sameAsBoard = summary.skipped.filter((s) => /^already stored as cwd\//.test(s.reason));
    expect(sameAsBoard.length).toBeGreaterThan(5000);
    // rows that were counted while still open in the 2020 crawl bring their final count
    expect(summary.merged).toBeGreaterThan(0);
    expect(summary.inserted + summary.merged + summary.skipped.length).toBe(85_856);
    const unreadable = summary.skipped.filter((s) => !/^already stored as cwd\//.test(s.reason));
    expect(unreadable).toHaveLength(14);
    for (const s of unreadable) expect(s.line).toBeGreaterThan(1);
  });
});

describe(`one petition in two crawls of the board (${TEST_ENGINE})`, () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await freshDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is stored once under the board id whichever file comes first, with the final count', async () => {
    const dir = tempDir('cheongwon-twins-');
    const list = path.join(dir, 'list.csv');
    const board = path.join(dir, 'board.jsonl');
    // the list crawl (its own numbering, final counts, no text) …
    writeFileSync(
      list,
      'id,category,title,expiryDate,numOfAgrees\n' +
        '900001.0,기타,같은 제목,2020-10-29,150\n' + // counted 100 by the board crawl while still open
        '900002.0,기타,같은 제목,2020-10-29,7\n' + // same title and day, another petition
        '900003.0,행정,다른 청원,2020-05-01,42\n',
    );
    // … and the board crawl (board ids, text), one row crawled before its petition closed
    const row = (id: number, title: string, begin: string, end: string, agree: number, status: string) =>
      JSON.stringify({
        petition_id: id,
        time: '2020-10-20 05:00:00',
        begin,
        end,
        category: '기타',
        title,
        content: `본문 ${id}`,
        keyword: [],
        agree,
        status,
      });
    writeFileSync(
      board,
      `${row(611001, '같은 제목', '2020-09-29', '2020-10-29', 100, '청원진행중')}\n${row(611002, '다른 청원', '2020-04-01', '2020-05-01', 42, '청원종료')}\n`,
    );

    const first = await importArchiveFile(h.db, list, { now });
    expect(first).toMatchObject({ inserted: 3 });
    const second = await importArchiveFile(h.db, board, { now });
    expect(second).toMatchObject({ inserted: 0, merged: 2 });
    const stored = await h.db
      .selectFrom('petitions')
      .select([
        'archive_source',
        'archive_source_id',
        'title',
        'body',
        'archived_agreement_count',
        'archived_count_final',
      ])
      .orderBy('archive_source_id')
      .execute();
    expect(stored).toEqual([
      {
        archive_source: 'cwd',
        archive_source_id: '611001',
        title: '같은 제목',
        body: '본문 611001',
        archived_agreement_count: 150,
        archived_count_final: true,
      },
      {
        archive_source: 'cwd',
        archive_source_id: '611002',
        title: '다른 청원',
        body: '본문 611002',
        archived_agreement_count: 42,
        archived_count_final: true,
      },
      {
        archive_source: 'cwd-list',
        archive_source_id: '900002',
        title: '같은 제목',
        body: null,
        archived_agreement_count: 7,
        archived_count_final: true,
      },
    ]);
    // both again, in either order: nothing changes
    const digest = await contentDigest(h.db);
    expect(await importArchiveFile(h.db, board, { now })).toMatchObject({
      inserted: 0,
      merged: 0,
      unchanged: 2,
    });
    const listAgain = await importArchiveFile(h.db, list, { now });
    expect(listAgain).toMatchObject({ inserted: 0, merged: 0, unchanged: 1 });
    expect(listAgain.skipped.map((s) => s.reason).sort()).toEqual([
      'already stored as cwd/611001',
      'already stored as cwd/611002',
    ]);
    expect(await contentDigest(h.db)).toBe(digest);
  });

  it('marks a count taken before close as not final, and a later final count replaces it', async () => {
    const dir = tempDir('cheongwon-final-');
    const board = path.join(dir, 'board.jsonl');
    const list = path.join(dir, 'list.csv');
    writeFileSync(
      board,
      `${JSON.stringify({ petition_id: 612001, time: '2020-10-20 05:00:00', begin: '2020-10-01', end: '2020-10-31', category: '기타', title: '진행 중에 수집된 청원', content: '본문', keyword: [], agree: 10, status: '청원진행중' })}\n`,
    );
    await importArchiveFile(h.db, board, { now });
    expect(await findArchivedPetition(h.db, 'cwd', '612001')).toMatchObject({
      archived_agreement_count: 10,
      archived_count_final: false,
    });
    writeFileSync(
      list,
      'id,category,title,expiryDate,numOfAgrees\n900010.0,기타,진행 중에 수집된 청원,2020-10-31,25\n',
    );
    expect(await importArchiveFile(h.db, list, { now })).toMatchObject({ inserted: 0, merged: 1 });
    expect(await findArchivedPetition(h.db, 'cwd', '612001')).toMatchObject({
      archived_agreement_count: 25,
      archived_count_final: true,
    });
  });
});

describe(`importing a file with broken rows (${TEST_ENGINE})`, () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await freshDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores the good rows, reports each bad one with file and line, and stores nothing of the bad ones', async () => {
    const dir = tempDir('cheongwon-import-');
    const file = path.join(dir, 'petitions.txt'); // misleading name: the format comes from the content
    const row = (id: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        petition_id: id,
        time: '2020-10-20 05:21:52',
        begin: '2020-03-18',
        end: '2020-04-17',
        category: '인권/성평등',
        title: `청원 ${id} &amp; 보호`,
        content: '본문',
        keyword: [],
        agree: 10,
        status: '청원종료',
        ...extra,
      });
    const lines = [
      Buffer.from(`\uFEFF${row(1)}\n`),
      Buffer.from(`${row(2, { title: '' })}\n`),
      Buffer.from(`${row(3, { begin: '2020-13-45' })}\n`),
      Buffer.concat([
        Buffer.from(row(4).slice(0, 60)),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`${row(4).slice(60)}\n`),
      ]),
      Buffer.from(`${row(5, { agree: 'abc' })}\r\n`),
      Buffer.from(`${row(6)}\n`),
      Buffer.from(`${row(7, { agree: 3_000_000_000 })}\n`),
      Buffer.from(`${row(8, { end: '9999-12-31' })}\n`),
      Buffer.from('["not", "an", "object"]\n'),
    ];
    writeFileSync(file, Buffer.concat(lines));

    const summary = await importArchiveFile(h.db, file, { now });
    expect(summary.inserted).toBe(2);
    expect(summary.skipped.map((s) => [s.file, s.line])).toEqual([
      [file, 2],
      [file, 3],
      [file, 4],
      [file, 5],
      [file, 7],
      [file, 8],
      [file, 9],
    ]);
    expect(summary.skipped[4]?.reason).toMatch(/larger than any real petition/);
    expect(summary.skipped[5]?.reason).toMatch(/9999-12-31/);
    expect(summary.skipped[2]?.reason).toMatch(/UTF-8/);
    expect(summary.skipped[1]?.reason).toMatch(/begin/);
    const stored = await h.db
      .selectFrom('petitions')
      .select(['archive_source_id', 'title'])
      .orderBy('archive_source_id')
      .execute();
    expect(stored).toEqual([
      { archive_source_id: '1', title: '청원 1 & 보호' },
      { archive_source_id: '6', title: '청원 6 & 보호' },
    ]);
  });
});

describe(`importing Blue House crawls in other layouts, read by meaning (${TEST_ENGINE})`, () => {
  let h: DatabaseHandle;
  const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'crawls', name);
  beforeAll(async () => {
    h = await freshDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores open-at-crawl rows as not-final counts, multi-line texts whole, and is idempotent', async () => {
    const summary = await importArchiveFile(h.db, fixture('korean-header.csv'), { now });
    expect(summary).toMatchObject({ format: 'cwd-crawl-csv', inserted: 3, skipped: [] });
    const open = await findArchivedPetition(h.db, 'cwd', '591000');
    expect(open).toMatchObject({
      archived_agreement_count: 1234,
      archived_count_final: false,
      archive_source_state: '청원진행중',
      body: '첫 줄입니다.\n\n둘째 문단입니다.',
      category: 'transport-construction-land',
    });
    expect(await findArchivedPetition(h.db, 'cwd', '586819')).toMatchObject({
      response_state: 'answered',
      archived_count_final: true,
      archive_source_url: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819',
    });
    const again = await importArchiveFile(h.db, fixture('korean-header.csv'), { now });
    expect(again).toMatchObject({ inserted: 0, merged: 0, unchanged: 3, skipped: [] });
  });

  it('reports the column it cannot map and each unreadable row by file and line, and stores the rest', async () => {
    const file = fixture('unmappable.csv');
    const summary = await importArchiveFile(h.db, file, { now });
    expect(summary.inserted).toBe(2);
    expect(summary.skipped).toEqual([
      {
        file,
        line: 1,
        reason:
          'column 6 "memo" is not mapped: its name and content match no petition field; its values were not imported',
      },
      { file, line: 5, reason: 'column "agree" is not an agreement count: "많음"' },
      { file, line: 6, reason: 'column "begin" is not a date: "2021-02-30"' },
    ]);
    expect((await findArchivedPetition(h.db, 'cwd', '700002'))?.title).toBe('여러 줄\n제목');
  });

  it('rebuilds the search indexes an import killed during a bulk load left dropped, before anything else', async () => {
    expect(await deferSearchIndexes(h.db)).toEqual(expect.arrayContaining(['petitions_title_trgm']));
    expect(await ginIndexes(h)).toEqual([]); // what a process killed half-way through a bulk load leaves
    await importArchiveFile(h.db, fixture('korean-header.csv'), { now, dryRun: true });
    expect(await ginIndexes(h)).toEqual([
      'petitions_search_grams',
      'petitions_search_title_grams',
      'petitions_title_trgm',
    ]);
    expect(await h.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
  });

  it('imports the English-header, unnamed-column and answers-without-answer layouts', async () => {
    for (const [name, inserted] of [
      ['english-period.csv', 2],
      ['unnamed-columns.csv', 2],
      ['answers-layout-no-answer.csv', 1],
    ] as const) {
      const summary = await importArchiveFile(h.db, fixture(name), { now });
      expect(summary, name).toMatchObject({ inserted, skipped: [] });
    }
    expect(await findArchivedPetition(h.db, 'cwd', '900001')).toMatchObject({
      archived_count_final: false,
      body: '본문 첫 줄\n\n본문 둘째 문단',
    });
  });
});
