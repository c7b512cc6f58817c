import { createHash } from 'node:crypto';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileCounts } from '../src/counting/reconcile.js';
import { openDatabase } from '../src/db/connection.js';
import { COUNTED_COLUMNS, countEffects } from '../src/domain/count-effects.js';
import { guardedCountUpdate } from '../src/repositories/writes/agreement-batches.js';
import { destroyPetitionLogKey } from '../src/repositories/writes/transparency-log.js';
import { type AgreementLog, AgreementWriter, type NewAgreement } from '../src/signing/agreement-writer.js';
import { TransparencyAgreementLog } from '../src/transparency/agreement-log.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import {
  commitment,
  openPetition,
  signer,
  TEST_LOG_SECRET,
  writerDeps,
  writerParts,
} from './support/factories.js';

let h: TestDatabase;
let clock = new Date('2026-11-29T06:00:00Z');
const now = () => clock;
let writer: AgreementWriter;

beforeAll(async () => {
  h = await freshDatabase();
  writer = new AgreementWriter({ db: h.db, ...writerParts, now });
});
afterAll(async () => {
  await writer?.close();
  // after every test: the counts equal the rows
  expect(await reconcileCounts(h.db, writerDeps)).toEqual([]);
  await h?.close();
});

const oneClick = (petitionId: string, signerKey: string): NewAgreement => ({
  petitionId,
  signerKey,
  method: 'oidc',
  region: null,
  locale: 'ko',
  notify: false,
  receiptCommitment: commitment(),
});
const byEmail = (
  petitionId: string,
  signerKey: string,
  token: string,
  notify = false,
  expiresAt = new Date(clock.getTime() + 24 * 3600_000),
): NewAgreement => ({
  ...oneClick(petitionId, signerKey),
  method: 'email',
  notify,
  confirmation: {
    tokenHash: sha256(token),
    expiresAt,
    contact: { email: 'kim@example.org', name: '김민지' },
  },
});
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const petition = (id: string) =>
  h.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const rows = async (id: string) =>
  Number(
    (
      await h.db
        .selectFrom('agreements')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('petition_id', '=', id)
        .where('confirmed_at', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`the agreement writer (${TEST_ENGINE})`, () => {
  it('gives one agreement to a person who agrees 200 times at once, and tells the rest they already agreed', async () => {
    const id = await openPetition(h.db);
    const key = signer(1);
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => writer.agree(oneClick(id, key))));
    expect(outcomes.filter((o) => o.status === 'agreed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'already_agreed')).toHaveLength(199);
    expect(new Set(outcomes.map((o) => o.agreementId)).size).toBe(1);
    expect((await petition(id)).agreement_count).toBe(1);
    expect(await rows(id)).toBe(1);
  });

  it('counts 2,000 people agreeing at once exactly, in few batches', async () => {
    const id = await openPetition(h.db);
    const outcomes = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => writer.agree(oneClick(id, signer(10_000 + i)))),
    );
    expect(outcomes.every((o) => o.status === 'agreed')).toBe(true);
    expect((await petition(id)).agreement_count).toBe(2000);
    expect(await rows(id)).toBe(2000);
  });

  it('records a threshold crossing once, with its time, when many agree across it at once', async () => {
    const id = await openPetition(h.db, { responseThreshold: 100 });
    await Promise.all(Array.from({ length: 95 }, (_, i) => writer.agree(oneClick(id, signer(20_000 + i)))));
    expect((await petition(id)).response_threshold_reached_at).toBeNull();
    clock = new Date('2026-11-29T07:00:00Z');
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.agree(oneClick(id, signer(21_000 + i)))));
    const crossed = await petition(id);
    expect(crossed.agreement_count).toBe(145);
    expect(crossed.response_threshold_reached_at?.toISOString()).toBe('2026-11-29T07:00:00.000Z');
    expect(crossed.response_state).toBe('awaiting');
    // Blue House: due 30 days after close — the petition's last day is 2026-12-20 (Seoul), so by the end of 2027-01-19
    expect(crossed.response_due_at?.toISOString()).toBe('2027-01-19T15:00:00.000Z');
    clock = new Date('2026-11-29T08:00:00Z');
    await writer.agree(oneClick(id, signer(22_000)));
    expect((await petition(id)).response_threshold_reached_at?.toISOString()).toBe(
      '2026-11-29T07:00:00.000Z',
    );
  });

  it('writes a hot petition in one statement per batch, and redoes carefully the batch that crosses', async () => {
    const own = new AgreementWriter({ db: h.db, ...writerParts, now });
    const id = await openPetition(h.db, { responseThreshold: 150 });
    await own.agree(oneClick(id, signer(23_000))); // the first batch learns the petition's profile
    expect(own.stats).toEqual({ single: 0, split: 1, careful: 0, redone: 0 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => own.agree(oneClick(id, signer(23_001 + i)))));
    expect(own.stats).toMatchObject({ careful: 0, redone: 0 });
    expect(own.stats.single).toBeGreaterThan(0);
    // 50 more: the guarded count refuses the crossing, the batch is redone carefully and the crossing recorded once
    await Promise.all(Array.from({ length: 50 }, (_, i) => own.agree(oneClick(id, signer(23_200 + i)))));
    expect(own.stats.redone).toBe(1);
    expect(own.stats.careful).toBe(1);
    await own.close();
    expect(await petition(id)).toMatchObject({ agreement_count: 151, response_state: 'awaiting' });
    expect((await petition(id)).response_threshold_reached_at).not.toBeNull();
    expect(await rows(id)).toBe(151);
  });

  it('guards a count exactly where countEffects finds effects (every state, threshold side and jump)', async () => {
    const id = await openPetition(h.db);
    const at = new Date('2026-11-29T05:00:00Z');
    let cases = 0;
    for (const profile of ['cheongwadae', 'uk'])
      for (const state of ['open', 'closed', 'collecting_pre_agreements'] as const)
        for (const count of [0, 98, 99, 100, 150])
          for (const added of [1, 2, 60])
            for (const reached of [null, at])
              for (const debateThreshold of [null, 120]) {
                await h.db
                  .updateTable('petitions')
                  .set({
                    profile,
                    state,
                    agreement_count: count,
                    response_threshold: 100,
                    response_threshold_reached_at: reached,
                    debate_threshold: debateThreshold,
                    debate_threshold_reached_at: debateThreshold !== null && count >= 120 ? at : null,
                  })
                  .where('id', '=', id)
                  .execute();
                const stored = await h.db
                  .selectFrom('petitions')
                  .select([...COUNTED_COLUMNS])
                  .where('id', '=', id)
                  .executeTakeFirstOrThrow();
                const effects = countEffects(stored, count + added, clock, writerDeps);
                const statement = guardedCountUpdate(
                  [{ petitionId: id, added, profile }],
                  clock,
                  writerDeps.settingsFor,
                );
                const raised = await h.db
                  .transaction()
                  .execute(async (trx) => {
                    await sql.raw(statement).execute(trx);
                    throw new Error('roll back');
                  })
                  .catch((error: { code?: string }) => error.code === 'CW001');
                const label = JSON.stringify({ profile, state, count, added, reached, debateThreshold });
                if (effects !== null) expect(raised, label).toBe(true);
                if (state === 'open') expect(raised, label).toBe(effects !== null);
                cases++;
              }
    expect(cases).toBe(360);
    await h.db
      .updateTable('petitions')
      .set({ state: 'hidden', agreement_count: 0 })
      .where('id', '=', id)
      .execute();
  });

  it('stores one leaf per counted agreement in the statement that counts it, on every path', async () => {
    const id = await openPetition(h.db, { responseThreshold: 3 });
    const leaves = async () =>
      (
        await sql<{ idx: string; agreement_id: string | null; entry: Buffer }>`
          select idx::text, agreement_id::text, entry from log_entries where petition_id = ${id}
          order by log_entries.idx`.execute(h.db)
      ).rows;
    const own = new AgreementWriter({ db: h.db, ...writerParts, now });
    const firstCommitment = commitment(25_001);
    const first = await own.agree({ ...oneClick(id, signer(25_001)), receiptCommitment: firstCommitment });
    expect(own.stats.split).toBe(1); // a petition not seen yet: split, leaves at commit
    expect(first).toMatchObject({ status: 'agreed', leafIndex: '0' });
    const pending = await own.agree(byEmail(id, signer(25_002), 'log-token-25002'));
    expect(pending.status).toBe('pending');
    expect((await leaves()).map((l) => l.agreement_id)).toEqual([first.agreementId]); // pending: no leaf
    const confirmed = await own.confirm(sha256('log-token-25002'));
    expect(confirmed).toMatchObject({ status: 'confirmed', leafIndex: '1' });
    const crossing = await own.agree(oneClick(id, signer(25_003))); // crosses 3: redone on the careful path
    expect(crossing).toMatchObject({ status: 'agreed', leafIndex: '2' });
    expect(own.stats).toMatchObject({ careful: 1, redone: 1 });
    const fourth = await own.agree(oneClick(id, signer(25_004))); // past the threshold: one statement
    expect(fourth).toMatchObject({ status: 'agreed', leafIndex: '3' });
    expect(own.stats.single).toBeGreaterThanOrEqual(1);
    // a burst: one batch, its leaves in a random order but with no gap
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => own.agree(oneClick(id, signer(25_100 + i)))),
    );
    const stored = await leaves();
    expect(stored.map((l) => l.idx)).toEqual(stored.map((_, i) => String(i)));
    expect(stored.map((l) => l.agreement_id)).toEqual([
      first.agreementId,
      pending.agreementId,
      crossing.agreementId,
      fourth.agreementId,
      ...stored.slice(4).map((l) => l.agreement_id),
    ]);
    const burstIdx = new Map(burst.map((o) => [o.agreementId, o.status === 'agreed' ? o.leafIndex : null]));
    for (const l of stored.slice(4)) expect(burstIdx.get(String(l.agreement_id))).toBe(l.idx);
    // the burst's ids are ascending; its leaves are not in that order (the chance of 40 in order is 1/40!)
    const ids = stored.slice(4).map((l) => BigInt(String(l.agreement_id)));
    expect(ids.some((v, i) => i > 0 && v < (ids[i - 1] as bigint))).toBe(true);
    // each entry is kind 0x01 ‖ tag ‖ commitment, tags distinct, the commitment the signer's
    expect(stored.every((l) => l.entry.length === 65 && l.entry[0] === 0x01)).toBe(true);
    expect(new Set(stored.map((l) => l.entry.subarray(1, 33).toString('hex'))).size).toBe(stored.length);
    expect(Buffer.compare(stored[0]?.entry.subarray(33) as Buffer, firstCommitment)).toBe(0);
    const p = await petition(id);
    expect(String(p.log_size)).toBe(String(stored.length));
    expect(p.agreement_count).toBe(stored.length);
    // a log that cannot make entries aborts its batch: nothing stored, nothing counted
    const failing = new AgreementWriter({
      db: h.db,
      ...writerParts,
      now,
      log: {
        recordsNothing: false,
        entries: async () => {
          throw new Error('log unavailable (injected)');
        },
      } satisfies AgreementLog,
    });
    await expect(failing.agree(oneClick(id, signer(25_999)))).rejects.toThrow('log unavailable');
    await failing.close();
    await own.close();
    expect((await petition(id)).agreement_count).toBe(stored.length);
    expect(await leaves()).toHaveLength(stored.length);
  });

  it('takes no agreement and confirms no link without a log key (destroyed with the signer data)', async () => {
    const id = await openPetition(h.db);
    const own = new AgreementWriter({ db: h.db, ...writerParts, now });
    const pending = await own.agree(byEmail(id, signer(26_001), 'log-token-26001'));
    expect(pending.status).toBe('pending');
    // the first counted agreement made the petition's key; the signer data is anonymised: the key is destroyed
    expect((await own.agree(oneClick(id, signer(26_000)))).status).toBe('agreed');
    expect(await destroyPetitionLogKey(h.db, id, now())).toBe(true);
    expect(await destroyPetitionLogKey(h.db, id, now())).toBe(false);
    const log = new TransparencyAgreementLog(TEST_LOG_SECRET); // no key in memory
    const fresh = new AgreementWriter({ db: h.db, ...writerParts, now, log });
    await expect(fresh.agree(oneClick(id, signer(26_002)))).rejects.toMatchObject({
      code: 'petition_not_open',
    });
    await expect(fresh.confirm(sha256('log-token-26001'))).rejects.toMatchObject({
      code: 'petition_not_open',
    });
    await fresh.close();
    await own.close();
    expect((await petition(id)).agreement_count).toBe(1);
    expect(String((await petition(id)).log_size)).toBe('1');
  });

  it('answers the people a one-statement batch stored even when a lookup after its commit fails', async () => {
    /** Fails the "who had already agreed" lookup once, as a dropped connection would. */
    class FailLookupOnce implements KyselyPlugin {
      armed = false;
      transformQuery(args: PluginTransformQueryArgs) {
        if (this.armed && JSON.stringify(args.node).includes('select a.id, a.petition_id, a.signer_key')) {
          this.armed = false;
          throw new Error('Connection terminated unexpectedly (injected)');
        }
        return args.node;
      }
      async transformResult(args: PluginTransformResultArgs) {
        return args.result;
      }
    }
    const fault = new FailLookupOnce();
    const counted: string[][] = [];
    const own = new AgreementWriter({
      db: h.db.withPlugin(fault),
      ...writerParts,
      now,
      counted: { countsChanged: (ids) => counted.push(ids) },
    });
    const id = await openPetition(h.db);
    expect((await own.agree(oneClick(id, signer(24_001)))).status).toBe('agreed'); // learns the profile
    counted.length = 0;
    fault.armed = true;
    // one batch (single path): a new person, a double click of theirs, and a person who had agreed (a lookup)
    const [fresh, doubleClick, earlier] = await Promise.allSettled([
      own.agree(oneClick(id, signer(24_002))),
      own.agree(oneClick(id, signer(24_002))),
      own.agree(oneClick(id, signer(24_001))),
    ]);
    await own.close();
    expect(own.stats.single).toBe(1);
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { status: 'agreed' } });
    expect(doubleClick).toMatchObject({ status: 'fulfilled', value: { status: 'already_agreed' } });
    expect(earlier.status).toBe('rejected'); // only the request whose lookup failed learns of it
    expect(counted).toEqual([[id]]);
    expect((await petition(id)).agreement_count).toBe(2);
    expect(await rows(id)).toBe(2);
  });

  it('refuses agreements to closed, unpublished and unknown petitions, storing nothing', async () => {
    const closed = await openPetition(h.db, { closesAt: new Date('2026-11-29T00:00:00Z') });
    const inReview = await openPetition(h.db, { state: 'in_review' });
    await expect(writer.agree(oneClick(closed, signer(30_000)))).rejects.toMatchObject({
      code: 'petition_not_open',
    });
    // not public: it looks like no petition at all
    await expect(writer.agree(oneClick(inReview, signer(30_000)))).rejects.toMatchObject({
      code: 'petition_not_found',
    });
    await expect(writer.agree(oneClick('999999999', signer(30_000)))).rejects.toMatchObject({
      code: 'petition_not_found',
    });
    expect(await rows(closed)).toBe(0);
    expect(await rows(inReview)).toBe(0);
  });

  it('counts an email agreement only once confirmed; a second confirmation shows success again', async () => {
    const id = await openPetition(h.db);
    const pending = await writer.agree(byEmail(id, signer(40_000), 'token-a'));
    expect(pending.status).toBe('pending');
    expect((await petition(id)).agreement_count).toBe(0);
    const again = await writer.agree(byEmail(id, signer(40_000), 'token-b'));
    expect(again).toMatchObject({ status: 'already_agreed', confirmed: false });
    expect(await writer.confirm(sha256('token-a'))).toMatchObject({ status: 'confirmed', petitionId: id });
    expect(await writer.confirm(sha256('token-a'))).toMatchObject({
      status: 'already_confirmed',
      petitionId: id,
    });
    expect((await petition(id)).agreement_count).toBe(1);
    // contact data is gone once confirmed (the signer did not ask to hear back)
    expect(
      await h.db
        .selectFrom('agreement_contacts')
        .selectAll()
        .where('agreement_id', '=', pending.agreementId)
        .execute(),
    ).toEqual([]);
  });

  it('keeps contact data of a confirmed signer who asked to be told about the answer', async () => {
    const id = await openPetition(h.db);
    const pending = await writer.agree(byEmail(id, signer(41_000), 'token-notify', true));
    await writer.confirm(sha256('token-notify'));
    const contacts = await h.db
      .selectFrom('agreement_contacts')
      .select(['email', 'name'])
      .where('agreement_id', '=', pending.agreementId)
      .execute();
    expect(contacts).toEqual([{ email: 'kim@example.org', name: '김민지' }]);
  });

  it('refuses unknown and expired tokens, and confirmations more than 24 h after close', async () => {
    const id = await openPetition(h.db, { closesAt: new Date('2026-11-30T15:00:00Z') });
    await expect(writer.confirm(sha256('never-sent'))).rejects.toMatchObject({ code: 'invalid_token' });
    const later = new Date('2026-12-05T00:00:00Z');
    await writer.agree(byEmail(id, signer(42_000), 'token-late', false, later));
    await writer.agree(byEmail(id, signer(42_001), 'token-grace', false, later));
    await writer.agree(byEmail(id, signer(42_002), 'token-expired', false, new Date('2026-12-01T12:00:00Z')));
    clock = new Date('2026-12-01T10:00:00Z'); // closed, within 24 h
    expect(await writer.confirm(sha256('token-grace'))).toMatchObject({ status: 'confirmed' });
    await expect(writer.agree(oneClick(id, signer(42_003)))).rejects.toMatchObject({
      code: 'petition_not_open',
    });
    clock = new Date('2026-12-01T16:00:00Z'); // more than 24 h after close, and after the token's expiry
    await expect(writer.confirm(sha256('token-expired'))).rejects.toMatchObject({ code: 'token_expired' });
    await expect(writer.confirm(sha256('token-late'))).rejects.toMatchObject({ code: 'petition_not_open' });
    expect((await petition(id)).agreement_count).toBe(1);
    clock = new Date('2026-11-29T06:00:00Z');
  });

  it('drains every queued agreement when it is closed (graceful shutdown)', async () => {
    const id = await openPetition(h.db);
    const own = new AgreementWriter({ db: h.db, ...writerParts, now, maxWaitMs: 50 });
    const pending = Array.from({ length: 300 }, (_, i) => own.agree(oneClick(id, signer(50_000 + i))));
    await own.close();
    expect((await Promise.all(pending)).every((o) => o.status === 'agreed')).toBe(true);
    await expect(own.agree(oneClick(id, signer(50_999)))).rejects.toThrow(/shutting down/);
    expect((await petition(id)).agreement_count).toBe(300);
  });

  it.runIf(TEST_ENGINE === 'postgres')(
    'never double counts with two writers (two app instances, two connection pools) on one petition',
    async () => {
      const id = await openPetition(h.db, { responseThreshold: 500 });
      const second = await openDatabase({ url: h.url, poolSize: 4 });
      const a = new AgreementWriter({ db: h.db, ...writerParts, now });
      const b = new AgreementWriter({ db: second.db, ...writerParts, now });
      // 1,000 people, each sending the same agreement to both instances at once
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => [
          a.agree(oneClick(id, signer(60_000 + i))),
          b.agree(oneClick(id, signer(60_000 + i))),
        ]).flat(),
      );
      await a.close();
      await b.close();
      await second.close();
      expect(outcomes.filter((o) => o.status === 'agreed')).toHaveLength(1000);
      expect(outcomes.filter((o) => o.status === 'already_agreed')).toHaveLength(1000);
      const p = await petition(id);
      expect(p.agreement_count).toBe(1000);
      expect(await rows(id)).toBe(1000);
      expect(p.response_threshold_reached_at).not.toBeNull();
    },
  );

  it('reconcile reports drift and fixes it through the same rules (a threshold undone when the count falls)', async () => {
    const id = await openPetition(h.db, { responseThreshold: 3 });
    await Promise.all([1, 2, 3].map((i) => writer.agree(oneClick(id, signer(70_000 + i)))));
    expect((await petition(id)).response_state).toBe('awaiting');
    await h.db.deleteFrom('agreements').where('signer_key', '=', signer(70_001)).execute(); // an invalid agreement removed
    expect(await reconcileCounts(h.db, writerDeps)).toEqual([{ petitionId: id, stored: 3, rows: 2 }]);
    await reconcileCounts(h.db, { ...writerDeps, fix: true, now: clock });
    const fixed = await petition(id);
    expect(fixed).toMatchObject({
      agreement_count: 2,
      response_state: 'none',
      response_threshold_reached_at: null,
    });
    expect(await reconcileCounts(h.db, writerDeps)).toEqual([]);
  });
});

describe(`the agreement writer under crosswise batches (${TEST_ENGINE})`, () => {
  it('never deadlocks when two batches hold the same people in opposite order', async () => {
    const id = await openPetition(h.db);
    const people = Array.from({ length: 1000 }, (_, i) => signer(80_000 + i));
    const outcomes = await Promise.allSettled([
      ...people.map((k) => writer.agree(oneClick(id, k))),
      ...[...people].reverse().map((k) => writer.agree(oneClick(id, k))),
    ]);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.map((r) => String(r.reason)).slice(0, 1)).toEqual([]);
    expect((await petition(id)).agreement_count).toBe(1000);
  });

  it('records the answer duty when a confirmation in the grace period after close crosses the threshold', async () => {
    const id = await openPetition(h.db, { responseThreshold: 2, closesAt: new Date('2026-11-30T15:00:00Z') });
    await writer.agree(oneClick(id, signer(90_001)));
    await writer.agree(
      byEmail(id, signer(90_002), 'token-grace-cross', false, new Date('2026-12-05T00:00:00Z')),
    );
    await h.db
      .updateTable('petitions')
      .set({ state: 'closed', closed_at: new Date('2026-11-30T15:00:00Z') })
      .where('id', '=', id)
      .execute();
    clock = new Date('2026-12-01T03:00:00Z');
    await writer.confirm(sha256('token-grace-cross'));
    clock = new Date('2026-11-29T06:00:00Z');
    expect(await petition(id)).toMatchObject({ agreement_count: 2, response_state: 'awaiting' });
  });
});
