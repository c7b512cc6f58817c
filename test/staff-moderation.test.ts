import { sql } from 'kysely';
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../src/commands/add-staff.js';
import { checkOutPetition as checkOut } from '../src/commands/check-out-petition.js';
import { recordEvidence } from '../src/commands/desk/record-evidence.js';
import { setCaptureStorage } from '../src/commands/desk/set-capture-storage.js';
import { submitCase } from '../src/commands/desk/submit-case.js';
import { flagOverdueReviews } from '../src/commands/flag-overdue-reviews.js';
import { loadConfig } from '../src/config/env.js';
import type { StaffRole } from '../src/db/schema.js';
import { countEffects } from '../src/domain/count-effects.js';
import { searchColumns } from '../src/domain/search-text.js';
import { hashToken } from '../src/domain/tokens.js';
import { createApp } from '../src/http/app.js';
import type { Site } from '../src/http/site.js';
import { STAFF_ROUTE_POLICY } from '../src/http/staff/routes.js';
import { createOidcClient } from '../src/signing/oidc.js';
import { createSigning } from '../src/wiring/signing.js';
import type { TestDatabase } from './support/databases.js';
import { openPetition, writerDeps } from './support/factories.js';
import { loginAs, startTestProvider } from './support/oidc-provider.js';
import { StaffBrowser } from './support/staff-browser.js';
import {
  STAFF_CONTEXT,
  STAFF_ORIGIN,
  STAFF_SECRET,
  type StaffCredentials,
  startStaffSite,
} from './support/staff-site.js';

/**
 * Staff, access, audit and the moderation queue, through the staff web as a browser uses it (in-process requests).
 * Stories: an administrator, Mina (moderator), Joon (moderator), Seo (responder).
 */

const ORIGIN = STAFF_ORIGIN;
const SECRET = STAFF_SECRET;
const staffContext = STAFF_CONTEXT;

let h: TestDatabase;
let site: Site;
let app: ReturnType<typeof createApp>;
const clock = { now: new Date('2026-11-29T06:00:00Z') };
const advance = (ms: number) => {
  clock.now = new Date(clock.now.getTime() + ms);
};

type Credentials = StaffCredentials;
const people: Record<'admin' | 'mina' | 'joon' | 'seo' | 'dana', Credentials> = {} as never;
let close: () => Promise<void>;

/** A staff browser on this file's app (or `target`), asking for JSON so refusals can be asserted by code. */
class Browser extends StaffBrowser {
  constructor(target?: ReturnType<typeof createApp>) {
    super(target ?? app, ORIGIN, SECRET, { json: true });
  }
}

const code = (who: Credentials, at = clock.now) =>
  URI.parse(who.totpUri).generate({ timestamp: at.getTime() });

async function signIn(who: Credentials): Promise<Browser> {
  const b = new Browser();
  const res = await b.post('/staff/login', { email: who.email, password: who.password, code: code(who) });
  expect(res.status, await res.clone().text()).toBe(200);
  // each test step moves the clock on so the next sign-in uses a new TOTP step (a code is accepted once)
  advance(31_000);
  return b;
}

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? `(status ${res.status}, no error code)`;
}

/** A fingerprint of everything staff actions can change. */
async function digest(): Promise<string> {
  const tables = [
    'petitions',
    'staff_accounts',
    'audit_log',
    'moderation_checkouts',
    'moderation_decisions',
    'petition_redactions',
    'reject_reasons',
    'moderation_settings',
    'profile_settings',
    'desk_cases',
    'desk_takedowns',
    'desk_notices',
    'desk_evidence',
    'desk_settings',
  ];
  const parts: string[] = [];
  for (const t of tables) {
    const r = await sql<{
      d: string | null;
    }>`select md5(coalesce(string_agg(row_to_json(x)::text, '|' order by row_to_json(x)::text), '')) as d from ${sql.table(t)} x`.execute(
      h.db,
    );
    parts.push(`${t}:${r.rows[0]?.d}`);
  }
  return parts.join(',');
}

async function inReviewPetition(
  options: { title?: string; body?: string; category?: string } = {},
): Promise<string> {
  const row = await h.db
    .insertInto('petitions')
    .values({
      profile: 'cheongwadae',
      category: options.category ?? 'other',
      title: options.title ?? '검토를 기다리는 청원',
      body: options.body ?? '도서관 운영 시간을 늘려 주십시오.',
      ...searchColumns(
        options.title ?? '검토를 기다리는 청원',
        options.body ?? '도서관 운영 시간을 늘려 주십시오.',
      ),
      state: 'in_review',
      review_started_at: new Date(clock.now.getTime() - 2 * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A victim's case with a takedown, its notice and a stored capture, for the desk routes of the walk. */
async function deskRecords() {
  const made = await submitCase(
    { db: h.db, secret: SECRET, operatorName: 'Center', now: clock.now },
    {
      hashes: [{ algorithm: 'md5', hash: 'abcdef0123456789abcdef0123456789' }],
      urls: ['https://x.example.com/1'],
      locale: 'ko',
    },
  );
  const t = await h.db
    .selectFrom('desk_takedowns')
    .select('id')
    .where('case_id', '=', made.caseId)
    .executeTakeFirstOrThrow();
  const n = await h.db
    .selectFrom('desk_notices')
    .select('id')
    .where('takedown_id', '=', t.id)
    .executeTakeFirstOrThrow();
  const cli = { staffId: null, name: 'cli:test' };
  await setCaptureStorage(h.db, { on: true, reason: 'test', actor: cli, now: clock.now });
  const e = await recordEvidence(h.db, {
    takedownId: t.id,
    capture: Buffer.from('page'),
    secret: SECRET,
    actor: cli,
    now: clock.now,
  });
  return { caseId: made.caseId, takedownId: t.id, noticeId: n.id, evidenceId: e.evidenceId };
}

const state = async (id: string) =>
  (await h.db.selectFrom('petitions').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const auditCount = async () =>
  Number(
    (
      await h.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  const staff = await startStaffSite(clock, {
    admin: ['administrator'],
    mina: ['moderator'],
    joon: ['moderator'],
    seo: ['responder'],
    dana: ['desk_officer'],
  });
  ({ h, site, app, close } = staff);
  Object.assign(people, staff.people);
}, 60_000);

afterAll(async () => {
  await close();
});

describe('sign-in: password and TOTP', () => {
  it('signs in with the right password and code; the cookie is HttpOnly, SameSite=Strict, scoped to /staff', async () => {
    const b = await signIn(people.mina);
    const cookie = b.setCookies.find((c) => c.startsWith('cw_staff='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/staff/);
    expect(cookie).not.toMatch(/Secure/); // http deployment; https ones set it
    const token = b.cookies.get('cw_staff') ?? '';
    const stored = await h.db.selectFrom('staff_sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token); // only its hash is stored
    const res = await b.get('/staff');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('mina@cheongwon.test');
  });

  it('refuses a wrong password and a wrong code with the same answer', async () => {
    const b = new Browser();
    const wrongPassword = await b.post('/staff/login', {
      email: people.mina.email,
      password: 'nope',
      code: code(people.mina),
    });
    expect(wrongPassword.status).toBe(401);
    expect(await errorCode(wrongPassword)).toBe('invalid_credentials');
    const wrong = code(people.mina) === '000000' ? '111111' : '000000';
    const wrongCode = await b.post('/staff/login', {
      email: people.mina.email,
      password: people.mina.password,
      code: wrong,
    });
    expect(wrongCode.status).toBe(401);
    expect(await errorCode(wrongCode)).toBe('invalid_credentials');
    const unknown = await b.post('/staff/login', {
      email: 'nobody@cheongwon.test',
      password: 'x',
      code: '123456',
    });
    expect(await errorCode(unknown)).toBe('invalid_credentials');
    expect(b.cookies.has('cw_staff')).toBe(false);
  });

  it('stops answering after 10 failed sign-ins for one email (429), and a success is then refused too', async () => {
    const target = await addStaff(h.db, {
      email: 'target@cheongwon.test',
      roles: ['moderator'],
      secret: SECRET,
      actor: { staffId: null, name: 'cli:test' },
      now: clock.now,
    });
    const b = new Browser();
    for (let i = 0; i < 10; i++) {
      const res = await b.post('/staff/login', {
        email: target.email,
        password: `guess-${i}`,
        code: '123456',
      });
      expect(res.status).toBe(401);
    }
    const limited = await b.post('/staff/login', {
      email: target.email,
      password: target.initialPassword,
      code: URI.parse(target.totpUri).generate({ timestamp: clock.now.getTime() }),
    });
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toMatch(/^[0-9]+$/);
  });

  it('refuses a TOTP code replayed within its window', async () => {
    advance(31_000);
    const fields = { email: people.joon.email, password: people.joon.password, code: code(people.joon) };
    const first = await new Browser().post('/staff/login', fields);
    expect(first.status).toBe(200);
    advance(5_000); // same 30-second step: the code is still "valid" for a clock, but was used
    const replay = await new Browser().post('/staff/login', fields);
    expect(replay.status).toBe(401);
    expect(await errorCode(replay)).toBe('invalid_credentials');
    advance(31_000);
  });

  it('ends a session after 8 hours and after sign-out', async () => {
    const b = await signIn(people.seo);
    expect((await b.get('/staff', true)).status).toBe(200);
    const saved = clock.now;
    clock.now = new Date(saved.getTime() + 8 * 3600_000 + 1000);
    const expired = await b.get('/staff', true);
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('unauthenticated');
    clock.now = new Date(saved.getTime() + 31_000);
    const again = await signIn(people.seo);
    expect((await again.act('/staff/logout')).status).toBe(303);
    const token = [...again.cookies.values()].length;
    expect(token).toBe(0);
  });

  it('refuses bad input to the sign-in form with 4xx', async () => {
    const b = new Browser();
    const invalidUtf8 = await b.request('/staff/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        accept: 'application/json',
      },
      body: 'email=%FF&password=x&code=1',
    });
    expect(invalidUtf8.status).toBe(400);
    const huge = await b.post('/staff/login', { email: 'a@b.kr', password: 'x'.repeat(40_000), code: '1' });
    expect(huge.status).toBe(413);
    const json = await b.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, accept: 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
  });
});

describe('authorisation: every staff route × every role × anonymous', () => {
  it('refuses each route to anonymous visitors (401) and to roles it does not allow (403), changing nothing', async () => {
    const petition = await inReviewPetition({ title: '권한 시험 청원' });
    const desk = await deskRecords();
    const browsers: Record<StaffRole, Browser> = {
      administrator: await signIn(people.admin),
      moderator: await signIn(people.mina),
      responder: await signIn(people.seo),
      desk_officer: await signIn(people.dana),
    };
    const routes = new Map<string, { method: string; path: string }>();
    for (const r of app.routes) {
      if (!r.path.startsWith('/staff') || r.method === 'ALL') continue;
      routes.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
    }
    expect(routes.size).toBeGreaterThanOrEqual(20);
    // fields that would make each action succeed if authorisation failed open
    const fields = {
      reason: '권한 시험',
      reason_code: 'advertising',
      of: '1',
      roles: 'administrator',
      email: 'intruder@cheongwon.test',
      key: 'responseThreshold',
      value: '5',
      active: 'on',
      public_reason: '시험',
      code: 'test_reason',
      label: '시험',
      public_text: '시험',
      target_days: '5',
      near_days: '1',
      passages: '권한',
    };
    let checked = 0;
    for (const [key, r] of routes) {
      const policy = STAFF_ROUTE_POLICY.get(key);
      expect(policy, `${key} has no authorisation policy`).toBeDefined();
      if (policy === 'public' || policy === undefined) continue;
      const path = r.path
        .replace(':id', petition)
        .replace(':staffId', people.seo.id)
        .replace(':caseId', desk.caseId)
        .replace(':takedownId', desk.takedownId)
        .replace(':noticeId', desk.noticeId)
        .replace(':evidenceId', desk.evidenceId);
      const before = await digest();
      const anonymous =
        r.method === 'GET' ? await new Browser().get(path, true) : await new Browser().post(path, fields);
      expect(anonymous.status, `anonymous ${key}`).toBe(401);
      expect(await errorCode(anonymous)).toBe('unauthenticated');
      const allowed: Browser[] = [];
      for (const role of ['administrator', 'moderator', 'responder', 'desk_officer'] as const) {
        const b = browsers[role];
        if (policy.includes(role)) {
          allowed.push(b);
          continue;
        }
        const res = r.method === 'GET' ? await b.get(path, true) : await b.act(path, fields);
        expect(res.status, `${role} ${key}`).toBe(403);
        expect(await errorCode(res)).toBe('forbidden');
        checked++;
      }
      expect(await digest(), `a refused ${key} changed something`).toBe(before);
      // allowed: pages open (after the digest: opening a victim's case is itself audited); actions are exercised
      // by the stories below (running them here would sign out, disable accounts and publish mid-walk)
      if (r.method === 'GET')
        for (const b of allowed) expect((await b.get(path, true)).status, key).toBe(200);
    }
    expect(checked).toBeGreaterThan(20);
    // the desk officer's look at the case was audited; nobody else could look
    const views = await h.db
      .selectFrom('audit_log')
      .select(['action', 'staff_id'])
      .where('subject_type', '=', 'desk_case')
      .where('subject_id', '=', desk.caseId)
      .execute();
    expect(views).toEqual([{ action: 'desk.case.view', staff_id: people.dana.id }]);
  }, 60_000);

  it('a refused POST changes nothing (digest before and after each refusal)', async () => {
    const petition = await inReviewPetition();
    const responder = await signIn(people.seo);
    for (const [key, policy] of STAFF_ROUTE_POLICY) {
      const [method, path] = key.split(' ') as [string, string];
      if (method !== 'POST' || policy === 'public' || policy.includes('responder')) continue;
      const url = path.replace(':id', petition).replace(':staffId', people.mina.id);
      const before = await digest();
      const res = await responder.act(url, {
        reason: 'x',
        roles: 'administrator',
        reason_code: 'advertising',
        of: '1',
      });
      expect(res.status, key).toBe(403);
      const anon = await new Browser().post(url, { roles: 'administrator' });
      expect(anon.status, key).toBe(401);
      expect(await digest(), key).toBe(before);
    }
  });

  it('refuses a POST without the session CSRF token or from another origin (403 csrf_rejected)', async () => {
    const petition = await inReviewPetition();
    const mina = await signIn(people.mina);
    const otherSession = await signIn(people.joon);
    const before = await digest();
    const noToken = await mina.post(`/staff/petitions/${petition}/checkout`, {});
    expect(noToken.status).toBe(403);
    expect(await errorCode(noToken)).toBe('csrf_rejected');
    const wrongToken = await mina.post(`/staff/petitions/${petition}/checkout`, { csrf: otherSession.csrf });
    expect(await errorCode(wrongToken)).toBe('csrf_rejected');
    const crossSite = await mina.post(
      `/staff/petitions/${petition}/checkout`,
      { csrf: mina.csrf },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect(await errorCode(crossSite)).toBe('csrf_rejected');
    const noOrigin = await mina.request(`/staff/petitions/${petition}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: `csrf=${mina.csrf}`,
    });
    expect(noOrigin.status).toBe(403);
    expect(await digest()).toBe(before);
    // the page's forms carry the token
    const page = await (await mina.get(`/staff/petitions/${petition}`)).text();
    expect(page).toContain(`name="csrf" value="${mina.csrf}"`);
  });

  it('refuses null bytes and invalid UTF-8 in staff forms with 400, storing nothing', async () => {
    const petition = await inReviewPetition();
    const mina = await signIn(people.mina);
    expect((await mina.act(`/staff/petitions/${petition}/checkout`)).status).toBe(200);
    const before = await digest();
    const nul = await mina.act(`/staff/petitions/${petition}/hide`, { reason: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(await errorCode(nul)).toBe('invalid_body');
    const bad = await mina.request(`/staff/petitions/${petition}/hide`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        accept: 'application/json',
      },
      body: `csrf=${mina.csrf}&reason=%C3%28`,
    });
    expect(bad.status).toBe(400);
    expect(await digest()).toBe(before);
  });
});

describe('the queue and check-out', () => {
  it('lists petitions in review by waiting time, in buckets against the 10-day target', async () => {
    const old = await inReviewPetition({ title: '열이틀 기다린 청원' });
    const near = await inReviewPetition({ title: '여드레 기다린 청원' });
    await h.db
      .updateTable('petitions')
      .set({ review_started_at: new Date(clock.now.getTime() - 12 * 86_400_000) })
      .where('id', '=', old)
      .execute();
    await h.db
      .updateTable('petitions')
      .set({ review_started_at: new Date(clock.now.getTime() - 8 * 86_400_000) })
      .where('id', '=', near)
      .execute();
    const mina = await signIn(people.mina);
    const html = await (await mina.get('/staff/queue')).text();
    const over = html.slice(html.indexOf('queue-over'), html.indexOf('queue-near'));
    const nearPart = html.slice(html.indexOf('queue-near'), html.indexOf('queue-within'));
    expect(over).toContain('열이틀 기다린 청원');
    expect(nearPart).toContain('여드레 기다린 청원');
    expect(html.indexOf('열이틀 기다린 청원')).toBeLessThan(html.indexOf('여드레 기다린 청원'));
    // the lifecycle scheduler records the breach once; the queue then says since when
    expect(over).not.toContain('목표 초과');
    expect(await flagOverdueReviews({ db: h.db, defaultTargetDays: 10 }, clock.now)).toEqual([old]);
    const flagged = await (await mina.get('/staff/queue')).text();
    expect(flagged.slice(flagged.indexOf('queue-over'), flagged.indexOf('queue-near'))).toContain(
      '목표 초과',
    );
    expect(flagged.slice(flagged.indexOf('queue-near'), flagged.indexOf('queue-within'))).not.toContain(
      '목표 초과',
    );
  });

  it('gives a petition to one moderator at a time; the other is refused until it expires', async () => {
    const petition = await inReviewPetition({ title: '두 검토자' });
    const mina = await signIn(people.mina);
    const joon = await signIn(people.joon);
    expect((await mina.act(`/staff/petitions/${petition}/checkout`)).status).toBe(200);
    const taken = await joon.act(`/staff/petitions/${petition}/checkout`);
    expect(taken.status).toBe(409);
    expect(await errorCode(taken)).toBe('checked_out_elsewhere');
    const decideWithout = await joon.act(`/staff/petitions/${petition}/reject`, {
      reason_code: 'advertising',
    });
    expect(decideWithout.status).toBe(409);
    expect(await errorCode(decideWithout)).toBe('checkout_required');
    expect(await state(petition)).toBe('in_review');

    advance(31 * 60_000); // check-outs hold 30 minutes
    expect((await joon.act(`/staff/petitions/${petition}/checkout`)).status).toBe(200);
    const late = await mina.act(`/staff/petitions/${petition}/reject`, { reason_code: 'advertising' });
    expect(await errorCode(late)).toBe('checkout_required');
    expect(
      (await joon.act(`/staff/petitions/${petition}/reject`, { reason_code: 'advertising' })).status,
    ).toBe(200);
    expect(await state(petition)).toBe('rejected');
  });

  it('lets exactly one of two simultaneous check-outs win', async () => {
    const petition = await inReviewPetition();
    const results = await Promise.allSettled([
      checkOut(h.db, { petitionId: petition, staffId: people.mina.id, now: clock.now }),
      checkOut(h.db, { petitionId: petition, staffId: people.joon.id, now: clock.now }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.code).toBe('checked_out_elsewhere');
  });
});

describe('decisions and the audit log', () => {
  it('publishes with an audit entry (who, what, when, why, before/after) and a decision record for the creator', async () => {
    const petition = await inReviewPetition({ title: '공개될 청원' });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    const res = await mina.act(`/staff/petitions/${petition}/publish`, { reason: '문제 없음' });
    expect(res.status).toBe(200);
    const row = await h.db
      .selectFrom('petitions')
      .selectAll()
      .where('id', '=', petition)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('open');
    expect(row.opened_at?.toISOString()).toBe(clock.now.toISOString());
    expect(row.response_threshold).toBe(200_000);
    const entry = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', petition)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor: people.mina.email,
      staff_id: people.mina.id,
      action: 'petition.publish',
      reason: '문제 없음',
    });
    expect(entry.at.toISOString()).toBe(clock.now.toISOString());
    expect(entry.before).toMatchObject({ state: 'in_review' });
    expect(entry.after).toMatchObject({ state: 'open' });
    const decision = await h.db
      .selectFrom('moderation_decisions')
      .selectAll()
      .where('petition_id', '=', petition)
      .executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      decision: 'publish',
      staff_id: people.mina.id,
      creator_notified_at: null,
    });
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'dedupe_key'])
      .where('petition_id', '=', petition)
      .execute();
    expect(outbox).toEqual([
      { kind: 'creator.review_decision', dedupe_key: `creator.review_decision:${petition}:published` },
    ]);
    // the check-out ends with the decision
    expect(
      await h.db
        .selectFrom('moderation_checkouts')
        .select('petition_id')
        .where('petition_id', '=', petition)
        .execute(),
    ).toEqual([]);
  });

  it('a decision whose audit entry cannot be written leaves neither the change nor the decision', async () => {
    const petition = await inReviewPetition();
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    const entries = await auditCount();
    await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit store unavailable'; end $$`.execute(
      h.db,
    );
    await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(
      h.db,
    );
    try {
      const res = await mina.act(`/staff/petitions/${petition}/reject`, { reason_code: 'advertising' });
      expect(res.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_audit on audit_log`.execute(h.db);
      await sql`drop function refuse_audit()`.execute(h.db);
    }
    expect(await state(petition)).toBe('in_review');
    expect(await auditCount()).toBe(entries);
    expect(
      await h.db
        .selectFrom('moderation_decisions')
        .select('id')
        .where('petition_id', '=', petition)
        .execute(),
    ).toEqual([]);
  });

  it('a refused decision (unknown reason) leaves neither change nor log', async () => {
    const petition = await inReviewPetition();
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    const entries = await auditCount();
    const res = await mina.act(`/staff/petitions/${petition}/reject`, { reason_code: 'no_such_reason' });
    expect(res.status).toBe(400);
    expect(await state(petition)).toBe('in_review');
    expect(await auditCount()).toBe(entries);
  });

  it('keeps the audit log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    expect(await auditCount()).toBeGreaterThan(0);
    await expect(sql`update audit_log set reason = 'rewritten'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('rejects with a public reason shown on the petition page, never the text', async () => {
    const petition = await inReviewPetition({ title: '광고 청원', body: '우리 가게 할인 행사 광고본문QQ' });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    await mina.act(`/staff/petitions/${petition}/reject`, { reason_code: 'advertising' });
    const page = await (await app.request(`/petitions/${petition}`)).text();
    expect(page).toContain('광고나 홍보를 위한 글이어서 공개하지 않았습니다.');
    expect(page).not.toContain('광고본문QQ');
  });

  it('marks a duplicate: its page points to the original', async () => {
    const original = await openPetition(h.db, { title: '원래 청원' });
    const petition = await inReviewPetition({ title: '같은 청원' });
    const joon = await signIn(people.joon);
    await joon.act(`/staff/petitions/${petition}/checkout`);
    expect((await joon.act(`/staff/petitions/${petition}/duplicate`, { of: original })).status).toBe(200);
    const page = await (await app.request(`/petitions/${petition}`)).text();
    expect(page).toContain(`href="/petitions/${original}"`);
    expect(await state(petition)).toBe('rejected');
  });

  it('hides wholly and un-hides back to open', async () => {
    const petition = await openPetition(h.db, { title: '숨겼다 되돌릴 청원' });
    const admin = await signIn(people.admin);
    await admin.act(`/staff/petitions/${petition}/checkout`);
    expect((await admin.act(`/staff/petitions/${petition}/hide`, { reason: '신고 확인 중' })).status).toBe(
      200,
    );
    expect((await app.request(`/petitions/${petition}`)).status).toBe(404);
    await admin.act(`/staff/petitions/${petition}/checkout`);
    expect((await admin.act(`/staff/petitions/${petition}/unhide`, { reason: '문제 없음' })).status).toBe(
      200,
    );
    expect(await state(petition)).toBe('open');
    const actions = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', petition)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['petition.hide', 'petition.unhide']);
    // the creator is told of each, hiding and un-hiding being repeatable (one row per decision)
    const decisions = await h.db
      .selectFrom('moderation_decisions')
      .select(['id', 'decision'])
      .where('petition_id', '=', petition)
      .orderBy('id')
      .execute();
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'dedupe_key', 'payload'])
      .where('petition_id', '=', petition)
      .orderBy('id')
      .execute();
    expect(outbox.map((o) => o.dedupe_key)).toEqual([
      `creator.review_decision:${petition}:hidden:${decisions[0]?.id}`,
      `creator.review_decision:${petition}:unhidden:${decisions[1]?.id}`,
    ]);
    // the staff note ('신고 확인 중') is internal: it is not in the creator's mail
    expect(JSON.stringify(outbox)).not.toContain('신고 확인 중');

    {
      // a petition whose deadline passes while it is hidden is un-hidden closed, with everything closing brings
      const deadline = new Date(clock.now.getTime() - 3_600_000);
      const closing = await openPetition(h.db, {
        title: '숨긴 사이 마감된 청원',
        openedAt: new Date(deadline.getTime() - 30 * 86_400_000),
        closesAt: new Date(clock.now.getTime() + 3_600_000),
        count: 7,
      });
      await admin.act(`/staff/petitions/${closing}/checkout`);
      expect((await admin.act(`/staff/petitions/${closing}/hide`, { reason: '신고 확인 중' })).status).toBe(
        200,
      );
      // the deadline passes while it is hidden
      await h.db.updateTable('petitions').set({ closes_at: deadline }).where('id', '=', closing).execute();
      await admin.act(`/staff/petitions/${closing}/checkout`);
      expect((await admin.act(`/staff/petitions/${closing}/unhide`, { reason: '문제 없음' })).status).toBe(
        200,
      );
      const row = await h.db
        .selectFrom('petitions')
        .select(['state', 'closed_at'])
        .where('id', '=', closing)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe('closed');
      expect(row.closed_at?.toISOString()).toBe(deadline.toISOString());
      const trail = await h.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject_type', '=', 'petition')
        .where('subject_id', '=', closing)
        .orderBy('id')
        .execute();
      expect(trail.map((a) => a.action)).toEqual(['petition.hide', 'petition.close', 'petition.unhide']);
      const kinds = await h.db
        .selectFrom('notification_outbox')
        .select('kind')
        .where('petition_id', '=', closing)
        .orderBy('id')
        .execute();
      expect(kinds.map((k) => k.kind)).toEqual([
        'creator.review_decision',
        'creator.closed',
        'creator.review_decision',
      ]);
    }
  });
});

describe('partial hiding', () => {
  const SECRET_TEXT = '김비밀씨의집주소XQ7';

  it('never shows the hidden passage publicly (page, API, search); staff see it', async () => {
    const petition = await openPetition(h.db, { title: '일부를 숨길 청원' });
    await h.db
      .updateTable('petitions')
      .set({ body: `가해자는 ${SECRET_TEXT}에 산다고 합니다. 처벌해 주십시오.` })
      .where('id', '=', petition)
      .execute();
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    const res = await mina.act(`/staff/petitions/${petition}/hide-in-part`, {
      field: 'body',
      passages: SECRET_TEXT,
      label: '개인정보',
      reason: '주소 노출',
    });
    expect(res.status).toBe(200);

    const page = await (await app.request(`/petitions/${petition}`)).text();
    expect(page).not.toContain(SECRET_TEXT);
    expect(page).toContain('[일부 숨김: 개인정보]');
    const api = await (await app.request(`/api/v1/petitions/${petition}`)).text();
    expect(api).not.toContain(SECRET_TEXT);
    expect(api).toContain('[일부 숨김: 개인정보]');
    const search = await (await app.request(`/search?q=${encodeURIComponent('XQ7')}`)).text();
    expect(search).not.toContain('일부를 숨길 청원');
    const apiSearch = (await (await app.request(`/api/v1/petitions?q=XQ7`)).json()) as {
      data?: unknown[];
      total?: number;
    };
    expect(JSON.stringify(apiSearch)).not.toContain(SECRET_TEXT);
    expect(JSON.stringify(apiSearch)).not.toContain('일부를 숨길 청원');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('subject_id', '=', petition)
      .execute();
    expect(JSON.stringify(audit)).not.toContain(SECRET_TEXT);

    const staffPage = await (await mina.get(`/staff/petitions/${petition}`)).text();
    expect(staffPage).toContain(SECRET_TEXT);
  });

  it('un-hiding in part restores the original text', async () => {
    const row = await h.db
      .selectFrom('petitions')
      .select('id')
      .where('title', '=', '일부를 숨길 청원')
      .executeTakeFirstOrThrow();
    const admin = await signIn(people.admin);
    await admin.act(`/staff/petitions/${row.id}/checkout`);
    expect(
      (await admin.act(`/staff/petitions/${row.id}/unhide-in-part`, { reason: '당사자 동의' })).status,
    ).toBe(200);
    const page = await (await app.request(`/petitions/${row.id}`)).text();
    expect(page).toContain(SECRET_TEXT);
  });
});

describe('personal-data flags block publication', () => {
  const body = '제 이웃의 휴대전화 010-2345-6789로 연락이 옵니다. 조치해 주십시오.';

  it('refuses to publish with unresolved flags; an explicit override is audited', async () => {
    const petition = await inReviewPetition({ title: '개인정보 청원', body });
    const mina = await signIn(people.mina);
    await mina.act(`/staff/petitions/${petition}/checkout`);
    const review = await (await mina.get(`/staff/petitions/${petition}`)).text();
    expect(review).toContain('<mark class="personal-data"');
    const refused = await mina.act(`/staff/petitions/${petition}/publish`);
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('personal_data_unresolved');
    expect(await state(petition)).toBe('in_review');

    await mina.act(`/staff/petitions/${petition}/checkout`);
    const ok = await mina.act(`/staff/petitions/${petition}/publish`, {
      override_reason: '청원인 본인이 공개를 원한 번호',
    });
    expect(ok.status).toBe(200);
    expect(await state(petition)).toBe('open');
    const flags = await h.db
      .selectFrom('personal_data_flags')
      .selectAll()
      .where('petition_id', '=', petition)
      .execute();
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.resolution === 'overridden' && f.resolved_by === people.mina.id)).toBe(true);
    const entry = await h.db
      .selectFrom('audit_log')
      .select('after')
      .where('subject_id', '=', petition)
      .where('action', '=', 'petition.publish')
      .executeTakeFirstOrThrow();
    expect(entry.after).toMatchObject({
      personal_data_override: { reason: '청원인 본인이 공개를 원한 번호' },
    });
  });

  it('publishes once the flagged passages are masked with the suggested masks', async () => {
    const petition = await inReviewPetition({ title: '가릴 청원', body });
    const joon = await signIn(people.joon);
    await joon.act(`/staff/petitions/${petition}/checkout`);
    await joon.get(`/staff/petitions/${petition}`); // the review page detects and stores the flags
    const flags = await h.db
      .selectFrom('personal_data_flags')
      .select('id')
      .where('petition_id', '=', petition)
      .execute();
    expect(flags.length).toBeGreaterThan(0);
    const chosen = Object.fromEntries(flags.map((f) => [`flag_${f.id}`, 'on']));
    expect(
      (await joon.act(`/staff/petitions/${petition}/hide-in-part`, { field: 'body', ...chosen })).status,
    ).toBe(200);
    await joon.act(`/staff/petitions/${petition}/checkout`);
    expect((await joon.act(`/staff/petitions/${petition}/publish`)).status).toBe(200);
    const page = await (await app.request(`/petitions/${petition}`)).text();
    expect(page).not.toContain('010-2345-6789');
  });
});

describe('administration', () => {
  it('changes a policy setting through the staff web, audited with before/after', async () => {
    const admin = await signIn(people.admin);
    const res = await admin.act('/staff/settings/policy', {
      key: 'responseThreshold',
      value: '150000',
      reason: '기준 조정',
    });
    expect(res.status).toBe(200);
    expect(site.profile('cheongwadae').responseThreshold).toBe(150_000);
    const entry = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.policy')
      .executeTakeFirstOrThrow();
    expect(entry.before).toEqual({});
    expect(entry.after).toEqual({ responseThreshold: 150000 });
    const bad = await admin.act('/staff/settings/policy', { key: 'responseThreshold', value: '-1' });
    expect(bad.status).toBe(422);
    await admin.act('/staff/settings/policy', { key: 'responseThreshold', value: '' });
    expect(site.profile('cheongwadae').responseThreshold).toBe(200_000);
  });

  it('withholds a category during an election and says why; publishing it is refused', async () => {
    const admin = await signIn(people.admin);
    const reason = '제9회 전국동시지방선거 기간에는 정치개혁 분야 청원을 공개하지 않습니다.';
    expect(
      (
        await admin.act('/staff/settings/election', {
          active: 'on',
          'category_political-reform': 'on',
          public_reason: reason,
        })
      ).status,
    ).toBe(200);
    const open = await openPetition(h.db, { title: '정치 청원' });
    await h.db
      .updateTable('petitions')
      .set({ category: 'political-reform' })
      .where('id', '=', open)
      .execute();
    const page = await (await app.request(`/petitions/${open}`)).text();
    expect(page).toContain(reason);
    const waiting = await inReviewPetition({ category: 'political-reform' });
    await admin.act(`/staff/petitions/${waiting}/checkout`);
    const refused = await admin.act(`/staff/petitions/${waiting}/publish`);
    expect(await errorCode(refused)).toBe('election_withheld');
    await admin.act('/staff/settings/election', { public_reason: '' });
    expect(await (await app.request(`/petitions/${open}`)).text()).not.toContain(reason);
  });

  it('adds staff (credentials shown once), changes roles and disables, each audited', async () => {
    const admin = await signIn(people.admin);
    const added = await admin.request('/staff/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: new URLSearchParams({
        csrf: admin.csrf,
        email: 'New@Cheongwon.test',
        roles: 'moderator',
      }).toString(),
    });
    const html = await added.text();
    expect(html).toContain('otpauth://totp/');
    const row = await h.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('email', '=', 'new@cheongwon.test')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    const secret = URI.parse(/otpauth:\/\/totp\/[^<"]+/.exec(html)?.[0]?.replaceAll('&amp;', '&') ?? '')
      .secret.base32;
    expect(row.totp_secret_enc).not.toContain(secret);
    expect(
      (await admin.act(`/staff/accounts/${row.id}/roles`, { roles: 'moderator,responder' })).status,
    ).toBe(200);
    expect((await admin.act(`/staff/accounts/${row.id}/disable`)).status).toBe(200);
    const actions = await h.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('subject_type', '=', 'staff')
      .where('subject_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['staff.add', 'staff.roles', 'staff.disable']);
    expect(actions[1]?.after).toEqual({ roles: ['moderator', 'responder'] });
    const audit = await (await admin.get('/staff/audit')).text();
    expect(audit).toContain('staff.disable');
  });
});

describe('public side', () => {
  it('tells the creator through the private link that the petition is in review since when', async () => {
    const env = { CHEONGWON_SECRET: SECRET, PUBLIC_URL: ORIGIN, CHEONGWON_SEED: 'none' };
    const signing = await createSigning(loadConfig(env), site, h.db, env);
    try {
      const withSigning = createApp(site, signing.context, {}, staffContext);
      const petition = await inReviewPetition({ title: '검토 중 청원' });
      await h.db
        .updateTable('petitions')
        .set({
          review_started_at: new Date('2026-11-25T03:00:00Z'),
          sponsor_token_hash: hashToken('t'.repeat(43)),
        })
        .where('id', '=', petition)
        .execute();
      const page = await (
        await withSigning.request(`/petitions/${petition}/sponsor?token=${'t'.repeat(43)}`)
      ).text();
      expect(page).toContain('검토 중입니다 (2026-11-25부터)');
      expect(page).not.toContain('name="sponsor_token"'); // no agreement form in review
      // by number while in review: the "awaiting moderation" page with its count (issue 16), never its title or text
      const byNumber = await withSigning.request(`/petitions/${petition}`);
      expect(byNumber.status).toBe(200);
      const publicPage = await byNumber.text();
      expect(publicPage).not.toContain('검토 중 청원');
      expect(publicPage).not.toContain('name="sponsor_token"');
    } finally {
      await signing.close();
    }
  });

  it('records when a petition reaches review (the queue orders by it)', () => {
    const now = new Date('2026-11-29T06:00:00Z');
    const effects = countEffects(
      {
        id: '1',
        profile: 'cheongwadae',
        state: 'collecting_pre_agreements',
        closes_at: null,
        response_state: 'none',
        debate_state: 'none',
        response_threshold: null,
        debate_threshold: null,
        agreement_count: 99,
        response_threshold_reached_at: null,
        debate_threshold_reached_at: null,
      },
      100,
      now,
      writerDeps,
    );
    expect(effects).toMatchObject({ state: 'in_review', review_started_at: now });
  });
});

describe('staff sign-in with OpenID Connect', () => {
  it('maps a provider identity to a staff account by verified email once, then by (issuer, sub)', async () => {
    const redirect = `${ORIGIN}/staff/auth/corp/callback`;
    const provider = await startTestProvider({
      clients: [{ client_id: 'cheongwon-staff', redirect_uris: [redirect] }],
      accounts: {
        'emp-1': { email: people.mina.email, email_verified: true },
        'emp-2': { email: 'stranger@cheongwon.test', email_verified: true },
      },
    });
    try {
      const client = await createOidcClient({
        id: 'corp',
        issuer: provider.issuer,
        clientId: 'cheongwon-staff',
        redirectUri: redirect,
        scope: 'openid email',
        allowHttp: true,
      });
      const oidcApp = createApp(
        site,
        undefined,
        {},
        { ...staffContext, oidc: [{ id: 'corp', label: '사내 계정', client, matchEmail: true }] },
      );
      const login = async (account: string) => {
        const b = new Browser(oidcApp);
        const start = await b.get('/staff/auth/corp/login');
        expect(start.status).toBe(302);
        const back = new URL(await loginAs(start.headers.get('location') ?? '', account));
        const res = await b.request(`${back.pathname}${back.search}`, {
          headers: { accept: 'application/json' },
        });
        return { b, res };
      };
      const first = await login('emp-1');
      expect(first.res.status).toBe(303);
      expect((await first.b.get('/staff', true)).status).toBe(200);
      const linked = await h.db
        .selectFrom('staff_oidc_identities')
        .selectAll()
        .where('subject', '=', 'emp-1')
        .executeTakeFirstOrThrow();
      expect(linked).toMatchObject({ staff_id: people.mina.id, issuer: provider.issuer });
      expect(
        await h.db.selectFrom('audit_log').select('action').where('action', '=', 'staff.oidc_link').execute(),
      ).toHaveLength(1);
      // the second sign-in goes by the (issuer, sub) pair: no new link
      expect((await login('emp-1')).res.status).toBe(303);
      expect(await h.db.selectFrom('staff_oidc_identities').select('subject').execute()).toHaveLength(1);

      const stranger = await login('emp-2');
      expect(stranger.res.status).toBe(401);
      expect(await errorCode(stranger.res)).toBe('invalid_credentials');
      expect(stranger.b.cookies.has('cw_staff')).toBe(false);
    } finally {
      await provider.close();
    }
  });
});
