import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { DomainError } from '../domain/errors.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { changePolicySetting } from './change-policy-setting.js';

/** The one path for policy settings, used by the staff settings page and `cheongwon settings set|unset`. */
describe(`changePolicySetting (${TEST_ENGINE})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.close();
  });
  const audit = () =>
    t.db
      .selectFrom('audit_log')
      .select(['staff_id', 'actor', 'action', 'subject_type', 'subject_id', 'reason', 'before', 'after'])
      .where('action', '=', 'settings.policy')
      .orderBy('id')
      .execute();
  const cli = { staffId: null, name: 'cli:operator' };
  const at = new Date('2026-12-01T00:00:00Z');

  it('sets and unsets a setting for the command line, each audited with its actor and the overrides before/after', async () => {
    const set = await changePolicySetting(t.db, {
      profile: 'cheongwadae',
      key: 'responseThreshold',
      value: 150_000,
      actor: cli,
      now: at,
    });
    expect(set.profile).toBe('cheongwadae');
    expect(set.overrides).toEqual({ responseThreshold: 150_000 });
    expect(set.effective.responseThreshold).toBe(150_000);
    expect(await loadProfileOverrides(t.db, 'cheongwadae')).toEqual({ responseThreshold: 150_000 });

    const unset = await changePolicySetting(t.db, {
      profile: 'cheongwadae',
      key: 'responseThreshold',
      value: undefined,
      actor: cli,
      now: at,
      reason: 'back to the default',
    });
    expect(unset.overrides).toEqual({});
    expect(await loadProfileOverrides(t.db, 'cheongwadae')).toEqual({});
    expect(await audit()).toEqual([
      {
        staff_id: null,
        actor: 'cli:operator',
        action: 'settings.policy',
        subject_type: 'settings',
        subject_id: 'cheongwadae',
        reason: null,
        before: {},
        after: { responseThreshold: 150_000 },
      },
      {
        staff_id: null,
        actor: 'cli:operator',
        action: 'settings.policy',
        subject_type: 'settings',
        subject_id: 'cheongwadae',
        reason: 'back to the default',
        before: { responseThreshold: 150_000 },
        after: {},
      },
    ]);
  });

  it('refuses an invalid value, an unknown profile and an archive-only profile, storing and auditing nothing', async () => {
    const before = await audit();
    const refusals = [
      { profile: 'cheongwadae', key: 'responseThreshold', value: 'many' },
      { profile: 'nowhere', key: 'responseThreshold', value: 5 },
      { profile: 'wtp', key: 'responseThreshold', value: 5 },
    ];
    for (const r of refusals) {
      const error = await changePolicySetting(t.db, { ...r, actor: cli, now: at }).catch((e: unknown) => e);
      expect(error, JSON.stringify(r)).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toMatch(/^(invalid_setting|unknown_profile)$/);
    }
    expect(await audit()).toEqual(before);
    expect(await loadProfileOverrides(t.db, 'cheongwadae')).toEqual({});
  });

  it('serialises concurrent changes of one profile: both land, each audited against the state it saw', async () => {
    await Promise.all([
      changePolicySetting(t.db, {
        profile: 'cheongwadae',
        key: 'responseThreshold',
        value: 120_000,
        actor: cli,
        now: at,
      }),
      changePolicySetting(t.db, {
        profile: 'cheongwadae',
        key: 'debateThreshold',
        value: 300_000,
        actor: cli,
        now: at,
      }),
    ]);
    expect(await loadProfileOverrides(t.db, 'cheongwadae')).toEqual({
      responseThreshold: 120_000,
      debateThreshold: 300_000,
    });
    const last = (await audit()).at(-1);
    expect(Object.keys(last?.after as object).sort()).toEqual(['debateThreshold', 'responseThreshold']);
  });
});
