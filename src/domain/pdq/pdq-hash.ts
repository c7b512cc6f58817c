/**
 * PDQ hash values: parsing with validation, hex form, Hamming distance.
 *
 * A PDQ hash is 256 bits written as 64 hexadecimal digits, the form every PDQ implementation and the
 * StopNCII / Hasher-Matcher-Actioner exchanges use (Meta's `pdq/cpp/common/pdqhashtypes.cpp`: sixteen 16-bit
 * words, the last word first). Bit k of the hash (k = 16·row + column of the 16×16 DCT output) is bit k mod 16 of
 * word ⌊k/16⌋; in the hex string word 15 comes first. Pure code: no I/O, usable in the browser and in Node.
 */

import { DomainError } from '../errors.js';

/** Why a string is not a PDQ hash; the API answers each with 400 `invalid_hash`. */
export type PdqHashProblem = 'not_a_string' | 'wrong_length' | 'not_hex' | 'all_zero';

/**
 * A malformed PDQ hash: a DomainError with code `invalid_hash` (HTTP 400 through `src/http/errors.ts`, never a
 * 500); `problem` (also in `details.problem`) says which rule failed. Thrown by {@link parsePdqHash} and
 * {@link hammingDistance}, never by the hashing functions.
 */
export class PdqHashError extends DomainError {
  constructor(
    readonly problem: PdqHashProblem,
    message: string,
  ) {
    super('invalid_hash', message, { problem });
  }
}

/** Number of hexadecimal digits of a PDQ hash. */
export const PDQ_HEX_LENGTH = 64;
/** Number of bits of a PDQ hash. */
export const PDQ_BITS = 256;
/** Meta's recommended match threshold: two hashes match when their Hamming distance is ≤ 31 (pdq/README.md). */
export const PDQ_MATCH_DISTANCE = 31;
/** Meta's recommended quality floor: hashes of quality ≤ 49 are discarded (pdq/README.md). */
export const PDQ_MIN_QUALITY = 50;

const HEX = /^[0-9a-f]{64}$/;

/**
 * Validates a PDQ hash as given by a person or a platform and returns it in canonical form (lower case).
 * Surrounding white space is not accepted: the exchange formats have none.
 * @param input anything (a request field)
 * @returns the 64 lower-case hex digits
 * @throws PdqHashError (`code` = 'invalid_hash') when the input is not a string, not exactly 64 characters, has a
 *   character other than 0-9 a-f A-F, or is all zeros (the value the reference gives an image too small to hash)
 */
export function parsePdqHash(input: unknown): string {
  if (typeof input !== 'string') throw new PdqHashError('not_a_string', 'A PDQ hash must be a string.');
  if (input.length !== PDQ_HEX_LENGTH) {
    throw new PdqHashError(
      'wrong_length',
      `A PDQ hash has exactly 64 hexadecimal characters; this one has ${input.length}.`,
    );
  }
  const hex = input.toLowerCase();
  if (!HEX.test(hex)) {
    throw new PdqHashError('not_hex', 'A PDQ hash has only the characters 0-9 and a-f.');
  }
  if (/^0+$/.test(hex)) {
    throw new PdqHashError('all_zero', 'An all-zero PDQ hash carries no image: it cannot be matched.');
  }
  return hex;
}

/** True when {@link parsePdqHash} would accept the input. */
export function isPdqHash(input: unknown): input is string {
  try {
    parsePdqHash(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hash as eight 32-bit words, the first hex digits first (word 0 = digits 0–7). This is the matcher's form.
 * @param hex 64 hex digits (not validated: call {@link parsePdqHash} on untrusted input)
 * @param out where to write (8 words from `offset`); a new array when omitted
 */
export function pdqHashToWords(hex: string, out: Uint32Array = new Uint32Array(8), offset = 0): Uint32Array {
  for (let i = 0; i < 8; i++) out[offset + i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16) >>> 0;
  return out;
}

/** The inverse of {@link pdqHashToWords}: eight 32-bit words from `offset` as 64 lower-case hex digits. */
export function pdqHashFromWords(words: Uint32Array, offset = 0): string {
  let hex = '';
  for (let i = 0; i < 8; i++) hex += ((words[offset + i] as number) >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Hamming distance between two PDQ hashes: the number of the 256 bits that differ (0–256).
 * @throws PdqHashError when either is not 64 hex digits (an all-zero hash is allowed here)
 */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== PDQ_HEX_LENGTH || !HEX.test(a.toLowerCase()))
    throw new PdqHashError('not_hex', 'Not a PDQ hash.');
  if (b.length !== PDQ_HEX_LENGTH || !HEX.test(b.toLowerCase()))
    throw new PdqHashError('not_hex', 'Not a PDQ hash.');
  let d = 0;
  for (let i = 0; i < 64; i += 8) {
    d += popcount32((Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0);
  }
  return d;
}
