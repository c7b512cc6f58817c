import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArchiveFile } from '../src/archive/parse-file.js';
import type { ArchivedPetitionRecord } from '../src/archive/record.js';
import { importArchiveFile } from '../src/commands/import-archive.js';
import type { DatabaseHandle } from '../src/db/connection.js';
import { freshDatabase, TEST_ENGINE } from './support/databases.js';
import { HAS_SHARED_DATA, SHARED_DATA, shared } from './support/shared-data.js';

const now = new Date('2026-12-04T06:00:00Z');
/** Every archive file of ../shared/data (the pdq folder holds image-matching data, no petitions). */
const FILES = HAS_SHARED_DATA
  ? ['cwd', 'assembly', 'uk', 'us'].flatMap((d) =>
      readdirSync(`${SHARED_DATA}${d}`)
        .sort()
        .map((f) => `${d}/${f}`),
    )
  : [];

/**
 * Every real file imported into one database, in turn: each record its parser reads is stored (under its own key,
 * or — for list-crawl rows — completing the board's record of the same petition), with its text, its answer and its
 * UK area counts; nothing is skipped but what the parser itself rejects (counted in src/archive/real-data.test.ts)
 * and rows that repeat a petition already stored.
 */
describe.skipIf(!HAS_SHARED_DATA)(
  `every real file in ../shared/data, nothing dropped (${TEST_ENGINE})`,
  () => {
    let h: DatabaseHandle;
    beforeAll(async () => {
      h = await freshDatabase();
    });
    afterAll(async () => {
      await h?.close();
    });

    it.each(FILES)('%s', { timeout: 240_000 }, async (file) => {
      const path = shared(file);
      const invalidUtf8 = file.startsWith('us/') ? 'windows-1252' : 'reject';
      const records: ArchivedPetitionRecord[] = [];
      let rejected = 0;
      for await (const row of parseArchiveFile(path, { invalidUtf8 })) {
        if (row.ok) records.push(row.record);
        else rejected++;
      }
      const summary = await importArchiveFile(h.db, path, { now, invalidUtf8 });
      const repeats = summary.skipped.filter((s) =>
        /^(same petition as line|already stored as cwd\/)/.test(s.reason),
      );
      expect(summary.skipped.length - repeats.length, 'skipped = the parser’s own rejections').toBe(rejected);
      expect(summary.inserted + summary.merged + summary.unchanged + repeats.length).toBe(records.length);

      const own = records.filter((r) => r.source !== 'cwd-list');
      for (let i = 0; i < own.length; i += 2000) {
        const slice = own.slice(i, i + 2000);
        const stored = await h.db
          .selectFrom('petitions as p')
          .select([
            'p.archive_source',
            'p.archive_source_id',
            'p.body',
            'p.response_state',
            (eb) =>
              eb
                .exists(
                  eb.selectFrom('petition_official_responses as r').whereRef('r.petition_id', '=', 'p.id'),
                )
                .as('has_response'),
            (eb) =>
              eb
                .selectFrom('archived_area_counts as a')
                .select((e) => e.fn.countAll<string>().as('n'))
                .whereRef('a.petition_id', '=', 'p.id')
                .as('areas'),
          ])
          .where('p.archive_source', 'in', [...new Set(slice.map((r) => r.source))])
          .where(
            'p.archive_source_id',
            'in',
            slice.map((r) => r.sourceId),
          )
          .execute();
        const byKey = new Map(stored.map((s) => [`${s.archive_source}/${s.archive_source_id}`, s]));
        for (const r of slice) {
          const s = byKey.get(`${r.source}/${r.sourceId}`);
          expect(s, `${file}: ${r.source}/${r.sourceId} stored`).toBeDefined();
          if (r.body !== null) expect(s?.body, `${r.sourceId} body`).not.toBeNull();
          if (r.answered) expect(s?.response_state, `${r.sourceId} answered`).toBe('answered');
          if (r.response !== null) expect(s?.has_response, `${r.sourceId} answer text`).toBe(true);
          expect(Number(s?.areas ?? 0), `${r.sourceId} area counts`).toBe(r.areaCounts?.length ?? 0);
        }
      }
    });
  },
);
