import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { sealText } from '../../desk/secrets.js';
import {
  CASE_NUMBER_BYTES,
  caseNumberFromBytes,
  MAX_HASHES_PER_SUBMISSION,
  MAX_URLS_PER_SUBMISSION,
  parseContact,
  pinFromBytes,
} from '../../domain/desk/cases.js';
import { parseSubmittedHash, type SubmittedHash } from '../../domain/desk/hashes.js';
import { retentionEnd } from '../../domain/desk/retention.js';
import { parseTakedownUrl } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import { bankByName } from '../../repositories/desk.js';
import { insertCase, upsertHashes } from '../../repositories/writes/desk.js';
import { draftTakedown } from './steps/draft-takedown.js';

/** The bank victims' hashes go to (created by migration 2026-12-07T1400). */
export const VICTIM_BANK = 'victim-submitted';

/** What a victim's browser sends (hashes only: never an image, a file name or metadata). */
export interface CaseSubmission {
  /** `{ algorithm: 'pdq', hash, quality }` or `{ algorithm: 'md5', hash }`, 1–500 of them. */
  hashes: unknown[];
  /** URLs where the material was seen (each becomes a takedown request), at most 50. */
  urls?: string[];
  /** How a counsellor may reach the victim; empty: no contact wanted. */
  contact?: string;
  /** "I am under 18": the priority track. */
  minor?: boolean;
  locale: 'ko' | 'en';
}

export interface DeskCaseDeps {
  db: Kysely<Database>;
  /** The deployment secret (encrypts the contact). */
  secret: string;
  /** The operator's name in notices (DESK_OPERATOR_NAME). */
  operatorName: string;
  now: Date;
}

/**
 * Opens a victim's case: validates every hash (nothing is stored if one is refused), stores the hashes in the
 * victim-submitted bank, drafts a takedown (with its notice) per URL, and returns the case number and PIN — the
 * only time the PIN exists outside the victim's hands (only its argon2id hash is stored). One transaction.
 * @returns `{ caseNumber, pin, caseId, hashes: stored count, takedowns: count }`
 * @throws DomainError('invalid_hash') naming the index of the first bad hash, ('invalid_parameter') for a bad URL,
 *   contact, or too many hashes/URLs
 */
export async function submitCase(
  deps: DeskCaseDeps,
  s: CaseSubmission,
): Promise<{ caseId: string; caseNumber: string; pin: string; hashes: number; takedowns: number }> {
  if (!Array.isArray(s.hashes) || s.hashes.length === 0 || s.hashes.length > MAX_HASHES_PER_SUBMISSION) {
    throw new DomainError('invalid_parameter', `Send 1 to ${MAX_HASHES_PER_SUBMISSION} hashes.`, {
      fields: { hashes: `1 to ${MAX_HASHES_PER_SUBMISSION}` },
    });
  }
  const hashes: SubmittedHash[] = s.hashes.map((h, i) => parseSubmittedHash(h, i));
  const urls = (s.urls ?? []).map((u) => u.trim()).filter(Boolean);
  if (urls.length > MAX_URLS_PER_SUBMISSION) {
    throw new DomainError('invalid_parameter', `At most ${MAX_URLS_PER_SUBMISSION} URLs.`, {
      fields: { urls: `at most ${MAX_URLS_PER_SUBMISSION}` },
    });
  }
  const parsedUrls = [...new Map(urls.map((u) => parseTakedownUrl(u)).map((u) => [u.url, u])).values()];
  const contact = parseContact(s.contact);
  const caseNumber = caseNumberFromBytes(randomBytes(CASE_NUMBER_BYTES));
  let pin: string | null = null;
  while (pin === null) pin = pinFromBytes(randomBytes(16));
  const pinHash = await hash(pin);
  const now = deps.now;
  return deps.db.transaction().execute(async (trx) => {
    const bank = await bankByName(trx, VICTIM_BANK);
    if (!bank) throw new Error(`the ${VICTIM_BANK} bank is missing (migration 2026-12-07T1400)`);
    const caseId = await insertCase(trx, {
      caseNumber,
      pinHash,
      priority: s.minor ? 'minor' : 'standard',
      locale: s.locale,
      contactEnc: contact === null ? null : sealText(contact, deps.secret, 'desk contact'),
      now,
      purgeAfter: retentionEnd(now),
    });
    const unique = [...new Map(hashes.map((h) => [`${h.algorithm}:${h.hash}`, h])).values()];
    await upsertHashes(
      trx,
      unique.map((h) => ({
        bank_id: bank.id,
        case_id: caseId,
        algorithm: h.algorithm,
        hash: h.hash,
        quality: h.quality,
        external_id: null,
      })),
      now,
    );
    for (const u of parsedUrls) {
      await draftTakedown(trx, { ...u, caseId, operatorName: deps.operatorName, draftedBy: null, now });
    }
    return { caseId, caseNumber, pin: pin as string, hashes: unique.length, takedowns: parsedUrls.length };
  });
}
