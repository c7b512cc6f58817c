import { DomainError } from '../errors.js';
import { checkPdqQuality, parseMd5 } from './banks.js';
import type { HashAlgorithm } from './types.js';

/** A hash as the desk stores it: lower-case hex, with PDQ quality. */
export interface SubmittedHash {
  algorithm: HashAlgorithm;
  hash: string;
  /** PDQ quality (≥ 50); null for MD5. */
  quality: number | null;
}

/**
 * A PDQ hash as hex: exactly 64 hex characters, not all zeros (returned lower-case).
 * PLACEHOLDER until helper/14-pdq's `parsePdqHash` is merged (it replaces this body).
 * @throws DomainError('invalid_hash') with details.reason
 */
export function parsePdqHex(raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new DomainError('invalid_hash', 'A PDQ hash is a string of 64 hex characters.', {
      reason: 'not_a_string',
    });
  }
  if (raw.length !== 64) {
    throw new DomainError('invalid_hash', `A PDQ hash has 64 hex characters, not ${raw.length}.`, {
      reason: 'wrong_length',
    });
  }
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) {
    throw new DomainError('invalid_hash', 'A PDQ hash holds hex characters (0-9, a-f) only.', {
      reason: 'not_hex',
    });
  }
  if (/^0+$/.test(raw)) {
    throw new DomainError('invalid_hash', 'An all-zero PDQ hash comes from a blank image.', {
      reason: 'all_zeros',
    });
  }
  return raw.toLowerCase();
}

/**
 * One hash as a victim's browser or a partner sends it: `{ algorithm: 'pdq', hash, quality }` or
 * `{ algorithm: 'md5', hash }`.
 * @throws DomainError('invalid_hash') with details.reason (see parsePdqHex, parseMd5, checkPdqQuality) and
 *   details.index when `index` is given
 */
export function parseSubmittedHash(raw: unknown, index?: number): SubmittedHash {
  try {
    if (typeof raw !== 'object' || raw === null) {
      throw new DomainError('invalid_hash', 'Each hash is an object { algorithm, hash, quality }.', {
        reason: 'not_an_object',
      });
    }
    const r = raw as Record<string, unknown>;
    if (r.algorithm === 'pdq') {
      return { algorithm: 'pdq', hash: parsePdqHex(r.hash), quality: checkPdqQuality(r.quality) };
    }
    if (r.algorithm === 'md5') return { algorithm: 'md5', hash: parseMd5(r.hash), quality: null };
    throw new DomainError('invalid_hash', "A hash's algorithm is 'pdq' or 'md5'.", {
      reason: 'unknown_algorithm',
    });
  } catch (error) {
    if (index !== undefined && error instanceof DomainError) {
      throw new DomainError(error.code, `hashes[${index}]: ${error.message}`, { ...error.details, index });
    }
    throw error;
  }
}
