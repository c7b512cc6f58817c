import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import {
  anyVerifier,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignCheckpoint,
  cosignedMessage,
  cosigner,
  generateCosignerKey,
} from './cosignature.js';
import { inclusionProof, leafHash, memoryNodeReader, rootFromLeafHashes } from './merkle.js';
import { generateSignerKey, NoteError, openNote, signNote, splitNote } from './note.js';
import {
  type CheckpointVerificationError,
  formatPolicy,
  PolicyError,
  parsePolicy,
  quorumMet,
  verifyCheckpoint,
} from './policy.js';
import { formatTlogProof, parseTlogProof, TlogProofError, verifyTlogProof } from './tlog-proof.js';

const v = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/tlog/note/vectors.json'), 'utf8'),
) as {
  c2sp: Record<string, string>;
};
const seed = (n: number) => new Uint8Array(32).fill(n);

describe('cosignature/v1 (C2SP tlog-cosignature)', () => {
  it('signs the message of the spec example: header, time line, whole body', () => {
    expect(new TextDecoder().decode(cosignedMessage(v.c2sp.checkpointBody as string, 1679315147))).toBe(
      v.c2sp.cosignedMessage,
    );
  });

  it('reads the timestamp of the spec example cosignature (key ID ‖ u64 time ‖ signature)', () => {
    const note = `${v.c2sp.checkpointBody}\n— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n`;
    const [sig] = splitNote(note).signatures;
    expect(sig?.keyId).toBe(0x8d66cf3f);
    expect(cosignatureTimestamp(sig?.signature as Uint8Array)).toBe(1679315147);
  });

  it('key ID uses type 0x04, and a cosignature verifies only as a cosignature', () => {
    const w = generateCosignerKey('witness.example/w1', seed(1));
    const n = generateSignerKey('witness.example/w1', seed(1));
    expect(w.vkey.split('+')[1]).not.toBe(n.vkey.split('+')[1]);
    expect(cosigner(w.skey).vkey).toBe(w.vkey);
    const body = v.c2sp.checkpointBody as string;
    const line = cosignCheckpoint(body, w.skey, 1_700_000_000);
    const verifier = cosignatureVerifier(w.vkey);
    expect(openNote(`${body}\n${line}`, [verifier]).verifiedBy).toHaveLength(1);
    expect(verifier.lastVerifiedTimestamp).toBe(1_700_000_000);
    // Future timestamps can be refused.
    expect(() => openNote(`${body}\n${line}`, [cosignatureVerifier(w.vkey, 1_600_000_000)])).toThrow(
      /invalid signature/,
    );
    // The same key as a plain note key does not accept it (the key IDs differ, so it is ignored).
    expect(() => openNote(`${body}\n${line}`, [n.vkey])).toThrow(/no verifiable signatures/);
    expect(() => anyVerifier(w.vkey.replace(/\+[^+]+$/, '+BQ=='))).toThrow(NoteError);
    expect(() => cosignCheckpoint(body, w.skey, 0)).toThrow(RangeError);
  });
});

describe('tlog-policy', () => {
  const log = generateSignerKey('cheongwon.example/heads', seed(2));
  const ws = [1, 2, 3, 4].map((i) => generateCosignerKey(`w${i}.example`, seed(10 + i)));

  it('parses the spec example shape, with groups of groups', () => {
    const p = parsePolicy(`# Cheongwon heads log
log ${log.vkey} https://cheongwon.example/log/heads
witness X1 ${ws[0]?.vkey}
witness X2 ${ws[1]?.vkey}\t https://w2.example/
witness Y1 ${ws[2]?.vkey}
group X 2 X1 X2
group Y any Y1
group XY all X Y
quorum XY
`);
    expect(p.logs[0]?.origin).toBe('cheongwon.example/heads');
    expect(p.witnesses.map((w) => w.name)).toEqual(['X1', 'X2', 'Y1']);
    expect(p.witnesses[1]?.url).toBe('https://w2.example/');
    expect(quorumMet(p, new Set(['X1', 'X2', 'Y1']))).toBe(true);
    expect(quorumMet(p, new Set(['X1', 'Y1']))).toBe(false);
    expect(quorumMet(p, new Set(['X1', 'X2']))).toBe(false);
    expect(parsePolicy(formatPolicy(p))).toEqual(p);
    expect(quorumMet(parsePolicy(`log ${log.vkey}\nquorum none\n`), new Set())).toBe(true);
  });

  it('refuses what the spec forbids', () => {
    const w = `witness A ${ws[0]?.vkey}\n`;
    for (const bad of [
      `${w}`, // no quorum
      `${w}quorum A\nquorum A\n`,
      `quorum A\n${w}`, // forward reference
      `${w}witness A ${ws[1]?.vkey}\nquorum A\n`, // duplicate name
      `${w}witness B ${ws[0]?.vkey}\nquorum A\n`, // duplicate key
      `${w}group G 2 A\nquorum G\n`, // threshold above n
      `${w}group G 0 A\nquorum G\n`,
      `${w}group G any A A\nquorum G\n`,
      `${w}group G any none\nquorum G\n`,
      `witness A ${log.vkey}\nquorum A\n`, // a log key as a witness key
      `log ${ws[0]?.vkey}\nquorum none\n`, // a witness key as a log key
      `${w}frobnicate\nquorum A\n`,
    ]) {
      expect(() => parsePolicy(bad), bad).toThrow(PolicyError);
    }
  });

  it('verifies a checkpoint: log signature, each cosignature, the quorum — each failure named', () => {
    const policy = parsePolicy(
      `log ${log.vkey}\nwitness A ${ws[0]?.vkey}\nwitness B ${ws[1]?.vkey}\nwitness C ${ws[2]?.vkey}\ngroup G 2 A B C\nquorum G\n`,
    );
    const body = formatCheckpoint({
      origin: 'cheongwon.example/heads',
      size: 3,
      root: leafHash(new Uint8Array([1])),
    });
    const signed = signNote(body, log.skey);
    const cos = (i: number) => cosignCheckpoint(body, ws[i]?.skey as string, 1_800_000_000 + i);
    const ok = verifyCheckpoint(signed + cos(0) + cos(2) + cos(3), policy);
    expect(ok.witnesses).toEqual([
      { name: 'A', timestamp: 1_800_000_000 },
      { name: 'C', timestamp: 1_800_000_002 },
    ]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CheckpointVerificationError).code;
      }
      return 'ok';
    };
    expect(code(() => verifyCheckpoint(signed + cos(0), policy))).toBe('no-quorum');
    const forged = cos(1).replace(/.{6}=?=?\n$/, (m) => `${m.startsWith('A') ? 'B' : 'A'}${m.slice(1)}`);
    expect(code(() => verifyCheckpoint(signed + cos(0) + forged, policy))).toBe('bad-witness-signature');
    const other = generateSignerKey('cheongwon.example/heads', seed(99));
    expect(code(() => verifyCheckpoint(signNote(body, other.skey) + cos(0) + cos(1), policy))).toBe(
      'bad-log-signature',
    );
    const tampered = signed.replace('\n3\n', '\n4\n') + cos(0) + cos(1);
    expect(code(() => verifyCheckpoint(tampered, policy))).toBe('bad-log-signature');
    expect(code(() => verifyCheckpoint(signed, policy, { origin: 'other' }))).toBe('unknown-log');
    expect(code(() => verifyCheckpoint('garbage', policy))).toBe('malformed');
    expect(
      code(() => verifyCheckpoint(signed + cos(0) + cos(1), policy, { nowSeconds: 1_700_000_000 })),
    ).toBe('bad-witness-signature');
  });
});

describe('tlog-proof files', () => {
  const log = generateSignerKey('cheongwon.example/petitions/6', seed(3));
  const w = generateCosignerKey('w.example', seed(4));
  const policy = parsePolicy(`log ${log.vkey}\nwitness W ${w.vkey}\nquorum W\n`);
  const entries = Array.from({ length: 11 }, (_, i) => new Uint8Array([1, i]));
  const leaves = entries.map(leafHash);
  const body = formatCheckpoint({
    origin: 'cheongwon.example/petitions/6',
    size: 11,
    root: rootFromLeafHashes(leaves),
  });
  const checkpoint = signNote(body, log.skey) + cosignCheckpoint(body, w.skey, 1_800_000_000);

  it('builds, parses and verifies a receipt carrying its entry in extra', () => {
    const text = formatTlogProof({
      extra: entries[7] as Uint8Array,
      index: 7,
      proof: inclusionProof(7, 11, memoryNodeReader(leaves)),
      checkpoint,
    });
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nextra AQc=\nindex 7\n')).toBe(true);
    expect(parseTlogProof(text).checkpoint).toBe(checkpoint);
    expect(verifyTlogProof(text, policy).proof.index).toBe(7);
    expect(() => verifyTlogProof(text, policy, { entry: entries[6] as Uint8Array })).toThrow(TlogProofError);
    const wrongIndex = text.replace('index 7', 'index 6');
    expect(() => verifyTlogProof(wrongIndex, policy)).toThrow(/not in the signed tree/);
  });

  it('refuses malformed files', () => {
    const good = formatTlogProof({ index: 0, proof: [], checkpoint });
    expect(parseTlogProof(good).proof).toEqual([]);
    for (const bad of [
      good.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'),
      good.replace('index 0', 'index 01'),
      good.replace('index 0\n', 'index 0\nnot-base64\n'),
      good.replace('index 0\n\n', 'index 0\n'),
      'c2sp.org/tlog-proof@v1\nindex 0\n\n',
    ]) {
      expect(() => parseTlogProof(bad), bad.slice(0, 60)).toThrow(TlogProofError);
    }
  });
});
