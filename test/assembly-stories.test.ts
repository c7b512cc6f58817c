import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lapseExpiredCollections } from '../src/commands/lapse-expired-collections.js';
import type { PetitionState } from '../src/domain/petition-states.js';
import { searchColumns } from '../src/domain/search-text.js';
import type { createApp } from '../src/http/app.js';
import { TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { writerDeps } from './support/factories.js';
import { StaffBrowser } from './support/staff-browser.js';
import { STAFF_ORIGIN, STAFF_SECRET, type StaffCredentials, startStaffSite } from './support/staff-site.js';

/**
 * The National Assembly profile (국회 국민동의청원) as stories on both engines: 100 supporters within 30 days or the
 * petition lapses; published for 30 days with the 50,000 referral threshold fixed on it; then the committee track
 * (referred → under review → decided, or ended with the Assembly's term) recorded by staff, on the public page,
 * in the API and mailed to petitioners. Cast: 지수 (creator), 미나 (moderator), 서연 (committee clerk, responder).
 */

const clock = { now: new Date('2026-12-07T03:00:00Z') };
let h: TestDatabase;
let app: ReturnType<typeof createApp>;
let close: () => Promise<void>;
let people: Record<'mina' | 'seoyeon', StaffCredentials>;

beforeAll(async () => {
  const staff = await startStaffSite(clock, { mina: ['moderator'], seoyeon: ['responder'] }, 'assembly');
  ({ h, app, close, people } = staff);
});
afterAll(async () => {
  await close?.();
});

async function signIn(who: StaffCredentials): Promise<StaffBrowser> {
  const b = new StaffBrowser(app, STAFF_ORIGIN, STAFF_SECRET, { json: true });
  const code = URI.parse(who.totpUri).generate({ timestamp: clock.now.getTime() });
  const res = await b.post('/staff/login', { email: who.email, password: who.password, code });
  expect(res.status, await res.clone().text()).toBe(200);
  clock.now = new Date(clock.now.getTime() + 31_000);
  return b;
}

async function assemblyPetition(o: {
  title: string;
  state: PetitionState;
  count: number;
  collectingSince?: Date;
  referralReached?: boolean;
}): Promise<string> {
  const body = '청원 내용입니다.';
  const row = await h.db
    .insertInto('petitions')
    .values({
      profile: 'assembly',
      category: 'education',
      title: o.title,
      body,
      ...searchColumns(o.title, body),
      state: o.state,
      agreement_count: o.count,
      collecting_since: o.collectingSince ?? null,
      review_started_at: o.state === 'in_review' ? clock.now : null,
      opened_at: o.state === 'closed' ? new Date('2026-10-01T00:00:00Z') : null,
      closes_at: o.state === 'closed' ? new Date('2026-10-31T15:00:00Z') : null,
      closed_at: o.state === 'closed' ? new Date('2026-10-31T15:00:00Z') : null,
      response_threshold: 50_000,
      ...(o.referralReached
        ? {
            response_threshold_reached_at: new Date('2026-10-20T05:00:00Z'),
            response_state: 'awaiting' as const,
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.db
    .insertInto('petition_creators')
    .values({
      petition_id: row.id,
      email: 'jisu@example.kr',
      name: '지수',
      locale: 'ko',
      unsubscribed_at: null,
    })
    .execute();
  return row.id;
}

const petition = (id: string) =>
  h.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outboxKinds = async (id: string) =>
  (
    await h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'dedupe_key'])
      .where('petition_id', '=', id)
      .orderBy('id')
      .execute()
  ).map((r) => r.kind);

describe(`the National Assembly profile (${TEST_ENGINE})`, () => {
  it('지수’s petition lapses when 100 supporters do not agree within 30 days; a younger one keeps collecting', async () => {
    const since = new Date(clock.now.getTime() - 31 * 86_400_000);
    const short = await assemblyPetition({
      title: '기한 안에 사전동의가 모자란 청원',
      state: 'collecting_pre_agreements',
      count: 99,
      collectingSince: since,
    });
    const young = await assemblyPetition({
      title: '아직 사전동의 기간인 청원',
      state: 'collecting_pre_agreements',
      count: 40,
      collectingSince: new Date(clock.now.getTime() - 5 * 86_400_000),
    });
    const lapsed = await lapseExpiredCollections({ db: h.db, rules: writerDeps }, clock.now);
    expect(lapsed).toContain(short);
    expect(lapsed).not.toContain(young);
    expect((await petition(short)).state).toBe('lapsed');
    expect((await petition(young)).state).toBe('collecting_pre_agreements');
    expect(await outboxKinds(short)).toContain('creator.lapsed');
    // the supporters' page of the young petition says it is gathering support, in Korean, without its text
    const res = await app.request(`/petitions/${young}`);
    const html = await res.text();
    expect(html).toContain('<html lang="ko"');
    expect(html).toContain('사전동의를 받고 있는 청원입니다');
    expect(html).toContain('100명 중 40명');
    expect(html).not.toContain('아직 사전동의 기간인 청원');
  });

  it('미나 publishes a petition for 30 days with the 50,000 referral threshold fixed on it', async () => {
    const id = await assemblyPetition({ title: '공개될 국민동의청원', state: 'in_review', count: 100 });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${id}/checkout`);
    const res = await mina.act(`/staff/petitions/${id}/publish`);
    expect(res.status, await res.clone().text()).toBe(200);
    const p = await petition(id);
    expect(p.state).toBe('open');
    expect(p.response_threshold).toBe(50_000);
    // 30 days in Seoul: opened on 7 December, the last day is 6 January, closing at its end (15:00 UTC)
    expect(p.closes_at?.toISOString()).toBe('2027-01-06T15:00:00.000Z');
    // Assembly moderators do not rewrite petitions (the UK's rule, not the Assembly's)
    const other = await assemblyPetition({ title: '고칠 수 없는 청원', state: 'in_review', count: 100 });
    await mina.act(`/staff/petitions/${other}/checkout`);
    const edit = await mina.act(`/staff/petitions/${other}/edit`, { title: '고친 제목', body: '고친 내용' });
    expect(edit.status).toBe(409);
  });

  it('서연 records the committee track: referred, under review, decided — on the page, in the API, in mail', async () => {
    const id = await assemblyPetition({
      title: '학교 도서관 사서 배치 법제화',
      state: 'closed',
      count: 52_310,
      referralReached: true,
    });
    const seoyeon = await signIn(people.seoyeon);
    const noCommittee = await seoyeon.act(`/staff/petitions/${id}/committee`, { stage: 'referred' });
    expect(noCommittee.status).toBe(400);
    const skip = await seoyeon.act(`/staff/petitions/${id}/committee`, {
      stage: 'decided',
      note: 'x',
      on: '2027-01-01',
    });
    expect(skip.status).toBe(409);
    const referred = await seoyeon.act(`/staff/petitions/${id}/committee`, {
      stage: 'referred',
      committee: '교육위원회',
      on: '2026-11-02',
    });
    expect(referred.status, await referred.clone().text()).toBe(200);
    expect(
      (await seoyeon.act(`/staff/petitions/${id}/committee`, { stage: 'under_review', on: '2026-12-01' }))
        .status,
    ).toBe(200);
    const noDecision = await seoyeon.act(`/staff/petitions/${id}/committee`, {
      stage: 'decided',
      on: '2027-02-10',
    });
    expect(noDecision.status).toBe(400);
    const decided = await seoyeon.act(`/staff/petitions/${id}/committee`, {
      stage: 'decided',
      on: '2027-02-10',
      note: '청원심사소위원회에서 본회의 부의하기로 의결',
    });
    expect(decided.status).toBe(200);
    expect((await petition(id)).committee_state).toBe('decided');
    const html = await (await app.request(`/petitions/${id}`)).text();
    expect(html).toContain('소관위원회 회부');
    expect(html).toContain('교육위원회');
    expect(html).toContain('위원회 심사 완료');
    expect(html).toContain('본회의 부의하기로 의결');
    expect(html).toContain('2027. 2. 10.');
    const api = (await (await app.request(`/api/v1/petitions/${id}`)).json()) as Record<string, unknown>;
    expect(api.committee).toEqual({ state: 'decided' });
    expect(api.debate).toBeNull();
    expect((api.timeline as Array<{ stage: string }>).map((e) => e.stage)).toEqual([
      'referred',
      'under_review',
      'decided',
    ]);
    // every stage is told once, to signers and to the creator
    expect(await outboxKinds(id)).toEqual([
      'signers.committee_stage',
      'creator.committee_stage',
      'signers.committee_stage',
      'creator.committee_stage',
      'signers.committee_stage',
      'creator.committee_stage',
    ]);
    // the decision is final
    expect((await seoyeon.act(`/staff/petitions/${id}/committee`, { stage: 'ended_with_term' })).status).toBe(
      409,
    );
  });

  it('a referral below the threshold is refused, and a petition can end with the Assembly’s term', async () => {
    const below = await assemblyPetition({ title: '기준에 못 미친 청원', state: 'closed', count: 12_000 });
    const seoyeon = await signIn(people.seoyeon);
    const refused = await seoyeon.act(`/staff/petitions/${below}/committee`, {
      stage: 'referred',
      committee: '교육위원회',
    });
    expect(refused.status).toBe(409);
    const id = await assemblyPetition({
      title: '임기 안에 심사되지 못한 청원',
      state: 'closed',
      count: 60_000,
      referralReached: true,
    });
    await seoyeon.act(`/staff/petitions/${id}/committee`, { stage: 'referred', committee: '행정안전위원회' });
    const ended = await seoyeon.act(`/staff/petitions/${id}/committee`, {
      stage: 'ended_with_term',
      on: '2028-05-29',
    });
    expect(ended.status).toBe(200);
    expect(await (await app.request(`/petitions/${id}`)).text()).toContain('임기만료폐기');
    // the Assembly has no debate track
    expect((await seoyeon.act(`/staff/petitions/${id}/debate/schedule`, { on: '2027-01-18' })).status).toBe(
      409,
    );
  });
});
