import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileLogs } from '../../src/counting/reconcile.js';
import { parseCheckpoint } from '../../src/domain/tlog/checkpoint.js';
import { cosignatureVerifier } from '../../src/domain/tlog/cosignature.js';
import { decodeEntry } from '../../src/domain/tlog/entries.js';
import { leafHash, rootFromLeafHashes } from '../../src/domain/tlog/merkle.js';
import { openNote, signNote, splitNote } from '../../src/domain/tlog/note.js';
import { formatLogKeys, parseLogKeys, verifyPetitionCheckpoint } from '../../src/domain/tlog/site-log.js';
import { decodeEntryBundle, entriesPath, tileHashes, tilePath } from '../../src/domain/tlog/tiles.js';
import { findHeadsState, readTiles } from '../../src/repositories/transparency-log.js';
import { LogScheduler } from '../../src/scheduling/log-scheduler.js';
import { AgreementWriter } from '../../src/signing/agreement-writer.js';
import { petitionTileLog } from '../../src/transparency/integrator.js';
import { type LogSigners, loadLogSigners } from '../../src/transparency/log-signers.js';
import { fileStateStore, loadOrCreateWitnessKey } from '../../src/witness/files.js';
import { startWitnessServer } from '../../src/witness/server.js';
import { Witness } from '../../src/witness/witness.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../support/databases.js';
import { commitment, openPetition, signer, TEST_LOG_SECRET, writerParts } from '../support/factories.js';

const PUBLIC_URL = 'https://cheongwon.test';
let h: TestDatabase;
let signers: LogSigners;
let clock = new Date('2026-12-01T00:00:00Z');
const now = () => clock;

beforeAll(async () => {
  h = await freshDatabase();
  signers = await loadLogSigners(h.db, TEST_LOG_SECRET, PUBLIC_URL, now());
});
afterAll(async () => {
  await h?.close();
});

const oneClick = (petitionId: string, n: number) => ({
  petitionId,
  signerKey: signer(n),
  method: 'oidc' as const,
  region: null,
  locale: 'ko' as const,
  notify: false,
  receiptCommitment: commitment(n),
});

describe(`the transparency log, database side (${TEST_ENGINE})`, () => {
  it('keeps the same signing keys across loads and refuses another host', async () => {
    const again = await loadLogSigners(h.db, TEST_LOG_SECRET, PUBLIC_URL, now());
    expect(again.petitions.vkey).toBe(signers.petitions.vkey);
    expect(again.heads.vkey).toBe(signers.heads.vkey);
    expect(signers.petitions.vkey.startsWith('cheongwon.test/petitions+')).toBe(true);
    await expect(loadLogSigners(h.db, TEST_LOG_SECRET, 'https://elsewhere.test', now())).rejects.toThrow(
      /PUBLIC_URL/,
    );
    await expect(
      loadLogSigners(h.db, 'another-secret-another-secret-0123456789', PUBLIC_URL, now()),
    ).rejects.toThrow();
  });

  it('signs checkpoints that extend the last one, with tiles that rebuild the root, and a witness cosigns the heads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-log-witness-'));
    const { skey } = loadOrCreateWitnessKey(path.join(dir, 'witness.key'), 'witness.test/w1');
    const witness = new Witness({
      skey,
      logs: [{ origin: 'cheongwon.test/heads', vkeys: [signers.heads.vkey] }],
      state: fileStateStore(path.join(dir, 'state.json')),
      now: () => clock.getTime(),
    });
    const served = await startWitnessServer(witness, { port: 0 });
    const logLines: string[] = [];
    const scheduler = new LogScheduler({
      db: h.db,
      kind: h.kind,
      signers,
      witnesses: [{ vkey: witness.vkey, url: served.url }],
      now,
      log: (line) => logLines.push(line),
    });
    try {
      const a = await openPetition(h.db);
      const b = await openPetition(h.db);
      const writer = new AgreementWriter({ db: h.db, ...writerParts, now });
      await Promise.all(Array.from({ length: 300 }, (_, i) => writer.agree(oneClick(a, 30_000 + i))));
      await Promise.all(Array.from({ length: 5 }, (_, i) => writer.agree(oneClick(b, 31_000 + i))));

      const first = await scheduler.runOnce({ publish: true });
      expect(first.integrated?.signed).toEqual(
        expect.arrayContaining([
          { petitionId: a, size: 300 },
          { petitionId: b, size: 5 },
        ]),
      );
      expect(first.published).toMatchObject({ appended: 2, size: 2, cosignedBy: ['witness.test/w1'] });
      const keys = parseLogKeys(
        formatLogKeys({
          publicUrl: PUBLIC_URL,
          headsVkey: signers.heads.vkey,
          petitionsVkey: signers.petitions.vkey,
          witnesses: [{ name: 'witness.test/w1', vkey: witness.vkey }],
        }),
      );
      // the petition checkpoint verifies under the published key, and its root is the tree of the stored entries,
      // rebuilt here from the served entry bundles
      const stored = await h.db
        .selectFrom('petition_logs')
        .select(['checkpoint'])
        .where('petition_id', '=', a)
        .executeTakeFirstOrThrow();
      const { checkpoint } = verifyPetitionCheckpoint(stored.checkpoint as string, keys, a);
      expect(checkpoint).toMatchObject({ origin: `cheongwon.test/petitions/${a}`, size: 300 });
      const tiles = await readTiles(h.db, petitionTileLog(a), [
        entriesPath(0),
        entriesPath(1, 44),
        tilePath(0, 0),
        tilePath(0, 1, 44),
        tilePath(1, 0, 1),
      ]);
      expect(tiles.size).toBe(5);
      const entries = [
        ...decodeEntryBundle(tiles.get(entriesPath(0)) as Buffer),
        ...decodeEntryBundle(tiles.get(entriesPath(1, 44)) as Buffer, 44),
      ];
      expect(entries.every((e) => decodeEntry(e).kind === 'agreement')).toBe(true);
      const leaves = entries.map(leafHash);
      expect(Buffer.from(rootFromLeafHashes(leaves)).equals(Buffer.from(checkpoint.root))).toBe(true);
      expect(
        tileHashes(tiles.get(tilePath(0, 1, 44)) as Buffer, 44).map((x) => Buffer.from(x).toString('hex')),
      ).toEqual(leaves.slice(256).map((x) => Buffer.from(x).toString('hex')));
      // the heads checkpoint carries the witness's cosignature
      const heads = await findHeadsState(h.db);
      expect(heads.cosignedSize).toBe(2);
      openNote(heads.cosigned as string, [cosignatureVerifier(witness.vkey)]);

      // growth: the next checkpoint extends the last (consistency proof from the tiles), the witness cosigns again
      clock = new Date(clock.getTime() + 2_000);
      await Promise.all(Array.from({ length: 20 }, (_, i) => writer.agree(oneClick(a, 32_000 + i))));
      const second = await scheduler.runOnce({ publish: true });
      expect(second.integrated?.signed).toEqual([{ petitionId: a, size: 320 }]);
      expect(second.published).toMatchObject({ appended: 1, size: 3, cosignedBy: ['witness.test/w1'] });
      const grown = await h.db
        .selectFrom('petition_logs')
        .select(['checkpoint'])
        .where('petition_id', '=', a)
        .executeTakeFirstOrThrow();
      const next = verifyPetitionCheckpoint(grown.checkpoint as string, keys, a).checkpoint;
      const more = await readTiles(h.db, petitionTileLog(a), [entriesPath(1, 64)]);
      const all = [...entries, ...decodeEntryBundle(more.get(entriesPath(1, 64)) as Buffer, 64).slice(44)];
      expect(Buffer.from(rootFromLeafHashes(all.map(leafHash))).equals(Buffer.from(next.root))).toBe(true);
      expect(logLines).toEqual([]);

      // nothing new: no checkpoint is signed again, the heads stays
      const idle = await scheduler.runOnce({ publish: true });
      expect(idle.integrated?.signed).toEqual([]);
      expect(idle.published).toMatchObject({ appended: 0, size: 3 });

      // a checkpoint that does not extend the last is never stored: with a forged latest root the integrator
      // refuses (the stored tiles do not give it); a log with a gap is never signed either
      const original = await h.db
        .selectFrom('petition_logs')
        .select('signed_root')
        .where('petition_id', '=', b)
        .executeTakeFirstOrThrow();
      await h.db
        .updateTable('petition_logs')
        .set({ signed_root: Buffer.alloc(32, 9) })
        .where('petition_id', '=', b)
        .execute();
      await writer.agree(oneClick(b, 31_100));
      await writer.close();
      await expect(scheduler.runOnce()).rejects.toThrow(/do not give the root last signed/);
      await h.db
        .updateTable('petition_logs')
        .set({ signed_root: original.signed_root })
        .where('petition_id', '=', b)
        .execute();
      await h.db.updateTable('petitions').set({ log_size: '7' }).where('id', '=', b).execute();
      await expect(scheduler.runOnce()).rejects.toThrow(/log entries up to 7 are missing/);
      await h.db.updateTable('petitions').set({ log_size: '6' }).where('id', '=', b).execute();
      expect((await scheduler.runOnce()).integrated?.signed).toEqual([{ petitionId: b, size: 6 }]);
      // the witness refuses a heads checkpoint that forks from what it cosigned
      const forked = signNote(
        `cheongwon.test/heads\n3\n${Buffer.alloc(32, 1).toString('base64')}\n`,
        signers.heads.skey,
      );
      const refused = await fetch(`${served.url}/add-checkpoint`, {
        method: 'POST',
        body: `old 3\n\n${forked}`,
      });
      expect(refused.status).toBe(422);
      expect(splitNote(forked).text).toContain('/heads');
      expect(parseCheckpoint(splitNote(heads.checkpoint as string).text).size).toBe(2);
    } finally {
      await scheduler.stop();
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reconcile checks each log against its rows and stored count and reports drift as what it is', async () => {
    const id = await openPetition(h.db);
    const writer = new AgreementWriter({ db: h.db, ...writerParts, now });
    const agreed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => writer.agree(oneClick(id, 40_000 + i))),
    );
    await writer.close();
    expect((await reconcileLogs(h.db)).filter((d) => d.petitionId === id)).toEqual([]);
    // a leaf removed behind the log's back: a gap, an agreement without a leaf, a count from the entries too low
    const victim = agreed[3]?.agreementId as string;
    await h.db.deleteFrom('log_entries').where('agreement_id', '=', victim).execute();
    const [gap] = (await reconcileLogs(h.db)).filter((d) => d.petitionId === id);
    expect(gap).toMatchObject({
      logSize: 10,
      entries: 9,
      span: 10,
      derived: 9,
      stored: 10,
      rows: 10,
      leafless: 1,
    });
    // the same signer's tag twice: reported by the count rule
    const copy = await h.db
      .selectFrom('log_entries')
      .select(['idx', 'entry'])
      .where('petition_id', '=', id)
      .orderBy('idx')
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('log_entries')
      .values({ petition_id: id, idx: '10', entry: copy.entry, agreement_id: null })
      .execute();
    const [dup] = (await reconcileLogs(h.db)).filter((d) => d.petitionId === id);
    expect(dup?.problems.join('\n')).toMatch(/tag appears twice/);
    expect(dup?.span).toBe(11);
  });
});
