/**
 * The lifecycle runs by itself: the scheduler's time-driven transitions, driven by an injected clock on the engine
 * under test (PGlite by default, PostgreSQL with TEST_DATABASE_URL), with two schedulers at once, and the real
 * `cheongwon serve` catching up on a deadline that passed while it was stopped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env.js';
import { loadRuntimeSettings, type RuntimeSettings } from '../src/config/runtime-settings.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { searchColumns } from '../src/domain/search-text.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';
import { LifecycleScheduler } from '../src/scheduling/lifecycle-scheduler.js';
import { createDeployment } from '../src/wiring/deployment.js';
import { createLifecycleScheduler } from '../src/wiring/lifecycle.js';
import { childProcessDatabase, freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { openPetition, writerDeps } from './support/factories.js';
import { startLiveServer } from './support/live-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const DEADLINE = new Date('2026-12-20T15:00:00Z'); // end of 2026-12-20 in Seoul (a 30-day period from 11-20)
const at = (iso: string) => new Date(iso);

describe(`the lifecycle scheduler (${TEST_ENGINE})`, () => {
  let h: TestDatabase;
  let clock: Date;
  let settings: RuntimeSettings;
  let scheduler: LifecycleScheduler;
  let changed: string[];

  beforeEach(async () => {
    h = await freshDatabase();
    clock = at('2026-12-20T14:59:59.999Z');
    settings = await loadRuntimeSettings({ db: h.db, deploymentProfile: 'cheongwadae', ttlMs: 0 });
    changed = [];
    scheduler = createLifecycleScheduler({
      db: h.db,
      settings,
      now: () => clock,
      listener: { petitionsChanged: (ids) => changed.push(...ids) },
      log: () => {},
    });
  });
  afterEach(async () => {
    await scheduler.stop();
    settings.close();
    await h.close();
  });

  const petition = (id: string) =>
    h.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const outbox = (id: string) =>
    h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'payload'])
      .where('petition_id', '=', id)
      .execute();
  const audit = (id: string) =>
    h.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('subject_type', '=', 'petition')
      .where('subject_id', '=', id)
      .execute();

  it('closes an open petition at its deadline, exactly once, with closed_at = the deadline', async () => {
    const id = await openPetition(h.db, { closesAt: DEADLINE, count: 1234 });
    expect((await scheduler.runOnce()).closed).toEqual([]); // 1 ms before the deadline: still open
    expect((await petition(id)).state).toBe('open');

    clock = at('2026-12-20T15:00:00.000Z'); // the deadline itself is the first instant it is closed
    expect((await scheduler.runOnce()).closed).toEqual([id]);
    const row = await petition(id);
    expect(row.state).toBe('closed');
    expect(row.closed_at?.toISOString()).toBe(DEADLINE.toISOString());
    expect(changed).toEqual([id]);

    clock = at('2026-12-23T00:00:00Z');
    expect((await scheduler.runOnce()).closed).toEqual([]); // closing twice is nothing
    expect(await outbox(id)).toEqual([
      { kind: 'creator.closed', payload: { count: 1234, threshold: 200_000 } },
    ]);
    expect(await audit(id)).toEqual([{ action: 'petition.close', actor: 'scheduler' }]);
  });

  it('closes a petition whose deadline passed days ago with the deadline, not the time it ran', async () => {
    const id = await openPetition(h.db, { closesAt: DEADLINE });
    clock = at('2027-01-05T09:30:00Z');
    await scheduler.runOnce();
    expect((await petition(id)).closed_at?.toISOString()).toBe(DEADLINE.toISOString());
  });

  it('keeps a threshold reached in time and fixes the Blue House answer deadline from the close', async () => {
    const id = await openPetition(h.db, { closesAt: DEADLINE, count: 250_000, responseThreshold: 200_000 });
    await h.db
      .updateTable('petitions')
      .set({ response_state: 'awaiting', response_threshold_reached_at: at('2026-12-01T00:00:00Z') })
      .where('id', '=', id)
      .execute();
    clock = at('2026-12-21T00:00:00Z');
    await scheduler.runOnce();
    const row = await petition(id);
    expect(row.state).toBe('closed');
    expect(row.response_state).toBe('awaiting');
    // last open day 2026-12-20 (Seoul) + 30 days = 2027-01-19; due at the end of that day
    expect(row.response_due_at?.toISOString()).toBe('2027-01-19T15:00:00.000Z');

    // and the answer falls overdue when that deadline comes
    clock = at('2027-01-19T14:59:59.999Z');
    expect((await scheduler.runOnce()).overdue).toEqual([]);
    clock = at('2027-01-19T15:00:00.000Z');
    expect((await scheduler.runOnce()).overdue).toEqual([id]);
    expect((await petition(id)).response_state).toBe('overdue');
    expect((await audit(id)).map((a) => a.action)).toEqual(['petition.close', 'response.overdue']);
    // the page says so, as a badge beside "closed", and the answer is still owed
    const site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', settings, now: () => clock });
    const page = await (await createApp(site).request(`/petitions/${id}`)).text();
    site.close();
    expect(page).toContain('class="state state-overdue">답변 지연</span>');
  });

  it('never touches an answered petition, a hidden one, or one without a deadline', async () => {
    const answered = await openPetition(h.db, { closesAt: DEADLINE });
    await h.db
      .updateTable('petitions')
      .set({ response_state: 'answered', response_due_at: at('2026-12-01T00:00:00Z') })
      .where('id', '=', answered)
      .execute();
    const hidden = await openPetition(h.db, { closesAt: DEADLINE, state: 'hidden' });
    const noDeadline = await openPetition(h.db, { closesAt: DEADLINE });
    await h.db.updateTable('petitions').set({ closes_at: null }).where('id', '=', noDeadline).execute();
    clock = at('2027-03-01T00:00:00Z');
    const pass = await scheduler.runOnce();
    expect(pass.closed).toEqual([answered]);
    expect(pass.overdue).toEqual([]);
    expect((await petition(answered)).response_state).toBe('answered');
    expect((await petition(hidden)).state).toBe('hidden');
    expect((await petition(noDeadline)).state).toBe('open');
  });

  it('lapses a National Assembly petition that did not reach 100 supporters within 30 days', async () => {
    const since = at('2026-11-01T03:00:00Z'); // 2026-11-01 in Seoul: the window runs through 2026-12-01
    const make = async (count: number) => {
      const row = await h.db
        .insertInto('petitions')
        .values({
          profile: 'assembly',
          category: 'other',
          title: `국민동의청원 ${count}`,
          body: '본문',
          ...searchColumns(`국민동의청원 ${count}`, '본문'),
          state: 'collecting_pre_agreements',
          collecting_since: since,
          agreement_count: count,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const short = await make(99);
    const enough = await make(100);
    clock = at('2026-12-01T14:59:59.999Z');
    expect((await scheduler.runOnce()).lapsed).toEqual([]);
    clock = at('2026-12-01T15:00:00.000Z');
    expect((await scheduler.runOnce()).lapsed).toEqual([short]);
    const row = await petition(short);
    expect(row.state).toBe('lapsed');
    expect(row.lapsed_at?.toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(row.sponsor_token_hash).toBeNull();
    expect((await petition(enough)).state).toBe('collecting_pre_agreements');
    expect(await outbox(short)).toEqual([{ kind: 'creator.lapsed', payload: { count: 99, threshold: 100 } }]);
    clock = at('2026-12-10T00:00:00Z');
    expect((await scheduler.runOnce()).lapsed).toEqual([]);
  });

  it('never lapses a UK petition: the profile sets no window for sponsors', async () => {
    const row = await h.db
      .insertInto('petitions')
      .values({
        profile: 'uk',
        category: 'other',
        title: 'A UK petition',
        body: 'text',
        ...searchColumns('A UK petition', 'text'),
        state: 'collecting_pre_agreements',
        collecting_since: at('2025-01-01T00:00:00Z'),
        agreement_count: 2,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock = at('2026-12-01T00:00:00Z');
    expect((await scheduler.runOnce()).lapsed).toEqual([]);
    expect((await petition(row.id)).state).toBe('collecting_pre_agreements');
  });

  it('flags a petition in review past the review target once, and tells staff when', async () => {
    const id = await openPetition(h.db, { state: 'in_review', closesAt: DEADLINE });
    await h.db
      .updateTable('petitions')
      .set({ review_started_at: at('2026-12-01T00:00:00Z') })
      .where('id', '=', id)
      .execute();
    clock = at('2026-12-10T23:59:59Z');
    expect((await scheduler.runOnce()).reviewsOverdue).toEqual([]);
    clock = at('2026-12-11T00:00:00Z'); // the default target: 10 days
    expect((await scheduler.runOnce()).reviewsOverdue).toEqual([id]);
    expect((await petition(id)).review_overdue_at?.toISOString()).toBe('2026-12-11T00:00:00.000Z');
    clock = at('2026-12-20T00:00:00Z');
    expect((await scheduler.runOnce()).reviewsOverdue).toEqual([]);
  });

  it('sleeps until the next deadline it knows of, at most its longest sleep', async () => {
    const soon = new Date(clock.getTime() + 5_000);
    expect(scheduler.sleepFor(clock, soon)).toBe(5_001);
    expect(scheduler.sleepFor(clock, new Date(clock.getTime() + 3_600_000))).toBe(30_000);
    expect(scheduler.sleepFor(clock, null)).toBe(30_000);
    expect(scheduler.sleepFor(clock, new Date(clock.getTime() - 10))).toBe(0);
  });

  it('shows a petition closed on its page, in the API and in lists once its deadline passes while the site runs', async () => {
    const id = await openPetition(h.db, { title: '마감을 앞둔 청원', closesAt: DEADLINE });
    // the app server as `serve` builds it (the composition root), on the test's clock
    const config = loadConfig(
      { CHEONGWON_SECRET: 'lifecycle-site-secret-lifecycle-site-0123456', CHEONGWON_DUMPS: 'off' },
      ROOT,
    );
    const deployment = await createDeployment(config, h, {
      log: () => {},
      now: () => clock,
      env: { NOTIFY_WORKER: 'off' },
    });
    expect((await deployment.start()).closed).toEqual([]);
    const { app } = deployment;
    const json = async (path: string): Promise<any> => (await app.request(path)).json();
    expect((await json(`/api/v1/petitions/${id}`)).state).toBe('open');
    expect((await json('/api/v1/petitions?state=open')).meta.total).toBe(1);
    const endingSoon = async () => {
      const home = await (await app.request('/')).text();
      return home.slice(home.indexOf('id="h-ending"'), home.indexOf('id="h-newest"'));
    };
    expect(await endingSoon()).toContain('마감을 앞둔 청원');

    clock = at('2026-12-20T15:00:00.001Z'); // the deadline passes while the site runs
    await deployment.lifecycle.wake();
    const detail = await json(`/api/v1/petitions/${id}`);
    expect(detail.state).toBe('closed');
    expect(detail.closed_at).toBe(DEADLINE.toISOString());
    expect((await json('/api/v1/petitions?state=open')).meta.total).toBe(0);
    expect((await json('/api/v1/petitions?state=closed')).meta.total).toBe(1);
    expect(await endingSoon()).not.toContain('마감을 앞둔 청원');
    expect(await endingSoon()).toContain('id="h-ending"');
    const page = await (await app.request(`/petitions/${id}`)).text();
    expect(page).toContain('청원 종료');
    expect(page).toMatch(/12\. 20\./); // the last day of the period, 2026. 12. 20.
    expect(page).not.toContain('name="email"'); // no agreement form on a closed petition
    await deployment.stop();
  });

  it('two schedulers on one database close each petition exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(await openPetition(h.db, { closesAt: DEADLINE, title: `청원 ${i}` }));
    // a second app server: its own connection pool on PostgreSQL; the same embedded database on PGlite
    const other =
      TEST_ENGINE === 'postgres' && h.url ? await openDatabase({ url: h.url, poolSize: 4 }) : null;
    const second = new LifecycleScheduler({
      db: other?.db ?? h.db,
      rules: writerDeps,
      now: () => clock,
      defaultReviewTargetDays: 10,
      listener: { petitionsChanged: () => {} },
      log: () => {},
      batchSize: 7,
    });
    const first = new LifecycleScheduler({
      db: h.db,
      rules: writerDeps,
      now: () => clock,
      defaultReviewTargetDays: 10,
      listener: { petitionsChanged: () => {} },
      log: () => {},
      batchSize: 5,
    });
    clock = at('2026-12-21T00:00:00Z');
    const [a, b] = await Promise.all([first.runOnce(), second.runOnce()]);
    await other?.close();
    expect([...a.closed, ...b.closed].sort()).toEqual([...ids].sort());
    expect(new Set([...a.closed, ...b.closed]).size).toBe(60);
    const mails = await h.db
      .selectFrom('notification_outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'creator.closed')
      .executeTakeFirstOrThrow();
    expect(Number(mails.n)).toBe(60);
    const closes = await h.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'petition.close')
      .executeTakeFirstOrThrow();
    expect(Number(closes.n)).toBe(60);
    const rows = await h.db.selectFrom('petitions').select(['state', 'closed_at']).execute();
    for (const r of rows) {
      expect(r.state).toBe('closed');
      expect(r.closed_at?.toISOString()).toBe(DEADLINE.toISOString());
    }
  });
});

describe(`cheongwon serve catches up (${TEST_ENGINE})`, () => {
  it('closes a petition whose deadline passed while the server was stopped, before serving it', async () => {
    const passed = new Date(Date.now() - 90_000); // the deadline came while nothing was running
    let id = '';
    const server = await startLiveServer({
      prepare: async (db) => {
        id = await openPetition(db, {
          title: '서버가 멈춘 사이 마감된 청원',
          openedAt: new Date(passed.getTime() - 30 * 86_400_000),
          closesAt: passed,
        });
      },
    });
    try {
      const detail = (await (await fetch(`${server.url}/api/v1/petitions/${id}`)).json()) as {
        state: string;
        closed_at: string;
      };
      expect(detail.state).toBe('closed');
      expect(detail.closed_at).toBe(passed.toISOString());
      expect(server.output.join('')).toContain('closed 1 petition(s) whose deadline had passed');
    } finally {
      await server.close();
    }
  });
});

describe(`cheongwon worker runs the lifecycle apart from serve (${TEST_ENGINE})`, () => {
  it('closes a petition past its deadline and mails its creator, in one --once run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-worker-'));
    const shared = await childProcessDatabase(dir, {
      CHEONGWON_SECRET: 'lifecycle-worker-secret-lifecycle-worker-0123',
      CHEONGWON_DEV_MAILBOX: '1',
      CHEONGWON_SEED: 'none',
      PUBLIC_URL: 'http://127.0.0.1:9',
    });
    try {
      const before = await shared.open();
      await migrateToLatest(before.db);
      const id = await openPetition(before.db, {
        title: '작업자가 마감할 청원',
        closesAt: new Date(Date.now() - 60_000),
      });
      await before.db
        .insertInto('petition_creators')
        .values({ petition_id: id, email: 'creator@example.org', name: '김청원' })
        .execute();
      await before.close();

      const out = execFileSync(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--once'], {
        env: shared.env,
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(out).toContain('lifecycle: closed 1');
      expect(out).toContain('sent 1');

      const after = await shared.open();
      const row = await after.db
        .selectFrom('petitions')
        .select(['state', 'closed_at', 'closes_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const mail = await after.db.selectFrom('dev_mailbox').select(['recipient', 'subject']).execute();
      await after.close();
      expect(row.state).toBe('closed');
      expect(row.closed_at?.toISOString()).toBe(row.closes_at?.toISOString());
      expect(mail).toEqual([
        { recipient: 'creator@example.org', subject: '청원 마감: 작업자가 마감할 청원' },
      ]);
    } finally {
      await shared.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
