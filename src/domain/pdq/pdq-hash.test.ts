import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  hammingDistance,
  isPdqHash,
  PdqHashError,
  parsePdqHash,
  pdqHashFromWords,
  pdqHashToWords,
  popcount32,
} from './pdq-hash.js';

const A = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';

function problemOf(input: unknown): string | undefined {
  try {
    parsePdqHash(input);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(PdqHashError);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as PdqHashError).code).toBe('invalid_hash');
    return (e as PdqHashError).problem;
  }
}

describe('parsePdqHash', () => {
  it('accepts 64 hex digits and returns them in lower case', () => {
    expect(parsePdqHash(A)).toBe(A);
    expect(parsePdqHash(A.toUpperCase())).toBe(A);
    expect(isPdqHash(A)).toBe(true);
  });

  it.each([
    ['63 digits', A.slice(1), 'wrong_length'],
    ['65 digits', `${A}0`, 'wrong_length'],
    ['empty', '', 'wrong_length'],
    ['surrounding space', ` ${A.slice(1)}`, 'not_hex'],
    ['a g', `g${A.slice(1)}`, 'not_hex'],
    ['a null byte', `\u0000${A.slice(1)}`, 'not_hex'],
    ['a Hangul syllable', `가${A.slice(1)}`, 'not_hex'],
    ['a 0x prefix', `0x${A.slice(2)}`, 'not_hex'],
    ['all zeros', '0'.repeat(64), 'all_zero'],
    ['a number', 12345, 'not_a_string'],
    ['null', null, 'not_a_string'],
    ['an array', [A], 'not_a_string'],
  ])('refuses %s with invalid_hash', (_what, input, problem) => {
    expect(problemOf(input)).toBe(problem);
    expect(isPdqHash(input)).toBe(false);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance(A, A)).toBe(0);
    expect(hammingDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(hammingDistance(`1${'0'.repeat(63)}`, '0'.repeat(64))).toBe(1);
    expect(hammingDistance(`${'0'.repeat(63)}7`, '0'.repeat(64))).toBe(3);
    // Meta's C++ and Python hashes of misc/c.png (1432 × 812): 6 bits apart, as the vectors' README says
    expect(
      hammingDistance(
        'e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064',
        'e64cc9d91e623842f8d1f1d9a398e78c9f199a3bd87924f2b7e11e0bf061b064',
      ),
    ).toBe(6);
  });

  it('throws invalid_hash on a malformed operand', () => {
    expect(() => hammingDistance(A, 'xyz')).toThrow(PdqHashError);
  });
});

describe('words', () => {
  it('round-trip hex through eight 32-bit words, first digits first', () => {
    const w = pdqHashToWords(A);
    expect(w[0]).toBe(0xd8f8f0ce);
    expect(pdqHashFromWords(w)).toBe(A);
  });

  it('popcount32 counts bits of unsigned 32-bit values', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
  });
});
