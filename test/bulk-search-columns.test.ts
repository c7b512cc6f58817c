/**
 * The bulk importer builds the bigram columns on the server from plain text (`gramsText` →
 * `array_to_tsvector(string_to_array(…))`) rather than from the tsvector literals of `searchColumns`: both must be
 * the same values, or a search would find a petition after one kind of write and not after the other. Checked on
 * texts with quotes, backslashes, jamo, full-width letters and line breaks, and on a real file.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchiveFile } from '../src/commands/import-archive.js';
import { searchColumns } from '../src/domain/search-text.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { HAS_SHARED_DATA, shared } from './support/shared-data.js';

let h: TestDatabase;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => {
  await h?.close();
});

/** Stored search columns that differ from what `searchColumns` gives for the stored title and body. */
async function differing(): Promise<string[]> {
  const rows = await sql<{
    id: string;
    title: string;
    body: string | null;
    st: string;
    sd: string;
    tg: string;
    g: string;
  }>`
    select id::text, title, body, search_title st, search_document sd, search_title_grams::text tg,
      search_grams::text g from petitions order by id`.execute(h.db);
  const out: string[] = [];
  for (const r of rows.rows) {
    const c = searchColumns(r.title, r.body);
    const expected = await sql<{ tg: string; g: string }>`
      select ${c.search_title_grams}::tsvector::text tg, ${c.search_grams}::tsvector::text g`.execute(h.db);
    const e = expected.rows[0];
    if (r.st !== c.search_title || r.sd !== c.search_document || r.tg !== e?.tg || r.g !== e?.g)
      out.push(r.id);
  }
  return out;
}

describe(`bulk-loaded search columns (${TEST_ENGINE})`, () => {
  it('equal searchColumns for awkward texts', async () => {
    const file = path.join(tmpdir(), `cheongwon-bulk-columns-${process.pid}.jsonl`);
    const texts = [
      ['따옴표 \'작은\' "큰" \\백슬래시\\ 청원', "본문에 'quote' 와 \\ 와 ”“ 가 있습니다"],
      ['김ㅇㅇ 교사의 징계 ㅠㅠ…', 'Ｎ번방\n\n줄바꿈\t탭　전각공백 n 번방'],
      ['짧 은 제 목', '한'],
    ];
    writeFileSync(
      file,
      texts
        .map(([title, content], i) =>
          JSON.stringify({
            category: '인권/성평등',
            begin: '2020-03-18',
            end: '2020-04-17',
            content,
            num_agree: 10 + i,
            petition_idx: String(990_001 + i),
            status: '청원종료',
            title,
          }),
        )
        .join('\n'),
    );
    const summary = await importArchiveFile(h.db, file, { now: new Date() });
    expect(summary).toMatchObject({ inserted: 3, skipped: [] });
    expect(await differing()).toEqual([]);
  });

  it.skipIf(!HAS_SHARED_DATA)(
    'equal searchColumns for every petition of a real file',
    async () => {
      const summary = await importArchiveFile(h.db, shared('cwd/cwd_lovit_petitions_2017-08.jsonl'), {
        now: new Date(),
      });
      expect(summary.inserted).toBeGreaterThan(600);
      expect(await differing()).toEqual([]);
    },
    600_000,
  );
});
