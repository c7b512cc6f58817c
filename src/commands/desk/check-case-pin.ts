import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isPinShaped, normaliseCaseNumber } from '../../domain/desk/cases.js';
import { DomainError } from '../../domain/errors.js';
import { caseForPinCheck } from '../../repositories/desk.js';

// A hash to verify against when the case number is unknown, so the answer takes as long either way.
let dummyHash: Promise<string> | null = null;

/**
 * Opens a case with its number and PIN (the status page and withdrawal both start here). The same answer for an
 * unknown case number and a wrong PIN, after the same argon2id work, so the form reveals nothing about which
 * cases exist. (Guessing is also slowed by the route's rate limit per client address.)
 * @returns the case id, state and locale
 * @throws DomainError('case_not_found'); DomainError('invalid_parameter') for a case number of the wrong shape
 */
export async function checkCasePin(
  db: Kysely<Database>,
  input: { caseNumber: string; pin: string },
): Promise<{ caseId: string; state: 'active' | 'withdrawn'; locale: 'ko' | 'en' }> {
  const refused = () =>
    new DomainError('case_not_found', '사건 번호나 PIN이 맞지 않습니다. 다시 확인해 주십시오.');
  const caseNumber = normaliseCaseNumber(input.caseNumber);
  const pin = input.pin.trim();
  const row = isPinShaped(pin) ? await caseForPinCheck(db, caseNumber) : undefined;
  if (!row) {
    dummyHash ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummyHash, pin || 'x');
    throw refused();
  }
  if (!(await verify(row.pin_hash, pin))) throw refused();
  return { caseId: row.id, state: row.state, locale: row.locale };
}
