import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE } from '../../test/support/databases.js';
import { openPetition } from '../../test/support/factories.js';
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

describe(`petitionStatistics counts overdue answers (${TEST_ENGINE})`, () => {
  it('counts petitions marked overdue as awaiting and overdue, as well as awaiting ones past their deadline', async () => {
    const db = await freshDatabase();
    try {
      const now = new Date('2026-12-01T00:00:00Z');
      const past = new Date('2026-11-30T00:00:00Z');
      const ahead = new Date('2026-12-30T00:00:00Z');
      const petition = async (
        title: string,
        set: { response_state: 'none' | 'awaiting' | 'overdue' | 'answered'; response_due_at?: Date | null },
        state: 'open' | 'closed' | 'in_review' = 'closed',
      ) => {
        const id = await openPetition(db.db, { title, state, count: 10 });
        await db.db.updateTable('petitions').set(set).where('id', '=', id).execute();
      };
      await petition('답변 완료', { response_state: 'answered', response_due_at: past });
      await petition('답변 대기, 기한 전', { response_state: 'awaiting', response_due_at: ahead }, 'open');
      await petition('답변 대기, 기한 지남', { response_state: 'awaiting', response_due_at: past });
      await petition('답변 지연 표시', { response_state: 'overdue', response_due_at: past });
      await petition(
        '답변 지연 표시, 기한 없음',
        { response_state: 'overdue', response_due_at: null },
        'open',
      );
      await petition('답변 대상 아님', { response_state: 'none' });
      await petition('검토 중 (비공개)', { response_state: 'overdue', response_due_at: past }, 'in_review');

      const s = await petitionStatistics(db.db, now);
      expect(s.total).toBe(6);
      expect(s.responses).toEqual({ answered: 1, awaiting: 4, overdue: 3, none: 1 });
      expect(s.responses.answered + s.responses.awaiting + s.responses.none).toBe(s.total);
      expect(s.byState.sort((a, b) => a.state.localeCompare(b.state))).toEqual([
        { state: 'closed', petitions: 4 },
        { state: 'open', petitions: 2 },
      ]);
    } finally {
      await db.close();
    }
  });
});
