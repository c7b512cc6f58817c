import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { API_SCOPES, type ApiScope, isOneOf, PLATFORM_KINDS } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { hashToken, TOKEN_BYTES, tokenFromBytes } from '../../domain/tokens.js';
import { platformByName } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { insertApiKey, insertPlatform } from '../../repositories/writes/desk.js';

/** The prefix of every platform API key (so a leaked one is recognisable in logs and code scanners). */
export const API_KEY_PREFIX = 'cwdesk_';

/**
 * Registers a platform that matches against the desk's banks and receives notices.
 * @param input.kind one of PLATFORM_KINDS (the transparency report groups by it)
 * @throws DomainError('invalid_parameter'), ('staff_exists') never — a platform of the same name: invalid_parameter
 */
export async function registerPlatform(
  db: Kysely<Database>,
  input: { name: string; kind: string; jurisdiction?: string; noticeEmail?: string; actor: Actor; now: Date },
): Promise<{ platformId: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) {
    throw new DomainError('invalid_parameter', 'A platform name has 1–100 characters.', {
      fields: { name: '1–100' },
    });
  }
  if (!isOneOf(PLATFORM_KINDS, input.kind)) {
    throw new DomainError('invalid_parameter', `kind is one of ${PLATFORM_KINDS.join(', ')}`, {
      fields: { kind: PLATFORM_KINDS.join(', ') },
    });
  }
  const jurisdiction = input.jurisdiction?.trim().toUpperCase() || null;
  if (jurisdiction && !/^[A-Z]{2}$/.test(jurisdiction)) {
    throw new DomainError('invalid_parameter', 'jurisdiction is an ISO 3166-1 alpha-2 code', {
      fields: { jurisdiction: 'e.g. KR' },
    });
  }
  const kind = input.kind;
  return db.transaction().execute(async (trx) => {
    if (await platformByName(trx, name)) {
      throw new DomainError('invalid_parameter', `A platform named ${name} exists.`, {
        fields: { name: 'taken' },
      });
    }
    const platformId = await insertPlatform(trx, {
      name,
      kind,
      jurisdiction,
      noticeEmail: input.noticeEmail?.trim().toLowerCase() || null,
      now: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.platform.register',
      subjectType: 'desk_platform',
      subjectId: platformId,
      after: { name, kind, jurisdiction },
    });
    return { platformId };
  });
}

/**
 * Issues an API key to a platform: `cwdesk_` + 256 random bits, shown once (only its SHA-256 is stored), with its
 * scopes and a rate limit (requests per minute). Audited (never the key).
 * @throws DomainError('invalid_parameter') for an unknown platform or scope
 */
export async function issueApiKey(
  db: Kysely<Database>,
  input: { platform: string; scopes: string[]; requestsPerMinute?: number; actor: Actor; now: Date },
): Promise<{ key: string; keyId: string }> {
  const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0 || !scopes.every((s) => isOneOf(API_SCOPES, s))) {
    throw new DomainError('invalid_parameter', `scopes are some of ${API_SCOPES.join(', ')}`, {
      fields: { scopes: API_SCOPES.join(', ') },
    });
  }
  const rpm = input.requestsPerMinute ?? 6000;
  if (!Number.isInteger(rpm) || rpm < 1) {
    throw new DomainError('invalid_parameter', 'requests per minute is a positive integer', {
      fields: { rpm: '>= 1' },
    });
  }
  const key = API_KEY_PREFIX + tokenFromBytes(randomBytes(TOKEN_BYTES));
  return db.transaction().execute(async (trx) => {
    const platform = await platformByName(trx, input.platform.trim());
    if (!platform)
      throw new DomainError('invalid_parameter', `No platform named ${input.platform}.`, {
        fields: { platform: 'unknown' },
      });
    const keyId = await insertApiKey(trx, {
      platformId: platform.id,
      keyHash: hashToken(key),
      scopes: scopes as ApiScope[],
      requestsPerMinute: rpm,
      now: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.api_key.issue',
      subjectType: 'desk_platform',
      subjectId: platform.id,
      after: { keyId, scopes, requestsPerMinute: rpm },
    });
    return { key, keyId };
  });
}
