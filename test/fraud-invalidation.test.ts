import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff } from '../src/commands/add-staff.js';
import { agreeByEmail } from '../src/commands/agree-by-email.js';
import { agreeSignedIn } from '../src/commands/agree-signed-in.js';
import { approveInvalidation } from '../src/commands/approve-invalidation.js';
import { cancelInvalidation } from '../src/commands/cancel-invalidation.js';
import { reinstateAgreement } from '../src/commands/reinstate-agreement.js';
import { previewInvalidation, requestInvalidation } from '../src/commands/request-invalidation.js';
import { runInvalidation, runInvalidationBatch } from '../src/commands/run-invalidation.js';
import { reconcileCounts, reconcileLogs } from '../src/counting/reconcile.js';
import { DomainError } from '../src/domain/errors.js';
import { deriveCount, INVALIDATION_REASONS } from '../src/domain/tlog/entries.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';
import { signalBuckets } from '../src/repositories/fraud-signals.js';
import { listPublicStatements } from '../src/repositories/invalidations.js';
import { insertFraudListEntry } from '../src/repositories/writes/fraud-lists.js';
import { FraudLists } from '../src/signing/fraud-lists.js';
import type { TransparencyAgreementLog } from '../src/transparency/agreement-log.js';
import { TEST_ENGINE } from './support/databases.js';
import { openPetition, writerDeps, writerParts } from './support/factories.js';
import { type SigningCommandsHarness, signingCommands, storedCount } from './support/signing-commands.js';

const REASON_AUTOMATED = 2;

describe(`fraud signals and accountable invalidation (${TEST_ENGINE})`, () => {
  let h: SigningCommandsHarness;
  let petitionId: string;
  let mina: { staffId: string; name: string };
  let joon: { staffId: string; name: string };

  beforeEach(async () => {
    h = await signingCommands();
    petitionId = await openPetition(h.db.db, { responseThreshold: 320 });
    // writerParts shares one TransparencyAgreementLog across the file's fresh databases: forget the key it cached
    // for the previous database's petition with this number, or this petition would get no petition_logs row
    (writerParts.log as TransparencyAgreementLog).forget(petitionId);
    const cli = { staffId: null, name: 'cli:test' };
    const now = h.clock.now;
    const m = await addStaff(h.db.db, {
      email: 'mina@staff.example',
      roles: ['moderator'],
      secret: h.deps.secret,
      actor: cli,
      now,
    });
    const j = await addStaff(h.db.db, {
      email: 'joon@staff.example',
      roles: ['moderator'],
      secret: h.deps.secret,
      actor: cli,
      now,
    });
    mina = { staffId: m.id, name: m.email };
    joon = { staffId: j.id, name: j.email };
  });
  afterEach(async () => {
    await h.close();
  });

  /** `n` one-click agreements from addresses in `net` (an IPv4 /24 written `a.b.c`), through the real signing path. */
  async function agreeFrom(net: string, first: number, n: number): Promise<void> {
    for (let i = 0; i < n; i += 50) {
      const chunk = Array.from({ length: Math.min(50, n - i) }, (_, k) => first + i + k);
      const answers = await Promise.all(
        chunk.map((p) =>
          agreeSignedIn(h.deps, {
            petitionId,
            personId: `person-${p}`,
            clientAddress: `${net}.${(p % 250) + 1}`,
          }),
        ),
      );
      expect(answers.every((a) => a.status === 'agreed')).toBe(true);
    }
  }

  const deps = () => ({ db: h.db.db, now: () => h.clock.now, rules: writerDeps });
  const petition = () =>
    h.db.db
      .selectFrom('petitions')
      .select([
        'agreement_count',
        'response_state',
        'response_threshold_reached_at',
        'response_due_at',
        'log_size',
      ])
      .where('id', '=', petitionId)
      .executeTakeFirstOrThrow();
  const logDerived = async () => {
    const rows = await h.db.db
      .selectFrom('log_entries')
      .select(['idx', 'entry'])
      .where('petition_id', '=', petitionId)
      .orderBy('idx')
      .execute();
    rows.forEach((r, i) => {
      expect(Number(r.idx)).toBe(i); // no gap
    });
    return deriveCount(rows.map((r) => new Uint8Array(r.entry)));
  };

  it('Mina finds 300 agreements from one /24 and asks for invalidation; Joon approves; the count drops and the statement shows', async () => {
    await agreeFrom('203.0.113', 0, 300);
    await agreeFrom('198.51.100', 1000, 40);
    expect(await storedCount(h.db.db, petitionId)).toBe(340);
    expect((await petition()).response_state).toBe('awaiting'); // 340 ≥ 320: an answer is due

    // the signal: one prefix, 300 agreements, all in one minute (the injected clock did not move)
    const byPrefix = await signalBuckets(h.db.db, petitionId, 'prefix');
    expect(byPrefix[0]).toEqual({ key: '203.0.113.0/24', agreements: 300, peakPerMinute: 300 });
    const stored = await h.db.db.selectFrom('agreements').select('network_prefix').execute();
    expect(stored.every((r) => r.network_prefix?.endsWith('.0/24'))).toBe(true); // the prefix, never the address

    const filter = { petitionId, cidr: '203.0.113.0/24' };
    expect((await previewInvalidation(h.db.db, filter)).count).toBe(300);
    const req = await requestInvalidation(deps(), mina, {
      filter,
      reasonCode: REASON_AUTOMATED,
      note: 'one /24, one minute',
    });
    expect(req).toMatchObject({ planned: 300, criteria: 'network' });
    expect(await storedCount(h.db.db, petitionId)).toBe(340); // nothing happens before a second person approves

    // the requester cannot approve
    await expect(approveInvalidation(deps(), mina, req.id)).rejects.toMatchObject({
      code: 'four_eyes_required',
    });
    const { statement } = await approveInvalidation(deps(), joon, req.id);
    expect(statement).toContain('agreements 300');
    expect(statement).toContain(`reason ${INVALIDATION_REASONS[REASON_AUTOMATED]}`);
    expect(statement).toContain('criteria network');
    expect(statement).not.toContain('203.0.113');
    await expect(approveInvalidation(deps(), joon, req.id)).rejects.toMatchObject({
      code: 'invalidation_not_pending',
    });

    const progress: number[] = [];
    const end = await runInvalidation({ ...deps(), batchSize: 128 }, req.id, (p) => {
      progress.push(p.applied);
    });
    expect(end).toMatchObject({ state: 'done', planned: 300, applied: 300 });
    expect(progress).toEqual([128, 256, 300, 300]);

    // count and threshold state recomputed through the count rules: below 320 again, no answer due
    const after = await petition();
    expect(after.agreement_count).toBe(40);
    expect(after.response_state).toBe('none');
    expect(after.response_threshold_reached_at).toBeNull();
    expect(after.response_due_at).toBeNull();
    // marked, never deleted
    const rows = await h.db.db.selectFrom('agreements').select(['invalidated_at']).execute();
    expect(rows).toHaveLength(340);
    expect(rows.filter((r) => r.invalidated_at !== null)).toHaveLength(300);

    // the log: statement, then one invalidation entry per agreement; the derived count is the shown count
    const derived = await logDerived();
    expect(derived.problems).toEqual([]);
    expect(derived).toMatchObject({ count: 40, agreements: 340, invalidated: 300, statements: 1 });
    expect(Number(after.log_size)).toBe(340 + 1 + 300);
    // reconcile agrees: rows, stored count, log and derived count
    expect(await reconcileCounts(h.db.db, writerDeps)).toEqual([]);
    expect(await reconcileLogs(h.db.db)).toEqual([]);

    // the public statement: how many, when, reason class, criteria class — no prefix
    const [pub] = await listPublicStatements(h.db.db, petitionId);
    expect(pub).toMatchObject({
      applied: 300,
      planned: 300,
      state: 'done',
      criteriaClass: 'network',
      statementIndex: 340,
    });
    expect(JSON.stringify(pub)).not.toContain('203.0.113');
    // …and on the petition page, in plain words
    const site = await createSite({
      db: h.db.db,
      deploymentProfile: 'cheongwadae',
      now: () => h.clock.now,
      settingsTtlMs: 0,
    });
    try {
      const html = await (await createApp(site).request(`/petitions/${petitionId}`)).text();
      expect(html).toContain('집계에서 제외된 동의');
      expect(html).toMatch(/동의 300건을 제외했습니다 \(사유: automated-agreements, 조건 유형: network\)/);
      expect(html).toContain('성명 항목 340번');
      expect(html).not.toContain('203.0.113');
      expect(html).not.toContain('mina@staff.example');
    } finally {
      site.close();
    }

    // audited: request, approval, end
    const audit = await h.db.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', 'like', 'invalidation.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'invalidation.request',
      'invalidation.approve',
      'invalidation.done',
    ]);
    expect(audit[0]?.actor).toBe('mina@staff.example');
    expect(audit[1]?.actor).toBe('joon@staff.example');
  });

  it('a run cancelled mid-way keeps the batches it committed and stops', async () => {
    await agreeFrom('203.0.113', 0, 300);
    const req = await requestInvalidation(deps(), mina, {
      filter: { petitionId, cidr: '203.0.113.0/24' },
      reasonCode: REASON_AUTOMATED,
    });
    await approveInvalidation(deps(), joon, req.id);
    expect(await runInvalidationBatch({ ...deps(), batchSize: 100 }, req.id)).toMatchObject({
      state: 'running',
      applied: 100,
    });
    expect(await cancelInvalidation(deps(), mina, req.id)).toEqual({ state: 'cancelled', applied: 100 });
    expect(await runInvalidation({ ...deps(), batchSize: 100 }, req.id)).toMatchObject({
      state: 'cancelled',
      applied: 100,
    });
    expect(await storedCount(h.db.db, petitionId)).toBe(200);
    const derived = await logDerived();
    expect(derived.problems).toEqual([]);
    expect(derived.count).toBe(200);
    await expect(cancelInvalidation(deps(), joon, req.id)).rejects.toMatchObject({
      code: 'invalidation_not_pending',
    });
  });

  it('a petition already answered keeps its answer when the count falls back below the threshold', async () => {
    await agreeFrom('203.0.113', 0, 300);
    await agreeFrom('198.51.100', 1000, 30);
    await h.db.db
      .updateTable('petitions')
      .set({ response_state: 'answered' })
      .where('id', '=', petitionId)
      .execute();
    // a range finer than the /24 agreements keep cannot be asked for
    await expect(previewInvalidation(h.db.db, { petitionId, cidr: '203.0.113.0/25' })).rejects.toMatchObject({
      code: 'invalid_filter',
    });
    const req = await requestInvalidation(deps(), mina, {
      filter: { petitionId, cidr: '203.0.0.0/16' },
      reasonCode: REASON_AUTOMATED,
    });
    await approveInvalidation(deps(), joon, req.id);
    await runInvalidation(deps(), req.id);
    const p = await petition();
    expect(p.agreement_count).toBeLessThan(320);
    expect(p.response_state).toBe('answered');
  });

  it('an invalidated agreement is reinstated: it counts again and the log says so', async () => {
    await agreeFrom('203.0.113', 0, 10);
    const ids = (await h.db.db.selectFrom('agreements').select('id').orderBy('id').limit(3).execute()).map(
      (r) => r.id,
    );
    const req = await requestInvalidation(deps(), mina, {
      filter: { petitionId, agreementIds: ids },
      reasonCode: 1,
    });
    expect(req).toMatchObject({ planned: 3, criteria: 'explicit-list' });
    await approveInvalidation(deps(), joon, req.id);
    await runInvalidation(deps(), req.id);
    expect(await storedCount(h.db.db, petitionId)).toBe(7);
    const r = await reinstateAgreement(deps(), joon, ids[0] as string, 'the signer showed it was them');
    expect(r.entryIndex).toBe(10 + 1 + 3);
    expect(await storedCount(h.db.db, petitionId)).toBe(8);
    const derived = await logDerived();
    expect(derived.problems).toEqual([]);
    expect(derived).toMatchObject({ count: 8, invalidated: 3, reinstated: 1 });
    expect(await reconcileCounts(h.db.db, writerDeps)).toEqual([]);
    expect(await reconcileLogs(h.db.db)).toEqual([]);
    await expect(reinstateAgreement(deps(), joon, ids[0] as string)).rejects.toMatchObject({
      code: 'invalidation_not_pending',
    });
  });

  it('refuses filters that are too broad or malformed, and a filter matching nothing', async () => {
    await agreeFrom('203.0.113', 0, 3);
    await expect(previewInvalidation(h.db.db, { petitionId })).rejects.toMatchObject({
      code: 'invalid_filter',
    });
    await expect(previewInvalidation(h.db.db, { petitionId, cidr: '300.1.2.0/24' })).rejects.toMatchObject({
      code: 'invalid_filter',
    });
    await expect(previewInvalidation(h.db.db, { petitionId, agreementIds: '1, x' })).rejects.toMatchObject({
      code: 'invalid_filter',
    });
    await expect(
      requestInvalidation(deps(), mina, {
        filter: { petitionId, emailDomain: 'nowhere.example' },
        reasonCode: 3,
      }),
    ).rejects.toMatchObject({ code: 'invalid_filter' });
    expect(await h.db.db.selectFrom('invalidations').select('id').execute()).toEqual([]); // nothing half stored
  });

  it('a blocked prefix or domain gets a clear refusal on the signing path; an allow entry wins', async () => {
    const lists = new FraudLists(h.db.db);
    const withLists = { ...h.deps, lists };
    const at = h.clock.now;
    await insertFraudListEntry(h.db.db, {
      kind: 'prefix',
      value: '203.0.0.0/16',
      action: 'block',
      reason: null,
      by: mina.staffId,
      at,
    });
    await insertFraudListEntry(h.db.db, {
      kind: 'domain',
      value: 'mailinator.com',
      action: 'block',
      reason: null,
      by: mina.staffId,
      at,
    });
    lists.refresh();
    const refused = agreeSignedIn(withLists, { petitionId, personId: 'p1', clientAddress: '203.0.113.9' });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'agreement_blocked' });
    await expect(
      agreeByEmail(withLists, {
        petitionId,
        name: '김민',
        email: 'x@mailinator.com',
        clientAddress: '192.0.2.1',
      }),
    ).rejects.toMatchObject({ code: 'agreement_blocked' });
    expect(await h.db.db.selectFrom('agreements').select('id').execute()).toEqual([]);
    await insertFraudListEntry(h.db.db, {
      kind: 'prefix',
      value: '203.0.113.9',
      action: 'allow',
      reason: null,
      by: joon.staffId,
      at,
    });
    lists.refresh();
    // a /32 allow entry does not cover the /24 the agreement is judged by: still refused
    await expect(
      agreeSignedIn(withLists, { petitionId, personId: 'p1', clientAddress: '203.0.113.9' }),
    ).rejects.toMatchObject({
      code: 'agreement_blocked',
    });
    await insertFraudListEntry(h.db.db, {
      kind: 'prefix',
      value: '203.0.113.0/24',
      action: 'allow',
      reason: null,
      by: joon.staffId,
      at,
    });
    lists.refresh();
    expect(
      (await agreeSignedIn(withLists, { petitionId, personId: 'p1', clientAddress: '203.0.113.9' })).status,
    ).toBe('agreed');
  });
});
