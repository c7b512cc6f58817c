import { describe, expect, it } from 'vitest';
import {
  agreementTag,
  type CountProblem,
  decodeEntry,
  deriveCount,
  EntryError,
  encodeAgreementEntry,
  encodeCloseEntry,
  encodeEntry,
  encodeInvalidationEntry,
  encodeReinstatementEntry,
  encodeStatementEntry,
  receiptCommitment,
  statementHash,
} from './entries.js';

const key = new Uint8Array(32).fill(9);
const agreement = (signer: string, secret = new Uint8Array(16).fill(signer.length)) =>
  encodeAgreementEntry({ tag: agreementTag(key, signer), commitment: receiptCommitment(secret) });
const codes = (problems: CountProblem[]) => problems.map((p) => `${p.index}:${p.code}`);

describe('entry encoding', () => {
  it('has the documented layout, byte for byte', () => {
    const a = agreement('p1');
    expect(a).toHaveLength(65);
    expect(a[0]).toBe(1);
    const inv = encodeInvalidationEntry({ target: 258, statement: 3, reason: 2 });
    expect(Buffer.from(inv).toString('hex')).toBe(`02${'0000000000000102'}${'0000000000000003'}0002`);
    const re = encodeReinstatementEntry({ target: 1, statement: 2 });
    expect(Buffer.from(re).toString('hex')).toBe('0300000000000000010000000000000002');
    const st = encodeStatementEntry({ statementHash: statementHash('text'), invalidates: 5 });
    expect(st).toHaveLength(41);
    expect(Buffer.from(encodeCloseEntry(1_000_000)).toString('hex')).toBe('0500000000000f4240');
  });

  it('decodes what it encodes', () => {
    for (const bytes of [
      agreement('x'),
      encodeInvalidationEntry({ target: 1, statement: 2, reason: 0xffff }),
      encodeReinstatementEntry({ target: 7, statement: 9 }),
      encodeStatementEntry({ statementHash: statementHash('s'), invalidates: 0 }),
      encodeCloseEntry(0),
    ]) {
      expect(encodeEntry(decodeEntry(bytes))).toEqual(bytes);
    }
  });

  it('refuses malformed entries with a clear error', () => {
    expect(() => decodeEntry(new Uint8Array())).toThrow(/empty/);
    expect(() => decodeEntry(new Uint8Array([9, 0]))).toThrow(/unknown entry kind 0x09/);
    expect(() => decodeEntry(agreement('x').subarray(0, 64))).toThrow(/65 bytes, not 64/);
    const huge = encodeCloseEntry(0);
    huge.fill(0xff, 1);
    expect(() => decodeEntry(huge)).toThrow(EntryError);
    expect(() => encodeAgreementEntry({ tag: new Uint8Array(31), commitment: new Uint8Array(32) })).toThrow(
      /32 bytes/,
    );
    expect(() => receiptCommitment(new Uint8Array(15))).toThrow(/16 bytes/);
    expect(() => encodeInvalidationEntry({ target: -1, statement: 0, reason: 1 })).toThrow(EntryError);
  });

  it('keys tags by the petition key: the same signer gives different tags on different petitions', () => {
    expect(agreementTag(key, 'signer')).toEqual(agreementTag(key, 'signer'));
    expect(agreementTag(key, 'signer')).not.toEqual(agreementTag(new Uint8Array(32).fill(1), 'signer'));
  });
});

describe('the count rule (deriveCount)', () => {
  it('counts agreements − invalidated + reinstated and checks the close', () => {
    const log = [
      agreement('a'), // 0
      agreement('b'), // 1
      agreement('c'), // 2
      encodeStatementEntry({ statementHash: statementHash('bots'), invalidates: 2 }), // 3
      encodeInvalidationEntry({ target: 0, statement: 3, reason: 2 }), // 4
      encodeInvalidationEntry({ target: 2, statement: 3, reason: 2 }), // 5
      encodeStatementEntry({ statementHash: statementHash('appeal'), invalidates: 0 }), // 6
      encodeReinstatementEntry({ target: 2, statement: 6 }), // 7
      agreement('d'), // 8
      encodeCloseEntry(3), // 9
    ];
    const d = deriveCount(log);
    expect(d).toMatchObject({
      count: 3,
      agreements: 4,
      invalidated: 2,
      reinstated: 1,
      statements: 2,
      closedAt: 3,
    });
    expect(d.problems).toEqual([]);
    expect(deriveCount(log.map(decodeEntry)).count).toBe(3);
  });

  it('reports each broken rule as itself', () => {
    const st = encodeStatementEntry({ statementHash: statementHash('s'), invalidates: 1 });
    expect(codes(deriveCount([agreement('a'), agreement('a')]).problems)).toEqual(['1:duplicate-tag']);
    expect(deriveCount([agreement('a'), agreement('a')]).count).toBe(1);
    expect(codes(deriveCount([agreement('a'), encodeCloseEntry(2)]).problems)).toEqual(['1:close-mismatch']);
    expect(
      codes(
        deriveCount([agreement('a'), st, encodeInvalidationEntry({ target: 1, statement: 1, reason: 1 })])
          .problems,
      ),
    ).toEqual(['2:invalidation-target-not-agreement']);
    expect(
      codes(
        deriveCount([agreement('a'), st, encodeInvalidationEntry({ target: 5, statement: 1, reason: 1 })])
          .problems,
      ),
    ).toEqual(['2:invalidation-target-not-agreement']);
    expect(
      codes(
        deriveCount([
          agreement('a'),
          agreement('b'),
          encodeInvalidationEntry({ target: 0, statement: 1, reason: 1 }),
        ]).problems,
      ),
    ).toEqual(['2:statement-reference-not-statement']);
    expect(
      codes(
        deriveCount([
          agreement('a'),
          agreement('b'),
          st,
          encodeInvalidationEntry({ target: 0, statement: 2, reason: 1 }),
          encodeInvalidationEntry({ target: 1, statement: 2, reason: 1 }),
        ]).problems,
      ),
    ).toEqual(['4:statement-overrun']);
    expect(
      codes(
        deriveCount([
          agreement('a'),
          encodeStatementEntry({ statementHash: statementHash('s'), invalidates: 2 }),
          encodeInvalidationEntry({ target: 0, statement: 1, reason: 1 }),
          encodeInvalidationEntry({ target: 0, statement: 1, reason: 1 }),
        ]).problems,
      ),
    ).toEqual(['3:invalidation-target-not-counted']);
    expect(
      codes(
        deriveCount([agreement('a'), st, encodeReinstatementEntry({ target: 0, statement: 1 })]).problems,
      ),
    ).toEqual(['2:reinstatement-target-not-invalidated']);
    expect(codes(deriveCount([agreement('a'), encodeCloseEntry(1), agreement('b')]).problems)).toEqual([
      '2:agreement-after-close',
      '1:count-changed-after-close',
    ]);
    expect(codes(deriveCount([agreement('a'), new Uint8Array([7])]).problems)).toEqual(['1:malformed-entry']);
  });

  it('derives the count of a 200,000-agreement log, tags checked distinct even when they share 28 bytes', () => {
    const n = 200_000;
    const entries: Uint8Array[] = [];
    const commitment = new Uint8Array(32);
    for (let i = 0; i < n; i++) {
      const tag = new Uint8Array(32);
      new DataView(tag.buffer).setUint32(28, i); // adversarial: tags share 28 leading bytes
      entries.push(encodeAgreementEntry({ tag, commitment }));
    }
    entries.push(encodeCloseEntry(n));
    const d = deriveCount(entries);
    expect(d.count).toBe(n);
    expect(d.problems).toEqual([]);
    entries.splice(n, 0, entries[123] as Uint8Array);
    expect(codes(deriveCount(entries).problems)).toEqual([`${n}:duplicate-tag`]);
  });
});
