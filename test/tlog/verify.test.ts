import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  agreementTag,
  encodeAgreementEntry,
  encodeCloseEntry,
  encodeInvalidationEntry,
  encodeReinstatementEntry,
  encodeStatementEntry,
  receiptCommitment,
  statementHash,
} from '../../src/domain/tlog/entries.js';
import { inclusionProof, leafHash, memoryNodeReader } from '../../src/domain/tlog/merkle.js';
import { generateSignerKey, signNote } from '../../src/domain/tlog/note.js';
import { parseLogKeys } from '../../src/domain/tlog/site-log.js';
import { decodeEntryBundle, encodeEntryBundle, entriesPath } from '../../src/domain/tlog/tiles.js';
import { formatTlogProof } from '../../src/domain/tlog/tlog-proof.js';
import { verifyConsistencyOf } from '../../src/verify/consistency.js';
import { verifyCount } from '../../src/verify/count.js';
import { type MonitorState, monitorPass } from '../../src/verify/monitor.js';
import { EXIT_CODES, type FailureKind, VerifyFailure } from '../../src/verify/outcome.js';
import { verifyReceipt } from '../../src/verify/receipt.js';
import { dirSource, httpSource } from '../../src/verify/source.js';
import { FileLog, LogSite, serveDirectory } from '../support/tlog-site.js';

const K = new Uint8Array(32).fill(42);
const secret = (i: number) => {
  const s = new Uint8Array(16);
  new DataView(s.buffer).setUint32(0, i + 1);
  return s;
};
const agreement = (i: number) =>
  encodeAgreementEntry({ tag: agreementTag(K, `signer-${i}`), commitment: receiptCommitment(secret(i)) });
const agreements = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => agreement(from + k));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * An honest site: petition 6 (700 agreements in three batches, 3 invalidated under a statement, 1 reinstated, closed
 * at 698) and petition 7 (300 agreements, open), each batch published to the heads log and cosigned by 2 of 3
 * witnesses (quorum 2).
 */
function honestSite(): LogSite {
  const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-verify-'));
  dirs.push(dir);
  const site = new LogSite(dir);
  site.appendToPetition(6, agreements(0, 300));
  site.appendToPetition(7, agreements(1000, 1200));
  site.publishHeads([0, 1]);
  site.appendToPetition(6, agreements(300, 650));
  site.publishHeads([0, 1]);
  site.appendToPetition(6, [
    ...agreements(650, 700),
    encodeStatementEntry({ statementHash: statementHash('3 automated agreements'), invalidates: 3 }), // 700
    encodeInvalidationEntry({ target: 5, statement: 700, reason: 2 }),
    encodeInvalidationEntry({ target: 9, statement: 700, reason: 2 }),
    encodeInvalidationEntry({ target: 600, statement: 700, reason: 2 }),
    encodeStatementEntry({ statementHash: statementHash('1 reinstated on appeal'), invalidates: 0 }), // 704
    encodeReinstatementEntry({ target: 9, statement: 704 }),
    encodeCloseEntry(698),
  ]);
  site.appendToPetition(7, agreements(1200, 1300));
  site.publishHeads([1, 2]);
  site.showCount(6, 698, 'closed');
  site.showCount(7, 300, 'open');
  return site;
}

async function failure(p: Promise<unknown>): Promise<FailureKind | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof VerifyFailure) return e.kind;
    throw e;
  }
}

/** Rebuilds a petition's log from scratch with other entries (what an operator rewriting history would do). */
function rewrite(site: LogSite, id: number, entries: Uint8Array[]): FileLog {
  rmSync(path.join(site.dir, `log/petitions/${id}`), { recursive: true, force: true });
  const log = new FileLog(site.dir, `log/petitions/${id}`, site.petition(id).origin);
  site.petitions.set(String(id), log);
  log.append(entries);
  log.sign(site.petitionsKey.skey);
  return log;
}

describe('cheongwon verify count: an honest log', () => {
  it('recomputes the count from a directory, fetching only the files it needs', async () => {
    const site = honestSite();
    const source = dirSource(site.dir);
    const r = await verifyCount(source, '6');
    expect(r.derived).toMatchObject({
      count: 698,
      agreements: 700,
      invalidated: 3,
      reinstated: 1,
      closedAt: 698,
      problems: [],
    });
    expect(r.size).toBe(707);
    expect(r.heads.witnessedSize).toBe(707);
    expect(r.heads.witnesses.map((w) => w.name)).toEqual(['w2', 'w3']);
    expect(r.files.fetched).toBe(r.files.needed);
    expect(r.files.bundles).toBe(3);
  });

  it('recomputes it over HTTP from a static server, and never asks for the petition hash tiles', async () => {
    const site = honestSite();
    const server = await serveDirectory(site.dir);
    try {
      const r = await verifyCount(httpSource(server.url), '6', { siteCount: true });
      expect(r.derived.count).toBe(698);
      expect(r.siteCount).toEqual({ count: 698, state: 'closed' });
      expect(
        server.requests.filter(
          (p) => p.startsWith('/log/petitions/6/tile/0') || p.startsWith('/log/petitions/6/tile/1'),
        ),
      ).toEqual([]);
      expect(server.requests.filter((p) => p.startsWith('/log/petitions/7'))).toEqual([]);
      const open = await verifyCount(httpSource(server.url), '7', { siteCount: true });
      expect(open.derived.count).toBe(300);
      expect(open.derived.closedAt).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('accepts a petition checkpoint ahead of the witnessed one when the witnessed one is its prefix', async () => {
    const site = honestSite();
    site.appendToPetition(7, agreements(1300, 1310));
    const r = await verifyCount(dirSource(site.dir), '7');
    expect(r.size).toBe(310);
    expect(r.heads.witnessedSize).toBe(300);
  });
});

describe('cheongwon verify count: hashing on worker threads', () => {
  it('gives the same answer with and without threads, with the witnessed size inside a bundle', async () => {
    const site = honestSite();
    site.appendToPetition(10, agreements(0, 2_600));
    site.publishHeads([0, 1]);
    site.appendToPetition(10, agreements(2_600, 3_000));
    const withThreads = await verifyCount(dirSource(site.dir), '10', { threads: 2 });
    const without = await verifyCount(dirSource(site.dir), '10', { threads: 0 });
    expect(withThreads.derived.count).toBe(3_000);
    expect(withThreads.heads.witnessedSize).toBe(2_600);
    expect(withThreads.root).toBe(without.root);
    const log = site.petition(10);
    const p = entriesPath(4, 256);
    const entries = decodeEntryBundle(log.read(p));
    entries[200] = agreement(77_777);
    log.overwrite(p, encodeEntryBundle(entries));
    expect(await failure(verifyCount(dirSource(site.dir), '10', { threads: 2 }))).toBe('dropped-leaf');
  });
});

describe('cheongwon verify count: each kind of tampering is reported as itself', () => {
  it('a tampered count: the site shows another number, or the page count given differs', async () => {
    const site = honestSite();
    site.showCount(6, 750, 'closed');
    const server = await serveDirectory(site.dir);
    try {
      expect(await failure(verifyCount(httpSource(server.url), '6', { siteCount: true }))).toBe(
        'tampered-count',
      );
    } finally {
      await server.close();
    }
    expect(await failure(verifyCount(dirSource(site.dir), '6', { expect: 699 }))).toBe('tampered-count');
  });

  it('a tampered count: a signed, witnessed log whose close entry or entries break the count rule', async () => {
    const site = honestSite();
    site.appendToPetition(8, [...agreements(0, 10), agreement(3), encodeCloseEntry(11)]);
    site.publishHeads([0, 1]);
    const e = verifyCount(dirSource(site.dir), '8');
    await expect(e).rejects.toThrow(/duplicate|tag appears twice/);
    expect(await failure(verifyCount(dirSource(site.dir), '8'))).toBe('tampered-count');
  });

  it('a dropped leaf: an entry bundle missing an entry, or an entry changed', async () => {
    const site = honestSite();
    const log = site.petition(6);
    const p = entriesPath(1, 256);
    const original = log.read(p);
    const entries = decodeEntryBundle(original);
    log.overwrite(p, encodeEntryBundle(entries.filter((_, i) => i !== 17)));
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('dropped-leaf');
    const changed = [...entries];
    changed[17] = agreement(99_999);
    log.overwrite(p, encodeEntryBundle(changed));
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('dropped-leaf');
    log.remove(p);
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('dropped-leaf');
  });

  it('a forked history: the log was rebuilt without a leaf the witnesses already saw', async () => {
    const site = honestSite();
    // Agreement 3 disappears; two new ones keep the size above the witnessed 300.
    rewrite(site, 7, [...agreements(1000, 1003), ...agreements(1004, 1300), ...agreements(2000, 2005)]);
    expect(await failure(verifyCount(dirSource(site.dir), '7'))).toBe('forked-history');
  });

  it('a shrunk history: the site serves fewer entries than it showed the witnesses', async () => {
    const site = honestSite();
    rewrite(site, 7, agreements(1000, 1250));
    expect(await failure(verifyCount(dirSource(site.dir), '7'))).toBe('shrunk-history');
  });

  it('a bad signature: on the petition checkpoint, on the heads checkpoint, or on a cosignature', async () => {
    const site = honestSite();
    const impostor = generateSignerKey(site.petitionsKey.vkey.split('+')[0] as string);
    const log = site.petition(6);
    log.sign(impostor.skey);
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('bad-signature');
    log.sign(site.petitionsKey.skey);
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('ok');
    const heads = site.heads.read('checkpoint').toString();
    const lines = heads.split('\n');
    const last = lines[lines.length - 2] as string;
    const flipped = `${last.slice(0, -6)}${last.slice(-6, -5) === 'A' ? 'B' : 'A'}${last.slice(-5)}`;
    site.heads.overwrite('checkpoint', heads.replace(last, flipped));
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('bad-signature');
    site.heads.overwrite('checkpoint', heads.replace(/\n\d+\n/, '\n1\n'));
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('bad-signature');
  });

  it('a missing witness quorum: the heads checkpoint cosigned by one witness of the two required', async () => {
    const site = honestSite();
    site.publishHeads([2]);
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('no-quorum');
    site.publishHeads([]);
    expect(await failure(verifyCount(dirSource(site.dir), '6'))).toBe('no-quorum');
  });

  it('a petition never shown to the witnesses', async () => {
    const site = honestSite();
    site.appendToPetition(9, agreements(0, 5));
    expect(await failure(verifyCount(dirSource(site.dir), '9'))).toBe('not-witnessed');
  });
});

describe('cheongwon verify receipt', () => {
  const receiptFor = (site: LogSite, id: number, index: number, entries: Uint8Array[]) => {
    const log = site.petition(id);
    return formatTlogProof({
      extra: entries[index] as Uint8Array,
      index,
      proof: inclusionProof(index, entries.length, memoryNodeReader(entries.map(leafHash))),
      checkpoint: log.note,
    });
  };

  it('verifies offline and online, against later checkpoints, and knows whose agreement it is', async () => {
    const site = honestSite();
    // Petition 7 has 300 entries: agreements 1000…1299.
    const entries = agreements(1000, 1300);
    const receipt = receiptFor(site, 7, 42, entries);
    const keys = parseLogKeys(site.heads.read('../key').toString());
    const offline = await verifyReceipt(receipt, keys, { secret: secret(1042) });
    expect(offline).toMatchObject({ index: 42, receiptSize: 300, kind: 'agreement', secretMatches: true });
    expect(await failure(verifyReceipt(receipt, keys, { secret: secret(1043) }))).toBe('receipt-invalid');
    // The log grows and is witnessed again: the old receipt verifies against the new checkpoint.
    site.appendToPetition(7, agreements(1300, 1600));
    site.publishHeads([0, 2]);
    const online = await verifyReceipt(receipt, keys, { source: dirSource(site.dir) });
    expect(online).toMatchObject({ currentSize: 600, witnessedSize: 600 });
    // A receipt with a forged index or entry fails.
    expect(await failure(verifyReceipt(receipt.replace('index 42', 'index 43'), keys))).toBe(
      'receipt-invalid',
    );
    // The log was rewritten without this agreement: the online check says so.
    rewrite(site, 7, [...agreements(1000, 1042), ...agreements(1043, 1600), agreement(5000)]);
    expect(await failure(verifyReceipt(receipt, keys, { source: dirSource(site.dir) }))).toBe('dropped-leaf');
  });
});

describe('cheongwon verify consistency', () => {
  it('accepts an extension and reports a fork or a shrink as itself', async () => {
    const site = honestSite();
    const keys = parseLogKeys(site.heads.read('../key').toString());
    const before = site.petition(7).note;
    site.appendToPetition(7, agreements(1300, 1400));
    const after = site.petition(7).note;
    const source = dirSource(site.dir);
    expect((await verifyConsistencyOf(source, keys, before, after)).newSize).toBe(400);
    expect(await failure(verifyConsistencyOf(source, keys, after, before))).toBe('shrunk-history');
    const headsBefore = site.heads.note;
    site.publishHeads([0, 1]);
    expect((await verifyConsistencyOf(source, keys, headsBefore, site.heads.note)).origin).toBe(
      'cheongwon.test/heads',
    );
    const forked = rewrite(site, 7, [
      ...agreements(1000, 1010),
      agreement(7777),
      ...agreements(1011, 1400),
      agreement(8888),
    ]);
    expect(await failure(verifyConsistencyOf(source, keys, before, forked.note))).toBe('forked-history');
    const stranger = generateSignerKey('cheongwon.test/petitions');
    expect(
      await failure(
        verifyConsistencyOf(source, keys, signNote(`${before.split('\n\n')[0]}\n`, stranger.skey), after),
      ),
    ).toBe('bad-signature');
  });
});

describe('cheongwon verify monitor', () => {
  it('follows the heads log and reports a petition whose history forks, then one that shrinks', async () => {
    const site = honestSite();
    const source = dirSource(site.dir);
    const state: MonitorState = { logs: {} };
    const first = await monitorPass(source, state);
    expect(first.findings).toEqual([]);
    expect(first.petitionsSeen).toBe(2);
    site.appendToPetition(6, []);
    site.appendToPetition(7, agreements(1300, 1350));
    site.publishHeads([0, 1]);
    expect((await monitorPass(source, state)).findings).toEqual([]);
    expect(state.logs['cheongwon.test/petitions/7']?.size).toBe(350);
    // The operator rewrites petition 7 (drops an agreement, adds two) and publishes it: count alone would pass,
    // since the latest heads entry matches, but the monitor remembers the previous one.
    rewrite(site, 7, [
      ...agreements(1000, 1100),
      ...agreements(1101, 1350),
      agreement(9001),
      agreement(9002),
    ]);
    site.publishHeads([0, 1]);
    expect(await failure(verifyCount(source, '7'))).toBe('ok');
    const forked = await monitorPass(source, state);
    expect(forked.findings.map((f) => [f.kind, f.origin])).toEqual([
      ['forked-history', 'cheongwon.test/petitions/7'],
    ]);
    rewrite(site, 6, agreements(0, 100));
    site.publishHeads([0, 1]);
    const shrunk = await monitorPass(source, state);
    expect(shrunk.findings.map((f) => f.kind)).toEqual(['shrunk-history']);
    expect(shrunk.findings[0]?.origin).toBe('cheongwon.test/petitions/6');
  });

  it('reports a heads log that was rewritten', async () => {
    const site = honestSite();
    const source = dirSource(site.dir);
    const state: MonitorState = { logs: {} };
    await monitorPass(source, state);
    rmSync(path.join(site.dir, 'log/heads'), { recursive: true });
    const heads = new FileLog(site.dir, 'log/heads', site.heads.origin);
    Object.assign(site, { heads });
    (site as unknown as { published: Map<string, string> }).published.clear();
    site.appendToPetition(7, agreements(1300, 1301));
    site.publishHeads([0, 1]);
    site.publishHeads([0, 1]);
    // The first pass saw 5 heads entries; the rewritten heads log has 2, then grows to 6 with other entries.
    expect(
      (await monitorPass(source, { ...state, logs: { ...state.logs } })).findings.map((f) => f.kind),
    ).toEqual(['shrunk-history']);
    for (let i = 0; i < 4; i++) {
      site.appendToPetition(7, agreements(1400 + i, 1401 + i));
      site.publishHeads([0, 1]);
    }
    const r = await monitorPass(source, state);
    expect([state.heads?.size, r.headsSize, r.findings.map((f) => f.kind)]).toEqual([
      5,
      6,
      ['forked-history'],
    ]);
  });
});

describe('cheongwon verify CLI', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  const main = path.join(root, 'src/cli/main.ts');
  let site: LogSite;

  it('exits 0 with a readable report, and with the documented code when a leaf was dropped', async () => {
    site = honestSite();
    const ok = await promisify(execFile)(tsx, [main, 'verify', 'count', '6', '--dir', site.dir]);
    expect(ok.stdout).toContain('count      698 = 700 agreements − 3 invalidated + 1 reinstated');
    expect(ok.stdout).toContain('VERIFIED');
    const p = entriesPath(0, 256);
    const entries = decodeEntryBundle(site.petition(6).read(p));
    site.petition(6).overwrite(p, encodeEntryBundle(entries.slice(1)));
    const bad = await promisify(execFile)(tsx, [main, 'verify', 'count', '6', '--dir', site.dir]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((bad as { code: number }).code).toBe(EXIT_CODES['dropped-leaf']);
    expect((bad as { stderr: string }).stderr).toMatch(/^DROPPED LEAF: /);
    writeFileSync(path.join(site.dir, 'receipt.tlog-proof'), 'not a receipt\n');
    const r = await promisify(execFile)(tsx, [
      main,
      'verify',
      'receipt',
      path.join(site.dir, 'receipt.tlog-proof'),
      '--dir',
      site.dir,
    ]).catch((e: { code: number }) => e);
    expect((r as { code: number }).code).toBe(EXIT_CODES['receipt-invalid']);
  }, 300_000); // child processes under tsx: slow on a shared machine
});
