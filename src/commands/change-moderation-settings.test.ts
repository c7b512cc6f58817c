import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { DomainError } from '../domain/errors.js';
import type { ModerationSettings } from '../domain/moderation.js';
import { getProfile } from '../domain/policy-profiles.js';
import { loadModerationSettings } from '../repositories/moderation-settings.js';
import { changeModerationSettings } from './change-moderation-settings.js';

describe(`changeModerationSettings (${TEST_ENGINE})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.close();
  });
  const actor = { staffId: null, name: 'cli:operator' };
  const now = new Date('2026-12-01T00:00:00Z');
  const audit = () =>
    t.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'before', 'after'])
      .where('action', '=', 'settings.moderation')
      .orderBy('id')
      .execute();

  it('merges a change into the defaults and stores it, audited with before/after', async () => {
    expect(await loadModerationSettings(t.db, 'cheongwadae')).toMatchObject({
      reviewTargetDays: 10,
      reviewNearDays: 3,
      electionActive: false,
    });
    const category = getProfile('cheongwadae').categories[0]?.code ?? '';
    const after = await changeModerationSettings(t.db, {
      profile: 'cheongwadae',
      change: {
        reviewTargetDays: 7,
        electionActive: true,
        electionCategories: [category],
        electionReason: ' 선거 ',
      },
      actor,
      now,
    });
    expect(after).toMatchObject({ reviewTargetDays: 7, reviewNearDays: 3, electionReason: '선거' });
    expect(await loadModerationSettings(t.db, 'cheongwadae')).toEqual(after);
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      subject_id: 'cheongwadae',
      before: { reviewTargetDays: 10, electionActive: false },
      after: { reviewTargetDays: 7, electionActive: true, electionCategories: [category] },
    });
  });

  it('refuses an unknown category, a switch without a reason and out-of-range days, changing nothing', async () => {
    const stored = await loadModerationSettings(t.db, 'cheongwadae');
    const before = await audit();
    const refusals: Array<[Partial<Omit<ModerationSettings, 'profile'>>, string]> = [
      [{ electionCategories: ['no_such_category'] }, 'unknown_category'],
      [{ electionActive: true, electionReason: '  ' }, 'invalid_setting'],
      [{ reviewTargetDays: 0 }, 'invalid_setting'],
      [{ reviewTargetDays: 5, reviewNearDays: 5 }, 'invalid_setting'],
    ];
    for (const [change, code] of refusals) {
      const error = await changeModerationSettings(t.db, {
        profile: 'cheongwadae',
        change,
        actor,
        now,
      }).catch((e: unknown) => e);
      expect(error, JSON.stringify(change)).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
    }
    expect(await loadModerationSettings(t.db, 'cheongwadae')).toEqual(stored);
    expect(await audit()).toEqual(before);
  });
});
