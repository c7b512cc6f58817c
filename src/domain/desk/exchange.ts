import { DomainError } from '../errors.js';
import { parsePdqHash } from '../pdq/pdq-hash.js';
import { checkPdqQuality, parseMd5 } from './banks.js';
import type { SubmittedHash } from './hashes.js';

/**
 * Hash records as exchanged with partners, in two shapes:
 *  - HMA (Meta's Hasher-Matcher-Actioner, ThreatExchange signal types): `{ "signal_type": "pdq" | "video_md5",
 *    "signal_value": "<hex>", "bank_content_id"?: … }`;
 *  - StopNCII-style: `{ "hashType": "PDQ" | "MD5", "hashValue": "<hex>", "quality"?: 0–100, "id"?: … }`.
 * These are the field shapes of those systems' hash records; the desk reads and writes them so a bank can move
 * between deployments. PDQ quality is optional on import (HMA records carry none), checked when present.
 */
export const EXCHANGE_FORMATS = ['hma', 'stopncii'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

/** The largest import in one request. */
export const MAX_IMPORT_RECORDS = 10_000;

/**
 * One imported record as the desk stores it.
 * @throws DomainError('invalid_hash') with details.problem and details.index
 */
export function parseExchangeRecord(
  raw: unknown,
  index: number,
): SubmittedHash & { externalId: string | null } {
  try {
    if (typeof raw !== 'object' || raw === null) {
      throw new DomainError('invalid_hash', 'Each record is an object.', { problem: 'not_an_object' });
    }
    const r = raw as Record<string, unknown>;
    const type = String(r.signal_type ?? r.hashType ?? '').toLowerCase();
    const value = r.signal_value ?? r.hashValue;
    const id = r.bank_content_id ?? r.id;
    const externalId = id === undefined || id === null ? null : String(id).slice(0, 200);
    if (type === 'pdq') {
      const quality = r.quality === undefined || r.quality === null ? null : checkPdqQuality(r.quality);
      return { algorithm: 'pdq', hash: parsePdqHash(value), quality, externalId };
    }
    if (type === 'md5' || type === 'video_md5')
      return { algorithm: 'md5', hash: parseMd5(value), quality: null, externalId };
    throw new DomainError('invalid_hash', "signal_type / hashType is 'pdq' or 'video_md5' / 'MD5'.", {
      problem: 'unknown_algorithm',
    });
  } catch (error) {
    if (error instanceof DomainError) {
      throw new DomainError(error.code, `records[${index}]: ${error.message}`, { ...error.details, index });
    }
    throw error;
  }
}

/** One stored hash written in an exchange shape. */
export function exchangeRecord(
  format: ExchangeFormat,
  h: { id: string; algorithm: 'pdq' | 'md5'; hash: string; quality: number | null },
): Record<string, unknown> {
  if (format === 'hma') {
    return {
      signal_type: h.algorithm === 'pdq' ? 'pdq' : 'video_md5',
      signal_value: h.hash,
      bank_content_id: h.id,
    };
  }
  return {
    hashType: h.algorithm === 'pdq' ? 'PDQ' : 'MD5',
    hashValue: h.hash,
    ...(h.quality !== null ? { quality: h.quality } : {}),
    id: h.id,
  };
}
