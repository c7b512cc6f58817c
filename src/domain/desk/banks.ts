import { DomainError } from '../errors.js';
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY } from '../pdq/pdq-hash.js';
import type { BankKind, HashAlgorithm } from './types.js';

/**
 * Hash banks and what a lookup answers.
 *
 * A bank holds hashes of one provenance (victim-submitted, authority-reviewed, partner exchange) under one review
 * status, and matches PDQ hashes within its own threshold (Hamming distance in bits, default 31 — the PDQ paper's
 * and HMA's default). A NEGATIVE bank holds hashes of known benign content (a meme, a stock photo): a query that
 * matches one of them gets no positive match at all, and the answer says what suppressed it.
 */

/** The PDQ match threshold of a bank that sets none (bits; Meta's PDQ documentation: 31 of 256). */
export const DEFAULT_PDQ_THRESHOLD = PDQ_MATCH_DISTANCE;
/** The lowest PDQ quality the desk accepts (Meta: hashes of quality below 50 are not useful for matching). */
export const MIN_PDQ_QUALITY = PDQ_MIN_QUALITY;

/**
 * Checks a PDQ hash's quality as submitted (an integer 0–100, at least `MIN_PDQ_QUALITY`).
 * @throws DomainError('invalid_hash') with details.problem 'quality_missing' | 'quality_out_of_range' |
 *   'quality_too_low'
 */
export function checkPdqQuality(quality: unknown): number {
  if (quality === undefined || quality === null) {
    throw new DomainError('invalid_hash', 'A PDQ hash needs its quality (0–100).', {
      problem: 'quality_missing',
    });
  }
  if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new DomainError('invalid_hash', 'PDQ quality is an integer from 0 to 100.', {
      problem: 'quality_out_of_range',
    });
  }
  if (quality < MIN_PDQ_QUALITY) {
    throw new DomainError(
      'invalid_hash',
      `PDQ quality ${quality} is below ${MIN_PDQ_QUALITY}: the image has too little detail to match reliably.`,
      { problem: 'quality_too_low', minimum: MIN_PDQ_QUALITY },
    );
  }
  return quality;
}

/**
 * An MD5 as hex: exactly 32 hex characters (either case; returned lower-case), not all zeros.
 * @throws DomainError('invalid_hash') with details.problem 'not_a_string' | 'wrong_length' | 'not_hex' | 'all_zero'
 */
export function parseMd5(raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new DomainError('invalid_hash', 'An MD5 is a string of 32 hex characters.', {
      problem: 'not_a_string',
    });
  }
  if (raw.length !== 32) {
    throw new DomainError('invalid_hash', `An MD5 has 32 hex characters, not ${raw.length}.`, {
      problem: 'wrong_length',
    });
  }
  if (!/^[0-9a-fA-F]{32}$/.test(raw)) {
    throw new DomainError('invalid_hash', 'An MD5 holds hex characters (0-9, a-f) only.', {
      problem: 'not_hex',
    });
  }
  if (/^0+$/.test(raw)) {
    throw new DomainError('invalid_hash', 'An all-zero MD5 is not a real file hash.', {
      problem: 'all_zero',
    });
  }
  return raw.toLowerCase();
}

/** A bank as lookups see it. */
export interface BankView {
  id: string;
  name: string;
  kind: BankKind;
  pdqThreshold: number;
}

/** A bank hash the matcher found near the query (before bank rules). */
export interface Candidate {
  hashId: string;
  bank: BankView;
  algorithm: HashAlgorithm;
  hash: string;
  /** Hamming distance in bits (PDQ, the least over the query's 8 dihedral forms) or 0 (MD5, exact). */
  distance: number;
}

/** What a lookup answers: the positive matches, and the negative hashes that suppressed any. */
export interface LookupAnswer {
  matches: Candidate[];
  suppressedBy: Candidate[];
}

/**
 * Applies the bank rules to what the matcher found: each candidate within its bank's threshold counts; if any
 * negative-bank hash counts, no positive match is answered (all are suppressed). Matches are ordered by distance,
 * then bank name, then hash id, so two equal lookups give equal answers.
 */
export function composeLookupAnswer(candidates: readonly Candidate[]): LookupAnswer {
  const within = candidates.filter((c) => c.algorithm === 'md5' || c.distance <= c.bank.pdqThreshold);
  const order = (a: Candidate, b: Candidate) =>
    a.distance - b.distance || a.bank.name.localeCompare(b.bank.name) || Number(a.hashId) - Number(b.hashId);
  const negative = within.filter((c) => c.bank.kind === 'negative').sort(order);
  if (negative.length > 0) return { matches: [], suppressedBy: negative };
  return { matches: within.filter((c) => c.bank.kind === 'positive').sort(order), suppressedBy: [] };
}

/** The largest radius a lookup must search to serve every bank (bits). */
export function searchRadius(banks: readonly BankView[]): number {
  return banks.reduce((r, b) => Math.max(r, b.pdqThreshold), 0);
}

/**
 * Flood quarantine: a bank hash that matched more than `limit` distinct queries within the last `windowMinutes` is
 * held for review — a hash of something common (a logo, a blank frame) that slipped into a bank would otherwise
 * block lawful content everywhere. Returns whether `recentMatches` (distinct query hashes in the window, the new
 * one included) calls for quarantine.
 */
export function floodsBank(recentMatches: number, limit: number): boolean {
  return recentMatches > limit;
}

/**
 * A bank name: 1–64 characters of a–z, 0–9, '_', '.', '-'.
 * @throws DomainError('invalid_parameter')
 */
export function parseBankName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!/^[a-z0-9_.-]{1,64}$/.test(name)) {
    throw new DomainError('invalid_parameter', 'A bank name has 1–64 characters of a-z, 0-9, _ . -', {
      fields: { bank: 'a-z, 0-9, _ . - (1–64)' },
    });
  }
  return name;
}
