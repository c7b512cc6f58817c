import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../src/domain/tlog/checkpoint.js';
import { cosignatureVerifier } from '../../src/domain/tlog/cosignature.js';
import {
  consistencyProof,
  emptyRoot,
  type Hash,
  leafHash,
  memoryNodeReader,
  rootFromLeafHashes,
} from '../../src/domain/tlog/merkle.js';
import { encodeBase64, generateSignerKey, openNote, signNote } from '../../src/domain/tlog/note.js';
import { fileStateStore, loadOrCreateWitnessKey } from '../../src/witness/files.js';
import { startWitnessServer } from '../../src/witness/server.js';
import { Witness } from '../../src/witness/witness.js';

const ORIGIN = 'cheongwon.test/heads';
const log = generateSignerKey(ORIGIN, new Uint8Array(32).fill(5));
const leaves = Array.from({ length: 300 }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`)));
const reader = memoryNodeReader(leaves);
const root = (n: number) => rootFromLeafHashes(leaves.slice(0, n));
const checkpoint = (n: number, r: Hash = root(n), key = log.skey, origin = ORIGIN) =>
  signNote(formatCheckpoint({ origin, size: n, root: r }), key);
const request = (
  old: number,
  n: number,
  proof: Hash[] = old > 0 ? consistencyProof(old, n, reader) : [],
  note = checkpoint(n),
) => `old ${old}\n${proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${note}`;

describe('cheongwon witness (C2SP tlog-witness add-checkpoint, served in-process)', () => {
  let dir: string;
  let url: string;
  let close: () => Promise<void>;
  let vkey: string;
  let clock = 1_900_000_000_000;
  const refusals: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-witness-'));
    const { skey } = loadOrCreateWitnessKey(path.join(dir, 'witness.key'), 'witness.test/w1');
    const w = new Witness({
      skey,
      logs: [{ origin: ORIGIN, vkeys: [log.vkey] }],
      state: fileStateStore(path.join(dir, 'state.json')),
      now: () => clock,
      onRefusal: (_o, status) => refusals.push(String(status)),
    });
    vkey = w.vkey;
    ({ url, close } = await startWitnessServer(w, { port: 0 }));
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: string) => {
    const r = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };

  it('keeps its key in a 0600 key file', () => {
    expect(statSync(path.join(dir, 'witness.key')).mode & 0o777).toBe(0o600);
  });

  it('cosigns a first checkpoint from old size 0, and the cosignature verifies as cosignature/v1', async () => {
    const r = await post(request(0, 10));
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^— witness\.test\/w1 \S+\n$/);
    const v = cosignatureVerifier(vkey);
    expect(openNote(checkpoint(10) + r.text, [v]).verifiedBy).toHaveLength(1);
    expect(v.lastVerifiedTimestamp).toBe(1_900_000_000);
  });

  it('cosigns a consistent extension and persists the state atomically', async () => {
    clock += 5_000;
    const r = await post(request(10, 257));
    expect(r.status).toBe(200);
    const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'));
    expect(state[ORIGIN].size).toBe(257);
    expect(state[ORIGIN].root).toBe(encodeBase64(root(257)));
  });

  it('answers 409 with the size it knows on a stale old size', async () => {
    const r = await post(request(10, 300));
    expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', text: '257\n' });
    expect((await post(request(0, 300))).text).toBe('257\n');
  });

  it('answers 422 on a proof that does not verify, and on a fork at the same size', async () => {
    const bad = consistencyProof(257, 300, reader);
    bad[0] = leafHash(new Uint8Array([1]));
    expect((await post(request(257, 300, bad))).status).toBe(422);
    const forkedRoot = leafHash(new Uint8Array([2]));
    expect((await post(request(257, 257, [], checkpoint(257, forkedRoot)))).status).toBe(422);
    // A forked tree of a larger size, with its own (valid for it) proof, is refused too.
    const forked = [...leaves];
    forked[3] = leafHash(new Uint8Array([3]));
    const forkedProof = consistencyProof(257, 300, memoryNodeReader(forked));
    const forkedNote = checkpoint(300, rootFromLeafHashes(forked.slice(0, 300)));
    expect((await post(request(257, 300, forkedProof, forkedNote))).status).toBe(422);
    expect(refusals.filter((s) => s === '422').length).toBeGreaterThanOrEqual(3);
  });

  it('answers 403 for an unknown key and for a bad signature by the known key', async () => {
    const other = generateSignerKey(ORIGIN, new Uint8Array(32).fill(6));
    expect((await post(request(257, 300, undefined, checkpoint(300, root(300), other.skey)))).status).toBe(
      403,
    );
    const tampered = checkpoint(300).replace(encodeBase64(root(300)), encodeBase64(root(299)));
    expect((await post(request(257, 300, undefined, tampered))).status).toBe(403);
  });

  it('answers 404 for an unknown origin', async () => {
    const stranger = generateSignerKey('elsewhere.test/log', new Uint8Array(32).fill(7));
    const note = checkpoint(3, root(3), stranger.skey, 'elsewhere.test/log');
    expect((await post(request(0, 3, [], note))).status).toBe(404);
  });

  it('answers 400 to malformed requests and to an old size above the checkpoint size', async () => {
    for (const body of [
      '',
      'old -1\n\n',
      'old 01\n\n',
      `old 257\nnot-base64\n\n${checkpoint(300)}`,
      `old 257\n${checkpoint(300)}`, // no empty line
      `old 257\n\n${formatCheckpoint({ origin: ORIGIN, size: 300, root: root(300) })}`, // unsigned
      `old 257\n${`${encodeBase64(root(1))}\n`.repeat(64)}\n${checkpoint(300)}`,
    ]) {
      expect((await post(body)).status, body.slice(0, 30)).toBe(400);
    }
    expect((await post(request(301, 300, []))).status).toBe(400);
    const huge = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect((await fetch(`${url}/add-checkpoint`)).status).toBe(405);
  });

  it('cosigns the same checkpoint again (equal sizes, equal roots)', async () => {
    expect(await post(request(257, 257, [], checkpoint(257)))).toMatchObject({ status: 200 });
  });

  it('answers 422 for a size-0 checkpoint without the empty-tree root, and for a proof from size 0', async () => {
    const origin = ORIGIN;
    // A fresh witness for these two cases.
    const d = mkdtempSync(path.join(tmpdir(), 'cheongwon-witness-'));
    const w = new Witness({
      skey: loadOrCreateWitnessKey(path.join(d, 'k'), 'witness.test/w2').skey,
      logs: [{ origin, vkeys: [log.vkey] }],
      state: fileStateStore(path.join(d, 's.json')),
    });
    expect((await w.addCheckpoint(request(0, 0, [], checkpoint(0, root(1))))).status).toBe(422);
    expect((await w.addCheckpoint(request(0, 0, [], checkpoint(0, emptyRoot())))).status).toBe(200);
    expect(await w.addCheckpoint(request(0, 5, [root(1)]))).toMatchObject({ status: 422 });
    rmSync(d, { recursive: true, force: true });
  });

  it('serves the latest cosigned checkpoint to monitors at /<sha256(origin)>/checkpoint', async () => {
    const hash = createHash('sha256').update(ORIGIN).digest('hex');
    const r = await fetch(`${url}/${hash}/checkpoint`);
    expect(r.status).toBe(200);
    const note = await r.text();
    const opened = openNote(note, [log.vkey, cosignatureVerifier(vkey)]);
    expect(opened.text).toContain('\n257\n');
    expect(opened.verifiedBy).toHaveLength(2);
    expect((await fetch(`${url}/${'0'.repeat(64)}/checkpoint`)).status).toBe(404);
  });

  it('serialises racing requests: two extensions from the same old size, one wins, one gets 409', async () => {
    const [a, b] = await Promise.all([post(request(257, 280)), post(request(257, 290))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('keeps its state across a restart', async () => {
    const state = fileStateStore(path.join(dir, 'state.json'));
    expect([280, 290]).toContain(state.get(ORIGIN)?.size);
  });
});

describe('cheongwon witness CLI', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  const main = path.join(root, 'src/cli/main.ts');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-witness-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('init writes a configuration and a key; serve cosigns over HTTP', async () => {
    const init = await promisify(execFile)(tsx, [
      main,
      'witness',
      'init',
      '--dir',
      dir,
      '--name',
      'civic.test/w',
      '--log',
      log.vkey,
    ]);
    const published = /publish this witness key: (\S+)/.exec(init.stdout)?.[1] as string;
    expect(published).toMatch(/^civic\.test\/w\+[0-9a-f]{8}\+/);
    const child = spawn(tsx, [
      main,
      'witness',
      'serve',
      '--config',
      path.join(dir, 'witness.conf'),
      '--port',
      '0',
    ]);
    try {
      const listening = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`witness exited ${code}: ${out}`)));
      });
      const r = await fetch(`${listening}/add-checkpoint`, { method: 'POST', body: request(0, 7) });
      expect(r.status).toBe(200);
      expect(
        openNote(checkpoint(7) + (await r.text()), [cosignatureVerifier(published)]).verifiedBy,
      ).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
  }, 300_000); // child processes under tsx: slow on a shared machine
});
