import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { PetitionState } from '../../src/domain/petition-states.js';
import { effectiveSettings, getProfile } from '../../src/domain/policy-profiles.js';
import type { AgreementWriterOptions } from '../../src/signing/agreement-writer.js';

/** An open Blue House petition (30-day period from `openedAt`), with optional count and own threshold. */
export async function openPetition(
  db: Kysely<Database>,
  options: {
    title?: string;
    openedAt?: Date;
    closesAt?: Date;
    state?: PetitionState;
    count?: number;
    responseThreshold?: number;
  } = {},
): Promise<string> {
  const openedAt = options.openedAt ?? new Date('2026-11-20T01:00:00Z');
  const row = await db
    .insertInto('petitions')
    .values({
      profile: 'cheongwadae',
      category: 'other',
      title: options.title ?? '테스트 청원',
      body: '본문',
      state: options.state ?? 'open',
      opened_at: openedAt,
      closes_at: options.closesAt ?? new Date('2026-12-20T15:00:00Z'),
      agreement_count: options.count ?? 0,
      response_threshold: options.responseThreshold ?? 200_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A signer key as the identity module derives it (64 hex), for person number `n` (or a random one). */
export const signer = (n?: number) =>
  n === undefined
    ? randomBytes(32).toString('hex')
    : createHash('sha256').update(`person ${n}`).digest('hex');

/** Settings and zones as the app resolves them, without runtime overrides. */
export const writerDeps: Pick<AgreementWriterOptions, 'settingsFor' | 'timeZoneFor'> = {
  settingsFor: (profile) => effectiveSettings(profile, {}),
  timeZoneFor: (profile) => getProfile(profile).timeZone,
};
