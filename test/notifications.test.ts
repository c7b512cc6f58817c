import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftResponse } from '../src/commands/draft-response.js';
import { publishResponse } from '../src/commands/publish-response.js';
import { reviseResponse } from '../src/commands/revise-response.js';
import { reconcileCounts } from '../src/counting/reconcile.js';
import type { ResponseContent } from '../src/domain/official-response.js';
import { searchColumns } from '../src/domain/search-text.js';
import { createApp } from '../src/http/app.js';
import { registerNotificationRoutes } from '../src/http/public/unsubscribe.js';
import { createSite, type Site } from '../src/http/site.js';
import { createSmtpMailer, type Mailer } from '../src/notifications/mailer.js';
import { enqueueCreatorNotification, recordCountEvents } from '../src/notifications/outbox.js';
import { NotificationWorker } from '../src/notifications/worker.js';
import { fanoutProgress } from '../src/repositories/notifications.js';
import { responsesForPetitions } from '../src/repositories/petitions.js';
import type { AgreementWriter } from '../src/signing/agreement-writer.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { commitment, openPetition, signer, writerDeps } from './support/factories.js';
import {
  agreeAndConfirm,
  kindOf,
  messageIdOf,
  people,
  tally,
  writerWithNotifications,
} from './support/notifications.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const SECRET = 'notification-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://cheongwon.test';
let clock = new Date('2026-11-25T03:00:00Z');
const now = () => clock;

let h: TestDatabase;
let smtp: TestSmtpServer;
let mailer: Mailer;
let writer: AgreementWriter;
let site: Site;

const worker = (id: string, extra: Partial<ConstructorParameters<typeof NotificationWorker>[0]> = {}) =>
  new NotificationWorker({
    db: h.db,
    mailer,
    secret: SECRET,
    publicUrl: PUBLIC_URL,
    now,
    workerId: id,
    ratePerSecond: 10_000,
    pageSize: 7, // small pages: every fan-out here takes several
    ...extra,
  });

const answer = (over: Partial<ResponseContent> = {}): ResponseContent => ({
  title: '디지털 성범죄 근절 대책에 대한 답변',
  summary: '관련 청원에 함께 답변드립니다.',
  body: '안녕하십니까.\n\n**엄정하게** 처벌하겠습니다. 자세한 내용은 [법무부](https://www.moj.go.kr)를 보십시오.',
  responderName: '강정수',
  responderTitle: '디지털소통센터장',
  videoUrl: 'https://www.youtube-nocookie.com/embed/abc123',
  videoCaptionUrl: 'https://www.youtube.com/watch?v=abc123&cc_load_policy=1',
  ...over,
});
const actor = { staffId: null, label: 'test:responder' };

async function addCreator(petitionId: string, email: string, locale: 'ko' | 'en' = 'ko') {
  await h.db
    .insertInto('petition_creators')
    .values({ petition_id: petitionId, email, name: '청원인', locale })
    .execute();
}
const petition = (id: string) =>
  h.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  h = await freshDatabase();
  smtp = await startTestSmtpServer({ rejectRecipient: (a) => a.startsWith('bounce') });
  mailer = createSmtpMailer({ url: smtp.url, from: 'Cheongwon <no-reply@cheongwon.test>' });
  writer = writerWithNotifications(h.db, now);
  // answers are published here through the library, as the CLI does from its own process: pages would show them
  // within the page cache's second (src/http/page-cache.test.ts); these tests read pages right after, uncached
  site = await createSite({
    db: h.db,
    deploymentProfile: 'cheongwadae',
    now,
    settingsTtlMs: 0,
    pageCacheMs: 0,
  });
});
afterAll(async () => {
  await writer?.close();
  await mailer?.close();
  await smtp?.close();
  site?.close();
  await h?.close();
});

describe(`threshold → awaiting response → answer → one mail of each kind (${TEST_ENGINE})`, () => {
  it('Kim’s petition crosses its threshold, is answered, and every opted-in signer hears exactly once of each', async () => {
    const id = await openPetition(h.db, { title: '김민지의 청원', responseThreshold: 20 });
    await addCreator(id, 'kim.creator@example.org');
    const signers = people('p1-', 30); // 20 opted in
    await agreeAndConfirm(writer, id, signers, clock);

    const p = await petition(id);
    expect(p.agreement_count).toBe(30);
    expect(p.response_state).toBe('awaiting');
    // Blue House: due 30 days after the last day (2026-12-20 KST) → end of 2027-01-19 KST
    expect(p.response_due_at?.toISOString()).toBe('2027-01-19T15:00:00.000Z');
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .select(['kind', 'dedupe_key'])
      .where('petition_id', '=', id)
      .execute();
    expect(outbox.map((o) => o.kind).sort()).toEqual([
      'creator.threshold_reached',
      'signers.threshold_reached',
    ]);

    // the page shows it awaiting, with the deadline and the days left
    const app = createApp(site);
    const page = await (await app.request(`/petitions/${id}`)).text();
    expect(page).toContain('답변 기한 2027-01-19 (55일 남음)');

    // the answer comes while the petition is still open; it keeps collecting agreements
    clock = new Date('2026-11-26T03:00:00Z');
    await publishResponse(h.db, { petitionIds: [id], content: answer() }, actor, clock);
    expect((await petition(id)).response_state).toBe('answered');
    await agreeAndConfirm(
      writer,
      id,
      [{ email: 'late@example.org', name: '늦은 시민', locale: 'ko', notify: true }],
      clock,
    );
    expect((await petition(id)).agreement_count).toBe(31);

    const pass = await worker('w1').drain();
    expect(pass.failed).toBe(0);
    const mine = smtp.messages.filter((m) => m.subject.includes('김민지의 청원'));
    const byPerson = tally(mine);
    const optedIn = signers.filter((s) => s.notify).map((s) => s.email);
    for (const email of optedIn) {
      const kinds = byPerson.get(email);
      expect(kinds?.get('signers.threshold_reached')?.raw, email).toBe(1);
      expect(kinds?.get('signers.answered')?.raw, email).toBe(1);
    }
    for (const s of signers.filter((s) => !s.notify)) expect(byPerson.has(s.email)).toBe(false);
    // the late signer opted in after the threshold mail went out: they get the answer
    expect([...(byPerson.get('late@example.org')?.keys() ?? [])]).toEqual(['signers.answered']);
    expect([...(byPerson.get('kim.creator@example.org')?.keys() ?? [])].sort()).toEqual([
      'creator.answered',
      'creator.threshold_reached',
    ]);

    // language, parts, unsubscribe, no tracking
    const en = mine.find((m) => m.to[0] === 'p1-2@example.org' && kindOf(m) === 'signers.answered');
    const ko = mine.find((m) => m.to[0] === 'p1-1@example.org' && kindOf(m) === 'signers.answered');
    expect(en?.subject).toBe('A petition you agreed to has been answered: 김민지의 청원');
    expect(ko?.subject).toBe('청원 답변: 김민지의 청원');
    expect(ko?.text).toContain('디지털소통센터장 강정수이(가) 2026-11-26에 답변했습니다.');
    // the English signer's unsubscribe link opens the English page
    expect(en?.text).toMatch(/\/notifications\/unsubscribe\?r=a\d+&t=[\w-]+&lang=en/);
    expect(ko?.text).not.toContain('lang=en');
    for (const m of [en, ko]) {
      expect(m?.text).toContain(`${PUBLIC_URL}/notifications/unsubscribe?r=a`);
      expect(m?.html).toContain('/notifications/unsubscribe?r=a');
      expect(m?.html).not.toMatch(/<img|src=|<script/i);
      // mailparser folds List-* headers into `list`: { unsubscribe: { url }, 'unsubscribe-post': { name } }
      const list = m?.headers.get('list') as {
        unsubscribe?: { url?: string };
        'unsubscribe-post'?: { name?: string };
      };
      expect(list.unsubscribe?.url).toMatch(
        /^https:\/\/cheongwon\.test\/notifications\/unsubscribe\?r=a\d+&t=/,
      );
      expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
    }

    // the Message-ID is the delivery's own, derived from (kind, petition, person)
    const delivery = await h.db
      .selectFrom('notification_deliveries')
      .select('message_id')
      .where('dedupe_key', 'like', `signers.answered:${id}:agreement:%`)
      .execute();
    expect(new Set(delivery.map((d) => d.message_id))).toEqual(
      new Set(mine.filter((m) => kindOf(m) === 'signers.answered').map(messageIdOf)),
    );
    // contact data of signers who got the answer is gone; nothing more to send
    const contacts = await h.db
      .selectFrom('agreement_contacts as c')
      .innerJoin('agreements as a', 'a.id', 'c.agreement_id')
      .select('c.email')
      .where('a.petition_id', '=', id)
      .execute();
    expect(contacts).toEqual([]);
    expect(await worker('w1').drain()).toMatchObject({ sent: 0 });
    const progress = (await fanoutProgress(h.db)).filter((j) => j.petitionId === id);
    expect(progress.map((j) => [j.kind, j.total, j.sent, j.expanded]).sort()).toEqual([
      ['signers.answered', 21, 21, true],
      ['signers.threshold_reached', 20, 20, true],
    ]);
  });

  it('two workers at once send every mail once', async () => {
    const id = await openPetition(h.db, { title: '두 일꾼 청원', responseThreshold: 10 });
    const signers = people('p2-', 45); // 30 opted in
    await agreeAndConfirm(writer, id, signers, clock);
    await publishResponse(h.db, { petitionIds: [id], content: answer() }, actor, clock);
    const a = worker('a', { batchSize: 3 });
    const b = worker('b', { batchSize: 3 });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    const mine = smtp.messages.filter((m) => m.subject.includes('두 일꾼 청원'));
    expect(mine.length).toBe(60);
    for (const [, kinds] of tally(mine)) for (const [, v] of kinds) expect(v.raw).toBe(1);
    expect(new Set(mine.map(messageIdOf)).size).toBe(60);
  });
});

describe(`a joint answer covering three petitions (${TEST_ENGINE})`, () => {
  it('shows on all three and notifies each petition’s signers once', async () => {
    const ids = [
      await openPetition(h.db, { title: 'N번방 청원 하나' }),
      await openPetition(h.db, { title: 'N번방 청원 둘' }),
      await openPetition(h.db, { title: 'N번방 청원 셋' }),
    ];
    // one person agreed to two of them: that is two agreements, and two petitions to hear about
    await agreeAndConfirm(
      writer,
      ids[0] as string,
      [...people('j0-', 4), { email: 'both@example.org', name: '둘 다', locale: 'ko', notify: true }],
      clock,
    );
    await agreeAndConfirm(
      writer,
      ids[1] as string,
      [...people('j1-', 5), { email: 'both@example.org', name: '둘 다', locale: 'ko', notify: true }],
      clock,
    );
    await agreeAndConfirm(writer, ids[2] as string, people('j2-', 6), clock);
    // the third one has closed by the time of the answer
    await h.db
      .updateTable('petitions')
      .set({ state: 'closed', closed_at: clock })
      .where('id', '=', ids[2] as string)
      .execute();
    const { responseId } = await publishResponse(
      h.db,
      { petitionIds: ids, content: answer({ title: '공동 답변' }) },
      actor,
      clock,
    );
    await worker('joint').drain();

    const app = createApp(site);
    for (const id of ids) {
      const html = await (await app.request(`/petitions/${id}`)).text();
      expect(html).toContain('공동 답변');
      expect(html).toContain('디지털소통센터장 강정수 · 2026-11-26');
      expect(html).toContain('이 답변은 다음 청원에도 함께 답한 것입니다.');
      for (const other of ids.filter((o) => o !== id)) expect(html).toContain(`href="/petitions/${other}"`);
      expect(html).toContain('<strong>엄정하게</strong>');
      expect(html).toContain('href="https://www.youtube-nocookie.com/embed/abc123"');
      expect(html).toContain('자막·대본 보기');
      expect((await petition(id)).response_state).toBe('answered');
    }
    const answered = smtp.messages.filter(
      (m) => kindOf(m) === 'signers.answered' && /N번방 청원/.test(m.subject),
    );
    const t = tally(answered);
    for (const [email, kinds] of t) {
      const entry = kinds.get('signers.answered');
      expect(entry?.raw, email).toBe(email === 'both@example.org' ? 2 : 1);
    }
    expect(t.get('both@example.org')?.get('signers.answered')?.ids.size).toBe(2); // one per petition
    // 3 + 4 + 4 opted in (every third person did not), plus the person on two petitions twice
    expect(answered.length).toBe(3 + 4 + 4 + 2);

    // a revision shows "수정됨" with the history, and notifies nobody
    const before = smtp.messages.length;
    clock = new Date('2026-11-28T03:00:00Z');
    await reviseResponse(h.db, responseId, { summary: '수정한 요약입니다.' }, actor, clock);
    expect(await worker('joint').drain()).toMatchObject({ sent: 0 });
    expect(smtp.messages.length).toBe(before);
    const html = await (await app.request(`/petitions/${ids[0]}`)).text();
    expect(html).toContain('2026-11-28 수정됨');
    expect(html).toContain('수정한 요약입니다.');
    expect(html).toContain('수정 이력 (1건)');
    expect(html).toContain('관련 청원에 함께 답변드립니다.'); // the first version, kept
  });
});

describe(`answers: bad input, drafts, overdue (${TEST_ENGINE})`, () => {
  it('keeps a draft answer out of every public place: page, API and the open-data dump', async () => {
    const id = await openPetition(h.db, { title: '초안 청원' });
    await draftResponse(
      h.db,
      { petitionIds: [id], content: answer({ body: '아직 공개하지 않은 초안 DRAFT-7f3a' }) },
      actor,
      clock,
    );
    expect((await responsesForPetitions(h.db, [id])).get(id)).toBeUndefined();
    const app = createApp(site);
    expect(await (await app.request(`/petitions/${id}`)).text()).not.toContain('DRAFT-7f3a');
    expect(await (await app.request(`/api/v1/petitions/${id}`)).text()).not.toContain('DRAFT-7f3a');
  });

  it('refuses bad content with a clear error and stores nothing', async () => {
    const id = await openPetition(h.db, { title: '검증 청원' });
    const count = async () =>
      Number(
        (
          await h.db
            .selectFrom('official_responses')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    const cases: Array<[Partial<ResponseContent> | Record<string, unknown>, string]> = [
      [{ body: 'null\u0000byte' }, 'invalid_parameter'],
      [{ body: 'broken \uFFFD text' }, 'invalid_parameter'],
      [{ body: '' }, 'invalid_parameter'],
      [{ body: 'x'.repeat(50_001) }, 'invalid_parameter'],
      [{ responderName: 42 }, 'invalid_parameter'],
      [{ videoUrl: 'http://video.example/1' }, 'invalid_parameter'],
      [{ videoUrl: 'javascript:alert(1)' }, 'invalid_parameter'],
      [{ videoUrl: null, videoCaptionUrl: 'https://captions.example/1' }, 'invalid_parameter'],
    ];
    for (const [over, code] of cases) {
      await expect(
        publishResponse(
          h.db,
          { petitionIds: [id], content: answer(over as Partial<ResponseContent>) },
          actor,
          clock,
        ),
      ).rejects.toMatchObject({ code });
    }
    await expect(
      publishResponse(h.db, { petitionIds: ['999999'], content: answer() }, actor, clock),
    ).rejects.toMatchObject({
      code: 'petition_not_found',
    });
    await expect(
      publishResponse(h.db, { petitionIds: ['x1'], content: answer() }, actor, clock),
    ).rejects.toMatchObject({
      code: 'invalid_parameter',
    });
    const hidden = await openPetition(h.db, { state: 'in_review' });
    await expect(
      publishResponse(h.db, { petitionIds: [id, hidden], content: answer() }, actor, clock),
    ).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    expect(await count()).toBe(n);
    expect((await petition(id)).response_state).toBe('none');
  });

  it('renders Markdown safely: html as text, no images, only http(s) links', async () => {
    const id = await openPetition(h.db, { title: '마크다운 청원' });
    await publishResponse(
      h.db,
      {
        petitionIds: [id],
        content: answer({
          videoUrl: null,
          videoCaptionUrl: null,
          body: '<script>alert(1)</script>\n\n![추적](https://tracker.example/p.gif)\n\n[나쁜 링크](javascript:alert(1)) [좋은 링크](https://example.org/a)',
        }),
      },
      actor,
      clock,
    );
    const html = await (await createApp(site).request(`/petitions/${id}`)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toMatch(/<img/); // an image becomes at most a link: nothing remote is loaded
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://example.org/a" rel="noopener nofollow external">좋은 링크</a>');
  });

  it('shows an unanswered petition past its deadline as overdue', async () => {
    clock = new Date('2026-11-28T03:00:00Z');
    const id = await openPetition(h.db, { title: '지연 청원', state: 'closed' });
    await h.db
      .updateTable('petitions')
      .set({
        response_state: 'awaiting',
        response_threshold_reached_at: new Date('2026-10-01T00:00:00Z'),
        response_due_at: new Date('2026-11-20T15:00:00Z'),
      })
      .where('id', '=', id)
      .execute();
    const html = await (await createApp(site).request(`/petitions/${id}`)).text();
    expect(html).toContain('답변 지연');
    expect(html).toContain('답변 기한 2026-11-20을 8일 넘겼습니다');
  });
});

describe(`unsubscribe and failures (${TEST_ENGINE})`, () => {
  it('GET shows a button and changes nothing; POST (or one-click) unsubscribes and cancels queued mail', async () => {
    const id = await openPetition(h.db, { title: '수신 거부 청원', responseThreshold: 3 });
    const [first, second] = await agreeAndConfirm(
      writer,
      id,
      [
        { email: 'u1@example.org', name: '가', locale: 'ko', notify: true },
        { email: 'u2@example.org', name: '나', locale: 'en', notify: true },
        { email: 'u3@example.org', name: '다', locale: 'ko', notify: true },
      ],
      clock,
    );
    await worker('u').drain();
    const mail = await smtp.waitFor((m) => m.to[0] === 'u1@example.org');
    const link = /https:\/\/cheongwon\.test(\/notifications\/unsubscribe\?r=a\d+&t=[\w-]+)/.exec(
      mail.text,
    )?.[1] as string;
    const app = createApp(site);
    registerNotificationRoutes(app, site, { secret: SECRET });
    const page = await app.request(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('수신 거부');
    const notifyOf = async (a: string) =>
      (await h.db.selectFrom('agreements').select('notify').where('id', '=', a).executeTakeFirstOrThrow())
        .notify;
    expect(await notifyOf(first as string)).toBe(true);

    const post = await app.request(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    expect(await notifyOf(first as string)).toBe(false);
    expect(
      await h.db
        .selectFrom('agreement_contacts')
        .select('email')
        .where('agreement_id', '=', first as string)
        .execute(),
    ).toEqual([]);

    // the answer goes to the others only
    await publishResponse(h.db, { petitionIds: [id], content: answer() }, actor, clock);
    await worker('u').drain();
    const answered = smtp.messages.filter(
      (m) => kindOf(m) === 'signers.answered' && m.subject.includes('수신 거부 청원'),
    );
    expect(answered.map((m) => m.to[0]).sort()).toEqual(['u2@example.org', 'u3@example.org']);
    expect(second).toBeDefined();

    const forged = await app.request(link.replace(/t=[\w-]+/, 't=AAAA'), { method: 'POST' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('invalid_token');
  });

  it('records a permanent refusal without the address, and retries a transient failure later', async () => {
    const id = await openPetition(h.db, { title: '실패 청원' });
    await addCreator(id, 'bounce-creator@example.org');
    await h.db
      .transaction()
      .execute((trx) =>
        enqueueCreatorNotification(
          trx,
          id,
          'creator.review_decision',
          { decision: 'rejected', reason: '중복 청원' },
          clock,
        ),
      );
    await worker('f').drain();
    const d = await h.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('petition_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(d.state).toBe('failed');
    expect(d.last_error).toContain('550');
    expect(d.last_error).not.toContain('bounce-creator');

    const id2 = await openPetition(h.db, { title: '일시 장애 청원' });
    await addCreator(id2, 'creator2@example.org', 'en');
    await h.db
      .transaction()
      .execute((trx) =>
        enqueueCreatorNotification(trx, id2, 'creator.review_decision', { decision: 'published' }, clock),
      );
    const down = createSmtpMailer({ url: 'smtp://127.0.0.1:9', from: 'Cheongwon <no-reply@cheongwon.test>' });
    const w = new NotificationWorker({
      db: h.db,
      mailer: down,
      secret: SECRET,
      publicUrl: PUBLIC_URL,
      now,
      backoffBaseMs: 60_000,
    });
    await w.drain();
    await down.close();
    const d2 = await h.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('petition_id', '=', id2)
      .executeTakeFirstOrThrow();
    expect(d2).toMatchObject({ state: 'pending', attempts: 1 });
    expect(d2.next_attempt_at.getTime()).toBe(clock.getTime() + 60_000);
    clock = new Date(clock.getTime() + 60_000);
    await worker('f').drain();
    const sent = await smtp.waitFor((m) => m.to[0] === 'creator2@example.org');
    expect(sent.subject).toBe('Your petition has been published: 일시 장애 청원');
  });
});

describe(`creators and the UK debate track (${TEST_ENGINE})`, () => {
  const oneClick = (petitionId: string, _n: number, sponsor = false) =>
    writer.agree({
      petitionId,
      signerKey: signer(),
      method: 'oidc',
      region: null,
      locale: 'ko',
      notify: false,
      receiptCommitment: commitment(),
      sponsor,
    });

  it('queues the threshold mail when reconcile --fix raises a count across the threshold', async () => {
    const id = await openPetition(h.db, { title: '집계 복구 청원', responseThreshold: 3 });
    await addCreator(id, 'recount.creator@example.org');
    // three confirmed agreements whose count was lost (stored 0)
    await h.db
      .insertInto('agreements')
      .values(
        [1, 2, 3].map((i) => ({
          petition_id: id,
          signer_key: signer(95_000 + i),
          method: 'oidc',
          created_at: clock,
          confirmed_at: clock,
        })),
      )
      .execute();
    const drift = await reconcileCounts(h.db, {
      ...writerDeps,
      fix: true,
      now: clock,
      effects: (trx, ids, at) => recordCountEvents(trx, ids, at, writerDeps),
    });
    expect(drift).toContainEqual({ petitionId: id, stored: 0, rows: 3 });
    expect(await petition(id)).toMatchObject({ agreement_count: 3, response_state: 'awaiting' });
    const kinds = await h.db
      .selectFrom('notification_outbox')
      .select('kind')
      .where('petition_id', '=', id)
      .execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual([
      'creator.threshold_reached',
      'signers.threshold_reached',
    ]);
  });

  it('tells the creator at 50% and 100% of the pre-agreements, once each', async () => {
    const id = await openPetition(h.db, { title: '사전동의 청원', state: 'collecting_pre_agreements' });
    await addCreator(id, 'sponsor.creator@example.org', 'en');
    await Promise.all(Array.from({ length: 49 }, (_, i) => oneClick(id, i, true)));
    const keys = async () =>
      (
        await h.db
          .selectFrom('notification_outbox')
          .select('dedupe_key')
          .where('petition_id', '=', id)
          .execute()
      ).map((r) => r.dedupe_key);
    expect(await keys()).toEqual([]);
    await Promise.all(Array.from({ length: 2 }, (_, i) => oneClick(id, i, true))); // 51
    await Promise.all(Array.from({ length: 20 }, (_, i) => oneClick(id, i, true))); // 71: still one 50% row
    expect(await keys()).toEqual([`creator.pre_agreement_progress:${id}:50`]);
    await Promise.all(Array.from({ length: 29 }, (_, i) => oneClick(id, i, true))); // 100
    expect((await petition(id)).state).toBe('in_review');
    expect((await keys()).sort()).toEqual([
      `creator.pre_agreement_progress:${id}:100`,
      `creator.pre_agreement_progress:${id}:50`,
    ]);
    await worker('c').drain();
    const subjects = smtp.messages
      .filter((m) => m.to[0] === 'sponsor.creator@example.org')
      .map((m) => m.subject);
    expect(subjects.sort()).toEqual([
      '100% of supporters reached: 사전동의 청원',
      '50% of supporters reached: 사전동의 청원',
    ]);
  });

  it('a UK petition: the government response is due 21 days after the crossing; the debate track is separate', async () => {
    const row = await h.db
      .insertInto('petitions')
      .values({
        profile: 'uk',
        title: 'UK debate petition',
        body: 'body',
        ...searchColumns('UK debate petition', 'body'),
        state: 'open',
        opened_at: new Date('2026-11-01T12:00:00Z'),
        closes_at: new Date('2027-05-02T00:00:00Z'),
        response_threshold: 3,
        debate_threshold: 5,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock = new Date('2026-11-29T23:30:00Z'); // Sunday evening in London (GMT)
    for (let i = 0; i < 3; i++) await oneClick(row.id, i);
    let p = await petition(row.id);
    expect(p.response_state).toBe('awaiting');
    expect(p.debate_state).toBe('none');
    expect(p.response_due_at?.toISOString()).toBe('2026-12-21T00:00:00.000Z'); // end of 2026-12-20, London
    await Promise.all([oneClick(row.id, 3), oneClick(row.id, 4)]);
    p = await petition(row.id);
    expect(p.debate_state).toBe('awaiting');
    expect(p.response_state).toBe('awaiting');
    const html = await (await createApp(site).request(`/petitions/${row.id}`)).text();
    expect(html).toContain('의회 토론: 토론 여부 검토 중');
    expect(html).toContain('답변 기한 2026-12-20');
  });
});
