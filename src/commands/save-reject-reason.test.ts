import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { DomainError } from '../domain/errors.js';
import { listRejectReasons } from '../repositories/moderation-settings.js';
import { saveRejectReason } from './save-reject-reason.js';

describe(`saveRejectReason (${TEST_ENGINE})`, () => {
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
      .select(['actor', 'action', 'subject_type', 'subject_id', 'before', 'after'])
      .where('action', '=', 'settings.reject_reason')
      .orderBy('id')
      .execute();

  it('adds a reason, then changes and deactivates it keeping its position, each audited', async () => {
    await saveRejectReason(t.db, {
      code: ' spam_ring ',
      label: ' 조직적 도배 ',
      publicText: '같은 내용을 반복해 올린 청원입니다.',
      active: true,
      actor,
      now,
    });
    const added = (await listRejectReasons(t.db)).find((r) => r.code === 'spam_ring');
    expect(added).toMatchObject({ label: '조직적 도배', active: true, position: 100 });
    await saveRejectReason(t.db, {
      code: 'spam_ring',
      label: '도배',
      publicText: '같은 내용을 반복해 올린 청원입니다.',
      active: false,
      actor,
      now,
    });
    expect((await listRejectReasons(t.db, { activeOnly: true })).some((r) => r.code === 'spam_ring')).toBe(
      false,
    );
    const entries = await audit();
    expect(entries.map((e) => [e.actor, e.subject_type, e.subject_id])).toEqual([
      ['cli:operator', 'reject_reason', 'spam_ring'],
      ['cli:operator', 'reject_reason', 'spam_ring'],
    ]);
    expect(entries[0]?.before).toBeNull();
    expect(entries[1]?.before).toMatchObject({ label: '조직적 도배', active: true });
    expect(entries[1]?.after).toMatchObject({ label: '도배', active: false, position: 100 });
  });

  it('refuses a bad code or empty texts, storing and auditing nothing', async () => {
    const before = await audit();
    for (const bad of [
      { code: 'Spam', label: 'x', publicText: 'y' },
      { code: 'ok_code', label: '', publicText: 'y' },
      { code: 'ok_code', label: 'x', publicText: ' ' },
    ]) {
      const error = await saveRejectReason(t.db, { ...bad, active: true, actor, now }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('invalid_parameter');
    }
    expect(await audit()).toEqual(before);
    expect((await listRejectReasons(t.db)).some((r) => r.code === 'ok_code')).toBe(false);
  });
});
