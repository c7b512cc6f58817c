/**
 * Every title of every real archive file in ../shared/data finds its own petition when searched verbatim (the
 * same normalisation for stored text and query: domain/search-text.ts), on the engine under test. Skipped, with
 * the reason in the suite name, when the folder is not there (a user's clone).
 *
 * The records are read by the importer's parser and stored by its write (`insertPetitions`, which derives the
 * search columns); a record whose archive key came earlier in another file (the Blue House crawls share ids) is
 * stored once, as the importer would.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArchiveFile } from '../src/archive/parse-file.js';
import type { DatabaseHandle } from '../src/db/connection.js';
import { pageQuerySchema, toPetitionListQuery } from '../src/http/list-query.js';
import { listPetitions, petitionsNotMatching } from '../src/repositories/petitions.js';
import { insertPetitions } from '../src/repositories/writes/archive.js';
import { freshDatabase, TEST_ENGINE } from './support/databases.js';
import { HAS_SHARED_DATA, SHARED_DATA } from './support/shared-data.js';

const FILES = HAS_SHARED_DATA
  ? ['cwd', 'assembly', 'uk', 'us'].flatMap((dir) =>
      readdirSync(join(SHARED_DATA, dir))
        .filter((f) => /\.(jsonl|csv|json)(\.gz)?$/.test(f))
        .map((f) => join(SHARED_DATA, dir, f)),
    )
  : [];
const SUITE = `every real title finds itself (${TEST_ENGINE})${HAS_SHARED_DATA ? '' : ` (skipped: ${SHARED_DATA} not found)`}`;

let h: DatabaseHandle;
const stored: Array<{ id: string; title: string }> = [];
beforeAll(async () => {
  if (!HAS_SHARED_DATA) return;
  h = await freshDatabase();
  const seen = new Set<string>();
  for (const file of FILES) {
    let batch: Array<{ title: string; row: Parameters<typeof insertPetitions>[1][number] }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const ids = await h.db.transaction().execute((trx) =>
        insertPetitions(
          trx,
          rows.map((r) => r.row),
        ),
      );
      for (const [i, id] of ids.entries()) stored.push({ id, title: rows[i]?.title as string });
    };
    for await (const r of parseArchiveFile(file)) {
      if (!r.ok) continue;
      const key = `${r.record.source} ${r.record.sourceId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      batch.push({
        title: r.record.title,
        row: {
          profile: r.record.profile,
          title: r.record.title,
          body: r.record.body,
          state: 'closed',
          archive_source: r.record.source,
          archive_source_id: r.record.sourceId,
        },
      });
      if (batch.length === 500) await flush();
    }
    await flush();
  }
}, 600_000);
afterAll(async () => {
  await h?.close();
});

describe.skipIf(!HAS_SHARED_DATA)(SUITE, () => {
  it('stores the titles of every real file', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
    expect(stored.length).toBeGreaterThan(99_000);
  });

  it('matches every title against its own petition', async () => {
    const typed = stored.map((s) => ({ id: s.id, text: [...s.title].slice(0, 100).join('') }));
    const missing: string[] = [];
    for (let i = 0; i < typed.length; i += 1000) {
      missing.push(...(await petitionsNotMatching(h.db, typed.slice(i, i + 1000))));
    }
    expect(missing).toEqual([]);
  }, 600_000);

  it('puts the petition on the first page for titles a normalisation rewrites (jamo, …, full-width) and a sample of the rest', async () => {
    const rewritten = stored.filter((s) => s.title.normalize('NFKC') !== s.title);
    expect(rewritten.length).toBeGreaterThan(10);
    const sample = stored.filter((_, i) => i % 500 === 0);
    const missing: string[] = [];
    for (const { id, title } of [...rewritten, ...sample]) {
      const q = pageQuerySchema.parse({ q: [...title].slice(0, 100).join(''), per_page: '100' });
      const page = await listPetitions(h.db, toPetitionListQuery(q, 'relevance'));
      if (!page.rows.some((r) => r.id === id) && !page.totalIsLowerBound) missing.push(`${id}: ${title}`);
    }
    expect(missing).toEqual([]);
  }, 600_000);
});
