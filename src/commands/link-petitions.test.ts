import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { openPetition } from '../../test/support/factories.js';
import type { ResponseContent } from '../domain/official-response.js';
import { draftResponse } from './draft-response.js';
import { linkPetitions } from './link-petitions.js';
import { publishResponse } from './publish-response.js';

let h: TestDatabase;
beforeAll(async () => {
  h = await freshDatabase();
});
afterAll(async () => {
  await h?.close();
});

const content: ResponseContent = {
  title: '공동 답변',
  body: '여러 청원에 함께 답변드립니다.',
  responderName: '강정수',
  responderTitle: '디지털소통센터장',
};
const actor = { staffId: null, label: 'cli:test' };

const covered = async (responseId: string) =>
  (
    await h.db
      .selectFrom('petition_official_responses')
      .select('petition_id')
      .where('official_response_id', '=', responseId)
      .orderBy('petition_id')
      .execute()
  ).map((r) => r.petition_id);
const outboxKinds = async (petitionId: string) =>
  (
    await h.db
      .selectFrom('notification_outbox')
      .select('kind')
      .where('petition_id', '=', petitionId)
      .orderBy('kind')
      .execute()
  ).map((r) => r.kind);
const responseState = async (petitionId: string) =>
  (
    await h.db
      .selectFrom('petitions')
      .select('response_state')
      .where('id', '=', petitionId)
      .executeTakeFirstOrThrow()
  ).response_state;

describe(`linkPetitions (${TEST_ENGINE})`, () => {
  it('adds a petition to a published answer: answered and notified once, however often it is linked', async () => {
    const now = new Date('2026-11-28T03:00:00Z');
    const first = await openPetition(h.db, { title: '첫 청원' });
    const added = await openPetition(h.db, { title: '더한 청원' });
    await h.db.updateTable('petitions').set({ response_state: 'awaiting' }).where('id', '=', added).execute();
    const { responseId } = await publishResponse(h.db, { petitionIds: [first], content }, actor, now);
    await linkPetitions(h.db, responseId, [added], actor, now);
    await linkPetitions(h.db, responseId, [added, first], actor, now);
    expect(await covered(responseId)).toEqual([first, added].sort((a, b) => Number(a) - Number(b)));
    expect(await responseState(added)).toBe('answered');
    expect(await outboxKinds(added)).toEqual(['creator.answered', 'signers.answered']);
  });

  it('adds a petition to a draft without answering it or notifying anyone', async () => {
    const now = new Date('2026-11-28T04:00:00Z');
    const first = await openPetition(h.db);
    const added = await openPetition(h.db);
    const responseId = await draftResponse(h.db, { petitionIds: [first], content }, actor, now);
    await linkPetitions(h.db, responseId, [added], actor, now);
    expect(await covered(responseId)).toEqual([first, added].sort((a, b) => Number(a) - Number(b)));
    expect(await responseState(added)).toBe('none');
    expect(await outboxKinds(added)).toEqual([]);
  });

  it('refuses an unknown answer, an unknown petition and a petition that is not public, changing nothing', async () => {
    const now = new Date('2026-11-28T05:00:00Z');
    const first = await openPetition(h.db);
    const { responseId } = await publishResponse(h.db, { petitionIds: [first], content }, actor, now);
    const inReview = await openPetition(h.db, { state: 'in_review' });
    await expect(linkPetitions(h.db, '99999999', [first], actor, now)).rejects.toMatchObject({
      code: 'response_not_found',
    });
    await expect(linkPetitions(h.db, responseId, ['99999999'], actor, now)).rejects.toMatchObject({
      code: 'petition_not_found',
    });
    await expect(linkPetitions(h.db, responseId, [inReview], actor, now)).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    await expect(linkPetitions(h.db, responseId, [], actor, now)).rejects.toMatchObject({
      code: 'invalid_parameter',
    });
    expect(await covered(responseId)).toEqual([first]);
    expect(await outboxKinds(inReview)).toEqual([]);
  });
});
