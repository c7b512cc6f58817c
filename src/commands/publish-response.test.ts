import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { openPetition } from '../../test/support/factories.js';
import type { ResponseContent } from '../domain/official-response.js';
import { listResponsesDue } from '../repositories/responses.js';
import { publishResponse } from './publish-response.js';

let h: TestDatabase;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => {
  await h?.close();
});

const content: ResponseContent = {
  title: '늦은 답변',
  body: '기한이 지났지만 답변드립니다.',
  responderName: '강정수',
  responderTitle: '디지털소통센터장',
};
const actor = { staffId: null, label: 'cli:test' };

/** A petition whose answer deadline passed: the scheduler marked it overdue. */
async function overduePetition(title: string): Promise<string> {
  const id = await openPetition(h.db, { title, state: 'closed' });
  await h.db
    .updateTable('petitions')
    .set({
      response_state: 'overdue',
      response_threshold_reached_at: new Date('2026-10-01T00:00:00Z'),
      response_due_at: new Date('2026-11-20T15:00:00Z'),
    })
    .where('id', '=', id)
    .execute();
  return id;
}

const petition = (id: string) =>
  h.db
    .selectFrom('petitions')
    .select(['response_state', 'answered_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe(`publishResponse (${TEST_ENGINE})`, () => {
  it('answers an overdue petition late: answered, its mail queued once, audited — and it leaves the due list', async () => {
    const now = new Date('2026-11-28T03:00:00Z');
    const id = await overduePetition('기한 넘긴 청원');
    const awaiting = await openPetition(h.db, { title: '기다리는 청원' });
    await h.db
      .updateTable('petitions')
      .set({ response_state: 'awaiting' })
      .where('id', '=', awaiting)
      .execute();
    const due = (await listResponsesDue(h.db)).map((p) => p.id);
    expect(due).toContain(id);
    expect(due).toContain(awaiting);

    const published = await publishResponse(h.db, { petitionIds: [id], content }, actor, now);
    expect(published.petitionIds).toEqual([id]);
    expect(await petition(id)).toEqual({ response_state: 'answered', answered_at: now });
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'dedupe_key', 'payload'])
      .where('petition_id', '=', id)
      .orderBy('kind')
      .execute();
    expect(outbox.map((o) => [o.kind, o.dedupe_key, o.payload])).toEqual([
      ['creator.answered', `creator.answered:${id}`, { responseId: published.responseId }],
      ['signers.answered', `signers.answered:${id}`, { responseId: published.responseId }],
    ]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'subject_id'])
      .where('subject_type', '=', 'response')
      .where('subject_id', '=', published.responseId)
      .execute();
    expect(audit).toEqual([
      { action: 'response.publish', actor: 'cli:test', subject_id: published.responseId },
    ]);
    const after = (await listResponsesDue(h.db)).map((p) => p.id);
    expect(after).not.toContain(id);
    expect(after).toContain(awaiting);
  });

  it('keeps the first answered_at when a second answer covers an answered petition, and queues no second mail', async () => {
    const first = new Date('2026-11-28T04:00:00Z');
    const id = await overduePetition('두 번 답변된 청원');
    await publishResponse(h.db, { petitionIds: [id], content }, actor, first);
    await publishResponse(
      h.db,
      { petitionIds: [id], content: { ...content, title: '추가 답변' } },
      actor,
      new Date('2026-11-29T04:00:00Z'),
    );
    expect(await petition(id)).toEqual({ response_state: 'answered', answered_at: first });
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .select('kind')
      .where('petition_id', '=', id)
      .execute();
    expect(outbox).toHaveLength(2);
  });

  it('refuses a petition that is not public and stores nothing', async () => {
    const hidden = await openPetition(h.db, { state: 'hidden' });
    const before = await h.db
      .selectFrom('official_responses')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      publishResponse(h.db, { petitionIds: [hidden], content }, actor, new Date('2026-11-28T05:00:00Z')),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    const after = await h.db
      .selectFrom('official_responses')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
