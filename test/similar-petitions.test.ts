import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/cli/import-files.js';
import { SAMPLE_DIR } from '../src/cli/seed.js';
import { similarPetitions } from '../src/repositories/similar-petitions.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';

/**
 * Near-duplicates on the bundled real sample of the 2020 Blue House board (2,236 petitions with the Telegram
 * "Room N" petitions), imported alone to keep the test short.
 */
let h: TestDatabase;

beforeAll(async () => {
  h = await freshDatabase();
  await importFiles(h.db, [path.join(SAMPLE_DIR, 'cwd-2020-korkeep.jsonl.gz')], {
    dryRun: false,
    progress: false,
    log: () => {},
    now: () => new Date('2026-11-29T06:00:00Z'),
  });
});

afterAll(async () => {
  await h.close();
});

const roomN = (title: string) => /n\s*번\s*방|텔레그램/i.test(title.normalize('NFKC'));

describe('similarPetitions', () => {
  it('groups the Room N petitions of 2020: a new one finds them, and little else', async () => {
    const all = await h.db
      .selectFrom('petitions')
      .select('title')
      .where('title', 'ilike', '%n번방%')
      .execute();
    expect(all.length).toBeGreaterThanOrEqual(20);

    const found = await similarPetitions(
      h.db,
      {
        title: '텔레그램 n번방 가해자 신상 공개를 요구합니다',
        body: 'n번방 사건의 가해자를 엄벌해 주십시오.',
      },
      30,
    );
    expect(found.length).toBeGreaterThanOrEqual(25);
    const share = found.filter((p) => roomN(p.title)).length / found.length;
    expect(share).toBeGreaterThanOrEqual(0.9);
    // best first
    for (let i = 1; i < found.length; i++)
      expect(found[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(found[i]?.score ?? 0);
  });

  it('finds nothing for an unrelated title, and leaves out the petition itself', async () => {
    expect(await similarPetitions(h.db, { title: '반려동물 등록제 온라인 신청' }, 10)).toSatisfy(
      (rows: Array<{ title: string }>) => rows.every((r) => !roomN(r.title)),
    );
    const one = await h.db
      .selectFrom('petitions')
      .select(['id', 'title'])
      .where('title', 'ilike', '%n번방%')
      .executeTakeFirstOrThrow();
    const found = await similarPetitions(h.db, { title: one.title, excludeId: one.id }, 10);
    expect(found.map((p) => p.id)).not.toContain(one.id);
    expect(await similarPetitions(h.db, { title: '   ' }, 10)).toEqual([]);
  });
});
