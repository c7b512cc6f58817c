import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../src/http/app.js';
import type { TestDatabase } from './support/databases.js';
import { contentDigest } from './support/digest.js';
import { openPetition } from './support/factories.js';
import { StaffBrowser } from './support/staff-browser.js';
import { STAFF_ORIGIN, STAFF_SECRET, type StaffCredentials, startStaffSite } from './support/staff-site.js';

/**
 * The responder's pages (/staff/responses), through the staff web as a browser uses it (in-process requests).
 * Stories: Seo (responder) answers petitions; Mina (moderator) may not.
 */

const ORIGIN = STAFF_ORIGIN;
const SECRET = STAFF_SECRET;

let h: TestDatabase;
let app: ReturnType<typeof createApp>;
const clock = { now: new Date('2026-11-29T06:00:00Z') };

type Credentials = StaffCredentials;
const people: Record<'seo' | 'mina', Credentials> = {} as never;
let close: () => Promise<void>;

async function signIn(who: Credentials): Promise<StaffBrowser> {
  const b = new StaffBrowser(app, ORIGIN, SECRET);
  const code = URI.parse(who.totpUri).generate({ timestamp: clock.now.getTime() });
  const res = await b.post('/staff/login', { email: who.email, password: who.password, code });
  expect(res.status, await res.clone().text()).toBe(303);
  clock.now = new Date(clock.now.getTime() + 31_000); // a TOTP code is accepted once
  return b;
}

const answer = (overrides: Record<string, string> = {}) => ({
  title: '도서관 운영 시간 청원 답변',
  body: '안녕하십니까. **두 청원**에 함께 답변드립니다.\n\n- 평일 22시까지 연장합니다.',
  videoUrl: 'https://video.example/answer-1',
  videoCaptionUrl: 'https://video.example/answer-1.vtt',
  responderName: '김민수',
  responderTitle: '디지털소통센터장',
  ...overrides,
});

/** Everything answering can change: petitions, answers, links, revisions, audit entries, queued mail. */
async function everything(): Promise<string> {
  const count = async (table: 'official_response_revisions' | 'audit_log' | 'notification_outbox') =>
    (
      await h.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  return [
    await contentDigest(h.db),
    await count('official_response_revisions'),
    await count('audit_log'),
    await count('notification_outbox'),
  ].join(',');
}

const responseAudit = () =>
  h.db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'subject_id', 'staff_id'])
    .where('subject_type', '=', 'response')
    .orderBy('id')
    .execute();

beforeAll(async () => {
  const staff = await startStaffSite(clock, { seo: ['responder'], mina: ['moderator'] });
  ({ h, app, close } = staff);
  Object.assign(people, staff.people);
}, 60_000);

afterAll(async () => {
  await close();
});

describe('responder pages', () => {
  it('Seo finds a petition awaiting an answer and opens the form with its number filled in', async () => {
    const id = await openPetition(h.db, { title: '답변을 기다리는 청원' });
    await h.db
      .updateTable('petitions')
      .set({
        response_state: 'awaiting',
        response_threshold_reached_at: clock.now,
        response_due_at: new Date('2026-12-29T15:00:00Z'),
      })
      .where('id', '=', id)
      .execute();
    const seo = await signIn(people.seo);
    const list = await (await seo.get('/staff/responses')).text();
    expect(list).toContain(`href="/staff/responses/new?petitions=${id}"`);
    const form = await seo.get(`/staff/responses/new?petitions=${id}`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toMatch(new RegExp(`name="petitions"[^>]*value="${id}"`));
    expect(html).toContain(`name="csrf" value="${seo.csrf}"`);
    expect(html).toContain('마크다운'); // the note on allowed formatting
  });

  it('Seo publishes one joint answer for two petitions; both petition pages show it; the audit log records it', async () => {
    const first = await openPetition(h.db, { title: '도서관 운영 시간 연장' });
    const second = await openPetition(h.db, { title: '도서관 주말 개관' });
    const seo = await signIn(people.seo);
    const res = await seo.act('/staff/responses', {
      petitions: `${first}, ${second}`,
      intent: 'publish',
      ...answer(),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const published = await h.db
      .selectFrom('official_responses')
      .select(['id', 'state'])
      .where('title', '=', answer().title)
      .executeTakeFirstOrThrow();
    expect(published.state).toBe('published');
    expect(res.headers.get('location')).toBe(`/staff/responses/drafts?published=${published.id}`);
    for (const id of [first, second]) {
      const page = await (await app.request(`${ORIGIN}/petitions/${id}`)).text();
      expect(page).toContain(answer().title);
      expect(page).toContain('<strong>두 청원</strong>');
      expect(page).toContain('디지털소통센터장');
      const row = await h.db
        .selectFrom('petitions')
        .select('response_state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.response_state).toBe('answered');
    }
    const audit = (await responseAudit()).filter((a) => a.subject_id === published.id);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['response.publish', people.seo.email]]);
    expect(audit[0]?.staff_id).not.toBeNull();
    const list = await (await seo.get(res.headers.get('location') ?? '')).text();
    expect(list).toContain(`${published.id}번 답변을 게시했습니다`);
    expect(list).toContain(`href="/staff/responses/new?response=${published.id}"`);
    // the answer's mail to each petition's signers shows as a fan-out in progress, for staff to follow
    const progress = await (await seo.get('/staff/responses')).text();
    expect(progress).toContain('알림 발송 진행');
    expect(progress).toMatch(/발송 대기열: [^<]*pending [1-9]/);
  });

  it('refuses a moderator (403) on every responder page and stores nothing', async () => {
    const id = await openPetition(h.db);
    const mina = await signIn(people.mina);
    const before = await everything();
    for (const path of ['/staff/responses', '/staff/responses/new', '/staff/responses/drafts']) {
      expect((await mina.get(path)).status, path).toBe(403);
    }
    const posted = await mina.act('/staff/responses', { petitions: id, intent: 'publish', ...answer() });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('권한');
    expect(await everything()).toBe(before);
  });

  it('shows refused content beside its field (422) and stores nothing: empty body, http video, unknown petition', async () => {
    const id = await openPetition(h.db);
    const seo = await signIn(people.seo);
    const before = await everything();

    const empty = await seo.act('/staff/responses', {
      petitions: id,
      intent: 'publish',
      ...answer({ body: '  ' }),
    });
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toMatch(/id="body-error"[^>]*>\s*답변 본문: 내용을 입력하십시오/);
    expect(emptyHtml).toContain('aria-invalid="true"');
    expect(emptyHtml).toContain(answer().title); // what was typed is kept in the form

    const http = await seo.act('/staff/responses', {
      petitions: id,
      intent: 'draft',
      ...answer({ videoUrl: 'http://video.example/a' }),
    });
    expect(http.status).toBe(422);
    expect(await http.text()).toMatch(/id="videoUrl-error"[^>]*>\s*영상 주소: https:\/\/ 로 시작하는/);

    const captionAlone = await seo.act('/staff/responses', {
      petitions: id,
      intent: 'publish',
      ...answer({ videoUrl: '' }),
    });
    expect(captionAlone.status).toBe(422);
    expect(await captionAlone.text()).toContain('id="videoCaptionUrl-error"');

    const noPetition = await seo.act('/staff/responses', {
      petitions: 'abc',
      intent: 'publish',
      ...answer(),
    });
    expect(noPetition.status).toBe(422);
    expect(await noPetition.text()).toContain('id="petitions-error"');

    const unknown = await seo.act('/staff/responses', {
      petitions: '99999999',
      intent: 'publish',
      ...answer(),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('id="petitions-error"');

    expect(await everything()).toBe(before);
  });

  it('accepts a form whose browser withholds Origin only with Sec-Fetch-Site: same-origin', async () => {
    const id = await openPetition(h.db);
    const seo = await signIn(people.seo);
    const before = await everything();
    const post = (site: string) =>
      seo.request('/staff/responses', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'null',
          'sec-fetch-site': site,
        },
        body: new URLSearchParams({ csrf: seo.csrf, petitions: id, intent: 'draft', ...answer() }).toString(),
      });
    expect((await post('cross-site')).status).toBe(403);
    expect(await everything()).toBe(before);
    expect((await post('same-origin')).status).toBe(303);
  });

  it('refuses a null byte or invalid UTF-8 in the form before anything is read (400 invalid_body)', async () => {
    const id = await openPetition(h.db);
    const seo = await signIn(people.seo);
    const before = await everything();
    const nul = await seo.act('/staff/responses', {
      petitions: id,
      intent: 'publish',
      ...answer({ body: '답변\u0000본문' }),
    });
    expect(nul.status).toBe(400);
    expect(await nul.text()).toContain('NUL');
    const fields = new URLSearchParams({ csrf: seo.csrf, petitions: id, intent: 'publish', ...answer() });
    const badUtf8 = await seo.postRaw('/staff/responses', `${fields.toString()}&title=%C3%28`);
    expect(badUtf8.status).toBe(400);
    expect(await everything()).toBe(before);
  });

  it('Seo saves a draft, revises it (the form shows the current text), publishes it, then revises the published answer; every version is kept', async () => {
    const id = await openPetition(h.db, { title: '공원 조성 청원' });
    const seo = await signIn(people.seo);
    const saved = await seo.act('/staff/responses', {
      petitions: id,
      intent: 'draft',
      ...answer({ title: '공원 청원 답변 (초안)', body: '첫 초안입니다.' }),
    });
    expect(saved.status).toBe(303);
    const draft = await h.db
      .selectFrom('official_responses')
      .select(['id', 'state'])
      .where('title', '=', '공원 청원 답변 (초안)')
      .executeTakeFirstOrThrow();
    expect(draft.state).toBe('draft');
    // not public yet
    expect(await (await app.request(`${ORIGIN}/petitions/${id}`)).text()).not.toContain('첫 초안입니다.');

    const drafts = await (await seo.get('/staff/responses/drafts')).text();
    expect(drafts).toContain(`action="/staff/responses/${draft.id}/publish"`);
    const editing = await (await seo.get(`/staff/responses/new?response=${draft.id}`)).text();
    expect(editing).toContain('첫 초안입니다.');
    expect(editing).toContain(`action="/staff/responses/${draft.id}/revise"`);

    const revised = await seo.act(`/staff/responses/${draft.id}/revise`, {
      ...answer({ title: '공원 청원 답변', body: '고친 초안입니다.' }),
    });
    expect(revised.status).toBe(303);
    const badRevision = await seo.act(`/staff/responses/${draft.id}/revise`, answer({ body: '' }));
    expect(badRevision.status).toBe(422);
    expect(await badRevision.text()).toContain('id="body-error"');

    const published = await seo.act(`/staff/responses/${draft.id}/publish`);
    expect(published.status).toBe(303);
    expect(await (await app.request(`${ORIGIN}/petitions/${id}`)).text()).toContain('고친 초안입니다.');

    const again = await seo.act(
      `/staff/responses/${draft.id}/revise`,
      answer({ title: '공원 청원 답변', body: '게시 뒤 고친 답변입니다.' }),
    );
    expect(again.status).toBe(303);
    const page = await (await app.request(`${ORIGIN}/petitions/${id}`)).text();
    expect(page).toContain('게시 뒤 고친 답변입니다.');
    expect(page).toContain('2026-11-29 수정됨');
    expect(page).toMatch(/수정 이력 \(1건\)[\s\S]*고친 초안입니다\./); // the earlier text stays, in the history

    const revisions = await h.db
      .selectFrom('official_response_revisions')
      .select(['revision', 'phase', 'body', 'actor_label'])
      .where('official_response_id', '=', draft.id)
      .orderBy('revision')
      .execute();
    expect(revisions.map((r) => [r.revision, r.phase, r.body])).toEqual([
      [1, 'draft', '첫 초안입니다.'],
      [2, 'draft', '고친 초안입니다.'],
      [3, 'published', '고친 초안입니다.'],
      [4, 'revised', '게시 뒤 고친 답변입니다.'],
    ]);
    expect(new Set(revisions.map((r) => r.actor_label))).toEqual(new Set([people.seo.email]));
    const row = await h.db
      .selectFrom('official_responses')
      .select('revised_at')
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    expect(row.revised_at).not.toBeNull();
    const audit = (await responseAudit()).filter((a) => a.subject_id === draft.id).map((a) => a.action);
    expect(audit).toEqual(['response.revise', 'response.publish', 'response.revise']);

    // publishing it twice is refused
    const twice = await seo.act(`/staff/responses/${draft.id}/publish`);
    expect(twice.status).toBe(409);
  });
});
