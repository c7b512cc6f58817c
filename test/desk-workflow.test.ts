import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../src/commands/add-staff.js';
import { approveNotice } from '../src/commands/desk/approve-notice.js';
import { checkCasePin } from '../src/commands/desk/check-case-pin.js';
import { createTakedown } from '../src/commands/desk/create-takedown.js';
import { editNotice } from '../src/commands/desk/edit-notice.js';
import { markUnansweredTakedowns } from '../src/commands/desk/mark-unanswered-takedowns.js';
import { purgeDeskRecords } from '../src/commands/desk/purge-desk-records.js';
import { readEvidenceContent } from '../src/commands/desk/read-evidence-content.js';
import { recordEvidence } from '../src/commands/desk/record-evidence.js';
import { recordRecheck } from '../src/commands/desk/record-recheck.js';
import { recordTakedownOutcome } from '../src/commands/desk/record-takedown-outcome.js';
import { registerPlatform } from '../src/commands/desk/register-platform.js';
import { sendNotice } from '../src/commands/desk/send-notice.js';
import { setCaptureStorage } from '../src/commands/desk/set-capture-storage.js';
import { submitCase } from '../src/commands/desk/submit-case.js';
import { viewCase } from '../src/commands/desk/view-case.js';
import { withdrawCase } from '../src/commands/desk/withdraw-case.js';
import { createSmtpMailer } from '../src/notifications/mailer.js';
import { NotificationWorker } from '../src/notifications/worker.js';
import { caseStatus, hashChangesAfter, noticesForTakedown, takedownById } from '../src/repositories/desk.js';
import { LifecycleScheduler } from '../src/scheduling/lifecycle-scheduler.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { writerDeps } from './support/factories.js';
import { startTestSmtpServer } from './support/smtp-server.js';

/**
 * The desk's use cases on the engine under test, with an injected clock: a victim's case (hashes, URLs, contact,
 * under 18) from submission to withdrawal; a takedown from draft to the legal deadline, extension, removal and
 * re-upload checks; the append-only evidence log with capture storage off and on; every staff view audited; the
 * 3-year retention purge.
 */

const SECRET = 'test-deployment-secret-0123456789abcdef';
const OPERATOR = '디지털성범죄피해자지원센터';
const day = 86_400_000;
let h: TestDatabase;
const officer = { staffId: '', name: 'officer@cheongwon.test' };
const pdq = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

beforeAll(async () => {
  h = await freshDatabase();
  const s = await addStaff(h.db, {
    email: officer.name,
    roles: ['desk_officer'],
    secret: SECRET,
    actor: { staffId: null, name: 'cli:test' },
    now: new Date('2026-12-01T00:00:00Z'),
  });
  officer.staffId = s.id;
});
afterAll(() => h.close());

const deps = (now: Date) => ({ db: h.db, secret: SECRET, operatorName: OPERATOR, now });
const actor = () => officer as { staffId: string; name: string };

describe(`a victim's case (${TEST_ENGINE})`, () => {
  it('stores hashes, takedown drafts and the contact encrypted; the PIN only as argon2id; withdrawal deactivates every hash', async () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const made = await submitCase(deps(now), {
      hashes: [
        { algorithm: 'pdq', hash: pdq(0x1f), quality: 88 },
        { algorithm: 'pdq', hash: pdq(0x1f), quality: 88 },
        { algorithm: 'md5', hash: 'd41d8cd98f00b204e9800998ecf8427e' },
      ],
      urls: [
        'https://video.example.jp/watch/1',
        'https://video.example.jp/watch/1',
        'https://board.example.com/p/2',
      ],
      contact: '010-1234-5678',
      minor: true,
      locale: 'ko',
    });
    expect(made.caseNumber).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(made.pin).toMatch(/^\d{8}$/);
    expect(made).toMatchObject({ hashes: 2, takedowns: 2 });
    const row = await h.db
      .selectFrom('desk_cases')
      .selectAll()
      .where('id', '=', made.caseId)
      .executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^\$argon2id\$/);
    expect(row.pin_hash).not.toContain(made.pin);
    expect(row.contact_enc).not.toContain('1234');
    expect(row.priority).toBe('minor');
    expect(row.purge_after.toISOString()).toBe('2029-12-07T10:00:00.000Z');
    // a notice per URL, drafted in the site's language
    const takedowns = await h.db
      .selectFrom('desk_takedowns')
      .selectAll()
      .where('case_id', '=', made.caseId)
      .orderBy('id')
      .execute();
    expect(takedowns.map((t) => [t.site, t.language, t.state])).toEqual([
      ['video.example.jp', 'ja', 'drafted'],
      ['board.example.com', 'en', 'drafted'],
    ]);
    expect((await noticesForTakedown(h.db, takedowns[0]?.id ?? ''))[0]?.body).toContain('video.example.jp');

    // the PIN opens the case; a wrong PIN and an unknown number get the same answer
    expect(
      await checkCasePin(h.db, { caseNumber: made.caseNumber.toLowerCase(), pin: made.pin }),
    ).toMatchObject({
      caseId: made.caseId,
      state: 'active',
    });
    const wrong = made.pin === '00000000' ? '11111111' : '00000000';
    await expect(checkCasePin(h.db, { caseNumber: made.caseNumber, pin: wrong })).rejects.toMatchObject({
      code: 'case_not_found',
    });
    await expect(checkCasePin(h.db, { caseNumber: 'ZZZZ-ZZZZ-ZZZZ', pin: made.pin })).rejects.toMatchObject({
      code: 'case_not_found',
    });

    const before = await hashChangesAfter(h.db, '0', 1000);
    const lastSeq = before.at(-1)?.change_seq ?? '0';
    const later = new Date(now.getTime() + 3 * day);
    expect(await withdrawCase(h.db, { caseId: made.caseId, now: later })).toEqual({
      deactivated: 2,
      alreadyWithdrawn: false,
    });
    expect(await withdrawCase(h.db, { caseId: made.caseId, now: later })).toEqual({
      deactivated: 0,
      alreadyWithdrawn: true,
    });
    const changes = await hashChangesAfter(h.db, lastSeq, 1000);
    expect(changes.map((c) => c.state)).toEqual(['inactive', 'inactive']);
    const status = await caseStatus(h.db, made.caseId);
    expect(status?.state).toBe('withdrawn');
    expect(status?.hashes).toEqual(
      expect.arrayContaining([{ algorithm: 'pdq', state: 'inactive', count: 1 }]),
    );
  });

  it('refuses a bad hash with its index and stores nothing', async () => {
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from desk_cases`.execute(h.db)).rows[0]?.n);
    const before = await count();
    await expect(
      submitCase(deps(new Date('2026-12-07T11:00:00Z')), {
        hashes: [
          { algorithm: 'pdq', hash: pdq(3), quality: 90 },
          { algorithm: 'pdq', hash: pdq(4), quality: 20 },
        ],
        locale: 'en',
      }),
    ).rejects.toMatchObject({ code: 'invalid_hash', details: { index: 1, problem: 'quality_too_low' } });
    expect(await count()).toBe(before);
  });

  it('audits every staff view of a case, with or without the contact', async () => {
    const made = await submitCase(deps(new Date('2026-12-07T12:00:00Z')), {
      hashes: [{ algorithm: 'md5', hash: '0123456789abcdef0123456789abcdef' }],
      contact: 'counsel-me@example.kr',
      locale: 'en',
    });
    const now = new Date('2026-12-07T13:00:00Z');
    const plain = await viewCase(h.db, {
      caseId: made.caseId,
      actor: actor(),
      now,
      withContact: false,
      secret: SECRET,
    });
    expect(plain?.contact).toBeNull();
    const full = await viewCase(h.db, {
      caseId: made.caseId,
      actor: actor(),
      now,
      withContact: true,
      secret: SECRET,
    });
    expect(full?.contact).toBe('counsel-me@example.kr');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'staff_id'])
      .where('subject_type', '=', 'desk_case')
      .where('subject_id', '=', made.caseId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'desk.case.view', actor: officer.name, staff_id: officer.staffId },
      { action: 'desk.case.view_contact', actor: officer.name, staff_id: officer.staffId },
    ]);
  });
});

describe(`takedowns against the legal clock (${TEST_ENGINE})`, () => {
  it('drafts, approves, sends through the outbox, goes unanswered at the deadline, escalates', async () => {
    const t0 = new Date('2026-12-08T09:00:00Z');
    await registerPlatform(h.db, {
      name: 'ExampleTube',
      kind: 'video',
      jurisdiction: 'US',
      noticeEmail: 'abuse@exampletube.test',
      actor: actor(),
      now: t0,
    });
    const { takedownId, noticeId } = await createTakedown(h.db, {
      url: 'https://exampletube.test/v/abc',
      platform: 'ExampleTube',
      operatorName: OPERATOR,
      actor: actor(),
      now: t0,
    });
    const notice = (await noticesForTakedown(h.db, takedownId))[0];
    expect(notice).toMatchObject({ language: 'en', recipient: 'abuse@exampletube.test', state: 'draft' });
    // sending before a person approved is refused
    await expect(sendNotice(h.db, { noticeId, actor: actor(), now: t0 })).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    await editNotice(h.db, { noticeId, language: 'es', operatorName: OPERATOR, actor: actor(), now: t0 });
    expect((await noticesForTakedown(h.db, takedownId))[0]?.subject).toContain('Solicitud de retirada');
    await approveNotice(h.db, { noticeId, actor: actor(), now: t0 });
    const sentAt = new Date(t0.getTime() + 60_000);
    const { dueAt } = await sendNotice(h.db, { noticeId, actor: actor(), now: sentAt });
    expect(dueAt.getTime() - sentAt.getTime()).toBe(14 * day);
    const outbox = await h.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('kind', '=', 'desk.notice')
      .execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.payload).toEqual({ noticeId });
    // the outbox relay mails the approved text to the platform (a real SMTP server), with no unsubscribe link
    const smtp = await startTestSmtpServer();
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Desk <desk@cheongwon.test>' });
    try {
      const worker = new NotificationWorker({
        db: h.db,
        mailer,
        secret: SECRET,
        publicUrl: 'http://cheongwon.test',
        now: () => sentAt,
        ratePerSecond: 10_000,
      });
      await worker.drain();
      const mail = await smtp.waitFor((m) => m.to.includes('abuse@exampletube.test'));
      expect(mail.subject).toContain(`T-${takedownId}`);
      expect(mail.text).toContain('https://exampletube.test/v/abc');
      expect(mail.headers.has('list-unsubscribe')).toBe(false);
    } finally {
      await mailer.close();
      await smtp.close();
    }

    // a millisecond before the deadline nothing moves; at the deadline the lifecycle scheduler (its clock
    // injected) marks it unanswered, once
    const clock = { now: new Date(dueAt.getTime() - 1) };
    const scheduler = new LifecycleScheduler({
      db: h.db,
      rules: writerDeps,
      now: () => clock.now,
      defaultReviewTargetDays: 10,
      listener: { petitionsChanged: () => {} },
      log: () => {},
    });
    expect((await scheduler.runOnce()).takedownsUnanswered).toEqual([]);
    clock.now = dueAt;
    expect((await scheduler.runOnce()).takedownsUnanswered).toEqual([takedownId]);
    clock.now = new Date(dueAt.getTime() + day);
    expect((await scheduler.runOnce()).takedownsUnanswered).toEqual([]);
    await recordTakedownOutcome(h.db, { takedownId, outcome: 'escalated', actor: actor(), now: dueAt });
    expect((await takedownById(h.db, takedownId))?.state).toBe('escalated');
  });

  it('takes one extension, then removal starts the re-upload checks; a re-upload drafts a new takedown', async () => {
    const t0 = new Date('2026-12-09T09:00:00Z');
    const { takedownId, noticeId } = await createTakedown(h.db, {
      url: 'https://board.example.kr/post/9',
      operatorName: OPERATOR,
      actor: actor(),
      now: t0,
    });
    await expect(approveNotice(h.db, { noticeId, actor: actor(), now: t0 })).rejects.toMatchObject({
      code: 'invalid_parameter',
    });
    await editNotice(h.db, {
      noticeId,
      recipient: 'report@board.example.kr',
      operatorName: OPERATOR,
      actor: actor(),
      now: t0,
    });
    await approveNotice(h.db, { noticeId, actor: actor(), now: t0 });
    const { dueAt } = await sendNotice(h.db, { noticeId, actor: actor(), now: t0 });
    await recordTakedownOutcome(h.db, { takedownId, outcome: 'acknowledged', actor: actor(), now: t0 });
    await recordTakedownOutcome(h.db, { takedownId, outcome: 'extended', actor: actor(), now: t0 });
    await expect(
      recordTakedownOutcome(h.db, { takedownId, outcome: 'extended', actor: actor(), now: t0 }),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    const extended = await takedownById(h.db, takedownId);
    expect(extended?.due_at?.getTime()).toBe(dueAt.getTime() + 14 * day);
    // the first deadline passes: still owed, not unanswered
    expect(await markUnansweredTakedowns(h.db, new Date(dueAt.getTime() + day), 100)).not.toContain(
      takedownId,
    );
    const removedAt = new Date(t0.getTime() + 20 * day);
    await recordTakedownOutcome(h.db, { takedownId, outcome: 'removed', actor: actor(), now: removedAt });
    const removed = await takedownById(h.db, takedownId);
    expect(removed?.next_recheck_at?.getTime()).toBe(removedAt.getTime() + day);
    const clear = await recordRecheck(h.db, {
      takedownId,
      foundAgain: false,
      operatorName: OPERATOR,
      actor: actor(),
      now: removedAt,
    });
    expect(clear).toEqual({
      reuploadTakedownId: null,
      nextRecheckAt: new Date(removedAt.getTime() + 7 * day),
    });
    const back = await recordRecheck(h.db, {
      takedownId,
      foundAgain: true,
      operatorName: OPERATOR,
      actor: actor(),
      now: removedAt,
    });
    expect(back.reuploadTakedownId).not.toBeNull();
    const again = await takedownById(h.db, back.reuploadTakedownId ?? '');
    expect(again).toMatchObject({ state: 'drafted', reupload_of: takedownId, language: 'ko' });
  });
});

describe(`evidence and retention (${TEST_ENGINE})`, () => {
  it('keeps only the SHA-256 by default; stores content encrypted when turned on, every read audited; never changes a record', async () => {
    const now = new Date('2026-12-10T09:00:00Z');
    const { takedownId } = await createTakedown(h.db, {
      url: 'https://host.example.com/e/1',
      operatorName: OPERATOR,
      actor: actor(),
      now,
    });
    const capture = Buffer.from('<html>captured page</html>');
    const off = await recordEvidence(h.db, { takedownId, capture, secret: SECRET, actor: actor(), now });
    expect(off.sha256).toBe(createHash('sha256').update(capture).digest('hex'));
    expect(off.stored).toBe(false);
    await setCaptureStorage(h.db, {
      on: true,
      reason: '법원 제출용 보관 (사건 2026-123)',
      actor: actor(),
      now,
    });
    const on = await recordEvidence(h.db, { takedownId, capture, secret: SECRET, actor: actor(), now });
    expect(on).toMatchObject({ sha256: off.sha256, stored: true });
    const raw = await h.db
      .selectFrom('desk_evidence')
      .select('content_enc')
      .where('id', '=', on.evidenceId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(raw.content_enc ?? []).includes(capture)).toBe(false);
    expect(
      (
        await readEvidenceContent(h.db, { evidenceId: on.evidenceId, secret: SECRET, actor: actor(), now })
      ).equals(capture),
    ).toBe(true);
    await expect(
      readEvidenceContent(h.db, { evidenceId: off.evidenceId, secret: SECRET, actor: actor(), now }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const reads = await h.db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'desk.evidence.read_content')
      .execute();
    expect(reads).toEqual([{ subject_id: on.evidenceId }]);
    await expect(
      sql`update desk_evidence set url = 'x' where id = ${on.evidenceId}`.execute(h.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from desk_evidence where id = ${on.evidenceId}`.execute(h.db)).rejects.toThrow(
      /append-only/,
    );
    await setCaptureStorage(h.db, { on: false, reason: '보관 종료', actor: actor(), now });
  });

  it('purges a case with everything of it three years after its last event, and not a millisecond before', async () => {
    const t0 = new Date('2026-12-11T09:00:00Z');
    const made = await submitCase(deps(t0), {
      hashes: [{ algorithm: 'md5', hash: 'fedcba9876543210fedcba9876543210' }],
      urls: ['https://purge.example.com/1'],
      locale: 'ko',
    });
    const takedown = await h.db
      .selectFrom('desk_takedowns')
      .select('id')
      .where('case_id', '=', made.caseId)
      .executeTakeFirstOrThrow();
    await recordEvidence(h.db, {
      takedownId: takedown.id,
      capture: Buffer.from('x'),
      secret: SECRET,
      actor: actor(),
      now: t0,
    });
    const end = new Date('2029-12-11T09:00:00Z');
    expect((await purgeDeskRecords(h.db, new Date(end.getTime() - 1), 100)).cases).not.toContain(made.caseId);
    const purged = await purgeDeskRecords(h.db, end, 100);
    expect(purged.cases).toContain(made.caseId);
    expect(purged.evidence).toBeGreaterThanOrEqual(1);
    for (const table of ['desk_cases', 'desk_hashes', 'desk_takedowns', 'desk_notices'] as const) {
      const col = table === 'desk_cases' ? 'id' : table === 'desk_notices' ? 'takedown_id' : 'case_id';
      const v = table === 'desk_notices' ? takedown.id : made.caseId;
      const left = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(col)} = ${v}`.execute(h.db);
      expect(Number(left.rows[0]?.n), table).toBe(0);
    }
  });
});
