import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../../test/support/databases.js';
import { sampleSite, type TestSite } from '../../test/support/site.js';
import { petitionStatistics } from './statistics.js';

let t: TestSite;
beforeAll(async () => {
  t = await sampleSite();
});
afterAll(async () => {
  await t?.close();
});

describe(`petitionStatistics on the real sample (${TEST_ENGINE})`, () => {
  it('adds up, and the Room-N petition is the largest', async () => {
    const now = new Date('2026-11-29T06:00:00Z');
    const s = await petitionStatistics(t.handle.db, now, 5);
    const publicRows = await t.handle.db
      .selectFrom('petitions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('state', 'in', ['open', 'closed'])
      .executeTakeFirstOrThrow();
    expect(s.total).toBe(Number(publicRows.n));
    expect(s.total).toBeGreaterThan(2000);
    expect(s.byCategory.reduce((a, c) => a + c.petitions, 0)).toBe(s.total);
    expect(s.byState.reduce((a, c) => a + c.petitions, 0)).toBe(s.total);
    expect(s.responses.answered + s.responses.awaiting + s.responses.none).toBe(s.total);
    expect(s.responses.answered).toBeGreaterThan(100);
    expect(s.largest).toHaveLength(5);
    expect(s.largest[0]?.count).toBe(2_715_626);
    expect(s.largest[0]?.title).toContain('n번방');
    for (let i = 1; i < s.largest.length; i++) {
      expect(s.largest[i]?.count).toBeLessThanOrEqual(s.largest[i - 1]?.count ?? 0);
    }
  });
});
