import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PetitionState } from '../src/domain/petition-states.js';
import type { DebateState } from '../src/domain/response-track.js';
import { searchColumns } from '../src/domain/search-text.js';
import type { createApp } from '../src/http/app.js';
import { TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { StaffBrowser } from './support/staff-browser.js';
import { STAFF_ORIGIN, STAFF_SECRET, type StaffCredentials, startStaffSite } from './support/staff-site.js';

/**
 * The UK Parliament profile as a whole site, replaying alphagov/e-petitions scenarios (features/ and spec/) as
 * stories on both engines: pages in English by default with UK places, both targets while open, moderation
 * decisions including take-down and restore, titles withheld by their reason, moderator edits before publishing,
 * the debate track end to end (schedule, outcome, not debated) with mail queued to petitioners, lists and search
 * by state, and the API fields. Cast: Charlie creates petitions, Mina moderates, Laura is a Petitions Committee
 * clerk (responder).
 */

const clock = { now: new Date('2026-12-07T12:00:00Z') };
let h: TestDatabase;
let app: ReturnType<typeof createApp>;
let close: () => Promise<void>;
let people: Record<'mina' | 'laura', StaffCredentials>;

beforeAll(async () => {
  const staff = await startStaffSite(clock, { mina: ['moderator'], laura: ['responder'] }, 'uk');
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
  clock.now = new Date(clock.now.getTime() + 31_000); // a TOTP code is accepted once
  return b;
}

/** A UK petition as Charlie's would be after its sponsors: in review unless another state is given. */
async function ukPetition(
  o: {
    title?: string;
    body?: string;
    state?: PetitionState;
    count?: number;
    debate?: DebateState;
    openedAt?: Date | null;
    closesAt?: Date | null;
  } = {},
): Promise<string> {
  const title = o.title ?? 'Fund more school libraries';
  const body = o.body ?? 'Every secondary school should have a staffed library.';
  const row = await h.db
    .insertInto('petitions')
    .values({
      profile: 'uk',
      category: 'education',
      title,
      body,
      ...searchColumns(title, body),
      state: o.state ?? 'in_review',
      agreement_count: o.count ?? 5,
      review_started_at: new Date(clock.now.getTime() - 86_400_000),
      opened_at:
        o.openedAt === undefined
          ? o.state === 'open'
            ? new Date('2026-11-01T00:00:00Z')
            : null
          : o.openedAt,
      closes_at:
        o.closesAt === undefined
          ? o.state === 'open'
            ? new Date('2027-05-01T23:00:00Z')
            : null
          : o.closesAt,
      response_threshold: 10_000,
      debate_threshold: 100_000,
      debate_state: o.debate ?? 'none',
      ...(o.debate && o.debate !== 'none'
        ? {
            response_threshold_reached_at: new Date('2026-11-10T10:00:00Z'),
            debate_threshold_reached_at: new Date('2026-11-20T10:00:00Z'),
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
      email: 'charlie@example.uk',
      name: 'Charlie',
      locale: 'en',
      unsubscribed_at: null,
    })
    .execute();
  return row.id;
}

const petition = (id: string) =>
  h.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outbox = (id: string) =>
  h.db
    .selectFrom('notification_outbox')
    .select(['kind', 'payload'])
    .where('petition_id', '=', id)
    .orderBy('id')
    .execute();
const audits = (id: string) =>
  h.db
    .selectFrom('audit_log')
    .select(['action', 'before', 'after'])
    .where('subject_id', '=', id)
    .orderBy('id')
    .execute();
const page = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, html: await res.text() };
};
const errorCode = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code;

describe(`the UK Parliament profile as a site (${TEST_ENGINE})`, () => {
  it('opens in English with UK places, and shows both targets while a petition is open', async () => {
    const id = await ukPetition({ state: 'open', count: 12_345 });
    const { status, html } = await page(`/petitions/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en"');
    expect(html).toContain(
      'At 100,000 signatures, this petition will be considered for debate in Parliament.',
    );
    expect(html).toMatch(/10,000/);
    const home = await page('/');
    expect(home.html).toContain('<html lang="en"');
    // a visitor may still choose Korean
    expect((await page('/?lang=ko')).html).toContain('<html lang="ko"');
  });

  it('Mina rejects a libellous petition: its title is withheld on its page, in the rejected list and in search', async () => {
    const id = await ukPetition({
      title: 'Investigate Councillor Smith for fraud',
      body: 'He stole the money.',
    });
    const mina = await signIn(people.mina);
    expect((await mina.act(`/staff/petitions/${id}/checkout`)).status).toBe(200);
    const res = await mina.act(`/staff/petitions/${id}/reject`, { reason_code: 'libel' });
    expect(res.status, await res.clone().text()).toBe(200);
    const row = await petition(id);
    expect(row).toMatchObject({ state: 'rejected', title_hidden: true });
    // the UK site speaks English: the public reason is the list's English text
    expect(row.rejection_reason).toBe(
      'It included statements that may be libellous; its title and text are not shown.',
    );
    const shown = await page(`/petitions/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.html).not.toContain('Councillor Smith');
    expect(shown.html).toContain('Petition title withheld');
    expect(shown.html).toContain('may be libellous');
    const listed = await page('/petitions?state=rejected');
    expect(listed.html).toContain('Petition title withheld');
    expect(listed.html).not.toContain('Councillor Smith');
    const searched = await page('/search?q=Councillor+Smith&state=rejected');
    expect(searched.html).not.toContain('Councillor Smith</');
    expect(searched.html).not.toContain(`/petitions/${id}"`);
    const api = await app.request(`/api/v1/petitions?state=rejected`);
    expect(JSON.stringify(await api.json())).not.toContain('Councillor Smith');

    // Korean visitors read the same reason in Korean
    expect((await page(`/petitions/${id}?lang=ko`)).html).toContain(
      '허위 사실로 특정인의 명예를 훼손할 수 있는',
    );
  });

  it('Mina restores a rejected petition to moderation and publishes it; both decisions are audited and told', async () => {
    const id = await ukPetition({ title: 'Ban disposable vapes' });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${id}/checkout`);
    await mina.act(`/staff/petitions/${id}/reject`, { reason_code: 'duplicate' });
    expect((await petition(id)).state).toBe('rejected');
    // a rejected petition is listed with its reason
    const listed = await page('/petitions?state=rejected');
    expect(listed.html).toContain('Ban disposable vapes');
    expect(listed.html).toContain('There is already a petition about this issue.');
    await mina.act(`/staff/petitions/${id}/checkout`);
    const restored = await mina.act(`/staff/petitions/${id}/restore`, {
      reason: 'Not a duplicate after all',
    });
    expect(restored.status, await restored.clone().text()).toBe(200);
    expect(await petition(id)).toMatchObject({
      state: 'in_review',
      rejection_reason: null,
      title_hidden: false,
    });
    await mina.act(`/staff/petitions/${id}/checkout`);
    const published = await mina.act(`/staff/petitions/${id}/publish`);
    expect(published.status, await published.clone().text()).toBe(200);
    expect((await petition(id)).state).toBe('open');
    expect((await audits(id)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['petition.reject', 'petition.restore', 'petition.publish']),
    );
    const decisions = (await outbox(id)).map((o) => (o.payload as { decision?: string }).decision);
    expect(decisions).toEqual(expect.arrayContaining(['rejected', 'restored', 'published']));
  });

  it('Mina takes a published petition down with a public reason; the page says why and agreements stop', async () => {
    const id = await ukPetition({ state: 'open', title: 'Buy our miracle supplement', count: 40 });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${id}/checkout`);
    const res = await mina.act(`/staff/petitions/${id}/take-down`, { reason_code: 'advertising' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await petition(id)).toMatchObject({ state: 'rejected', agreement_count: 40 });
    const shown = await page(`/petitions/${id}`);
    expect(shown.html).toContain('It was an advertisement or promoted a product or service.');
    expect(shown.html).not.toContain('name="email"');
    // restoring a taken-down petition returns it to open while its period runs
    await mina.act(`/staff/petitions/${id}/checkout`);
    await mina.act(`/staff/petitions/${id}/restore`);
    expect((await petition(id)).state).toBe('open');
    // a petition still in moderation cannot be "taken down"
    const inReview = await ukPetition();
    await mina.act(`/staff/petitions/${inReview}/checkout`);
    const refused = await mina.act(`/staff/petitions/${inReview}/take-down`, { reason_code: 'advertising' });
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('invalid_transition');
  });

  it('Mina corrects a petition before publishing it: the diff is audited and Charlie is told', async () => {
    const id = await ukPetition({ title: 'Make the goverment fix potholes', body: 'Roads are bad.' });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${id}/checkout`);
    const res = await mina.act(`/staff/petitions/${id}/edit`, {
      title: 'Make the Government fix potholes',
      body: 'Roads are bad.',
      reason: 'spelling',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await petition(id)).title).toBe('Make the Government fix potholes');
    const edit = (await audits(id)).find((a) => a.action === 'petition.edit');
    expect(((edit?.after ?? {}) as { edit?: unknown }).edit).toEqual({
      title: { before: 'Make the goverment fix potholes', after: 'Make the Government fix potholes' },
      body: { before: 'Roads are bad.', after: 'Roads are bad.' },
    });
    expect((await outbox(id)).map((o) => (o.payload as { decision?: string }).decision)).toContain('edited');
    // an edit is held to the creator's rules: no links in the title
    await mina.act(`/staff/petitions/${id}/checkout`);
    const link = await mina.act(`/staff/petitions/${id}/edit`, { title: 'See www.example.com', body: 'x' });
    expect(link.status).toBe(422);
    expect(await errorCode(link)).toBe('invalid_petition');
  });

  it('the gathering-support and awaiting-moderation pages show counts, never the unchecked text', async () => {
    const gathering = await ukPetition({
      state: 'collecting_pre_agreements',
      count: 1,
      title: 'Secret draft text',
    });
    const g = await page(`/petitions/${gathering}`);
    expect(g.status).toBe(200);
    expect(g.html).toContain('This petition is gathering support');
    expect(g.html).toContain('1 supporter of the 5');
    expect(g.html).not.toContain('Secret draft text');
    const waiting = await ukPetition({ count: 7, title: 'Another unchecked text' });
    const w = await page(`/petitions/${waiting}`);
    expect(w.html).toContain('This petition is awaiting moderation');
    expect(w.html).toContain('7 supporters');
    expect(w.html).toMatch(/within 10 days/);
    expect(w.html).not.toContain('Another unchecked text');
  });

  it('Laura schedules a debate, records its outcome; the page, lists, API and petitioners all hear of it', async () => {
    const id = await ukPetition({
      state: 'open',
      count: 123_456,
      debate: 'awaiting',
      title: 'Debate tuition fees',
    });
    expect((await page('/petitions?state=awaiting_debate')).html).toContain('Debate tuition fees');
    const laura = await signIn(people.laura);
    // moderators are not the Committee's clerks
    const mina = await signIn(people.mina);
    expect((await mina.act(`/staff/petitions/${id}/debate/schedule`, { on: '2027-01-18' })).status).toBe(403);
    const bad = await laura.act(`/staff/petitions/${id}/debate/schedule`, { on: '2027-02-30' });
    expect(bad.status).toBe(400);
    const res = await laura.act(`/staff/petitions/${id}/debate/schedule`, { on: '2027-01-18' });
    expect(res.status, await res.clone().text()).toBe(200);
    const scheduled = await page(`/petitions/${id}`);
    expect(scheduled.html).toContain('Debate scheduled');
    expect(scheduled.html).toContain('18 Jan 2027');
    expect(scheduled.html).not.toMatch(/GMT|Coordinated Universal Time/);
    expect((await page('/petitions?state=debate_scheduled')).html).toContain('Debate tuition fees');
    const outcome = await laura.act(`/staff/petitions/${id}/debate/outcome`, {
      debated_on: '2027-01-18',
      overview: 'MPs debated the cost of tuition and the Minister replied.',
      transcript_url: 'https://hansard.parliament.uk/commons/2027-01-18/debates/1',
      video_url: 'https://parliamentlive.tv/event/index/1',
      research_url: 'javascript:alert(1)',
    });
    expect(outcome.status).toBe(400); // only https links
    const ok = await laura.act(`/staff/petitions/${id}/debate/outcome`, {
      debated_on: '2027-01-18',
      overview: 'MPs debated the cost of tuition and the Minister replied.',
      transcript_url: 'https://hansard.parliament.uk/commons/2027-01-18/debates/1',
      video_url: 'https://parliamentlive.tv/event/index/1',
      research_url: 'https://commonslibrary.parliament.uk/research-briefings/cdp-2027-0001/',
    });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const debated = await page(`/petitions/${id}`);
    expect(debated.html).toContain('Debated in Parliament');
    expect(debated.html).toContain('MPs debated the cost of tuition');
    expect(debated.html).toContain('href="https://hansard.parliament.uk/commons/2027-01-18/debates/1"');
    expect((await page('/petitions?state=debated')).html).toContain('Debate tuition fees');
    const api = (await (await app.request(`/api/v1/petitions/${id}`)).json()) as Record<string, unknown>;
    expect(api.debate).toMatchObject({
      state: 'debated',
      debated_on: '2027-01-18',
      transcript_url: 'https://hansard.parliament.uk/commons/2027-01-18/debates/1',
    });
    expect((api.timeline as Array<{ stage: string; on: string }>).map((e) => [e.stage, e.on])).toEqual([
      ['scheduled', '2027-01-18'],
      ['debated', '2027-01-18'],
    ]);
    expect((await outbox(id)).map((o) => o.kind)).toEqual([
      'signers.debate_scheduled',
      'creator.debate_scheduled',
      'signers.debate_outcome',
      'creator.debate_outcome',
    ]);
    expect((await audits(id)).map((a) => a.action)).toEqual([
      'petition.debate_scheduled',
      'petition.debated',
    ]);
    // the outcome is final
    const again = await laura.act(`/staff/petitions/${id}/debate/not-debated`, { reason: 'x' });
    expect(again.status).toBe(409);
  });

  it('Laura records that the Committee decided not to debate a petition, with a public reason', async () => {
    const id = await ukPetition({
      state: 'open',
      count: 100_001,
      debate: 'awaiting',
      title: 'Debate the speed limit',
    });
    const laura = await signIn(people.laura);
    expect((await laura.act(`/staff/petitions/${id}/debate/not-debated`, { reason: '' })).status).toBe(400);
    const res = await laura.act(`/staff/petitions/${id}/debate/not-debated`, {
      reason: 'The Committee debated this issue in March; it will not be debated again.',
    });
    expect(res.status).toBe(200);
    const shown = await page(`/petitions/${id}`);
    expect(shown.html).toContain('Not debated');
    expect(shown.html).toContain('will not be debated again');
    expect((await page('/petitions?state=not_debated')).html).toContain('Debate the speed limit');
    const kinds = (await outbox(id)).map((o) => o.kind);
    expect(kinds).toEqual(['signers.debate_outcome', 'creator.debate_outcome']);
    // a petition still short of 100,000 has nothing to schedule
    const small = await ukPetition({ state: 'open', count: 50 });
    expect((await laura.act(`/staff/petitions/${small}/debate/schedule`, { on: '2027-01-18' })).status).toBe(
      409,
    );
    // and the UK has no committee-referral track
    const committee = await laura.act(`/staff/petitions/${id}/committee`, {
      stage: 'referred',
      committee: 'x',
    });
    expect(committee.status).toBe(409);
  });

  it('lists petitions awaiting a government response and those with one', async () => {
    const id = await ukPetition({
      state: 'open',
      count: 20_000,
      debate: 'none',
      title: 'Respond about bus fares',
    });
    await h.db
      .updateTable('petitions')
      .set({ response_state: 'awaiting', response_threshold_reached_at: new Date('2026-12-01T10:00:00Z') })
      .where('id', '=', id)
      .execute();
    expect((await page('/petitions?state=awaiting_response')).html).toContain('Respond about bus fares');
    expect((await page('/petitions?state=with_response')).html).not.toContain('Respond about bus fares');
    expect((await page('/petitions?state=awaiting_response')).html).toContain(
      'Awaiting a government response',
    );
  });
});
