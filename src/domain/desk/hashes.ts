import { DomainError } from '../errors.js';
import { parsePdqHash } from '../pdq/pdq-hash.js';
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
 * One hash as a victim's browser or a partner sends it: `{ algorithm: 'pdq', hash, quality }` or
 * `{ algorithm: 'md5', hash }`.
 * @throws DomainError('invalid_hash') with details.problem (see parsePdqHash, parseMd5, checkPdqQuality) and
 *   details.index when `index` is given
 */
export function parseSubmittedHash(raw: unknown, index?: number): SubmittedHash {
  try {
    if (typeof raw !== 'object' || raw === null) {
      throw new DomainError('invalid_hash', 'Each hash is an object { algorithm, hash, quality }.', {
        problem: 'not_an_object',
      });
    }
    const r = raw as Record<string, unknown>;
    if (r.algorithm === 'pdq') {
      return { algorithm: 'pdq', hash: parsePdqHash(r.hash), quality: checkPdqQuality(r.quality) };
    }
    if (r.algorithm === 'md5') return { algorithm: 'md5', hash: parseMd5(r.hash), quality: null };
    throw new DomainError('invalid_hash', "A hash's algorithm is 'pdq' or 'md5'.", {
      problem: 'unknown_algorithm',
    });
  } catch (error) {
    if (index !== undefined && error instanceof DomainError) {
      throw new DomainError(error.code, `hashes[${index}]: ${error.message}`, { ...error.details, index });
    }
    throw error;
  }
}
