import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { CountRules } from '../../src/domain/count-effects.js';
import type { PetitionState } from '../../src/domain/petition-states.js';
import { effectiveSettings, getProfile } from '../../src/domain/policy-profiles.js';
import { searchColumns } from '../../src/domain/search-text.js';
import type {
  AgreementWriterOptions,
  CountEffectWrites,
  CountListener,
} from '../../src/signing/agreement-writer.js';
import { TransparencyAgreementLog } from '../../src/transparency/agreement-log.js';

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
      ...searchColumns(options.title ?? '테스트 청원', '본문'),
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
export const writerDeps: CountRules = {
  settingsFor: (profile) => effectiveSettings(profile, {}),
  timeZoneFor: (profile) => getProfile(profile).timeZone,
};

/** Count effects that write nothing more (tests that do not look at the notification outbox). */
export const NO_EFFECT_WRITES: CountEffectWrites = { afterCounts: async () => {} };

/** A count listener that listens to nothing (tests without a page cache). */
export const NO_COUNT_LISTENER: CountListener = { countsChanged: () => {} };

/** The deployment secret the tests' transparency logs seal petition log keys with. */
export const TEST_LOG_SECRET = 'test-log-secret-test-log-secret-0123456789';

/**
 * The agreement writer's collaborators as tests use them: the app's rules, no effect writes, no listener, the real
 * transparency log (as every deployment has). Spread it and override what a test looks at.
 */
export const writerParts: Pick<AgreementWriterOptions, 'rules' | 'effects' | 'counted' | 'log'> = {
  rules: writerDeps,
  effects: NO_EFFECT_WRITES,
  counted: NO_COUNT_LISTENER,
  log: new TransparencyAgreementLog(TEST_LOG_SECRET),
};

/** A receipt commitment for tests (SHA-256 of a receipt secret derived from `n`, or a random one). */
export const commitment = (n?: number) =>
  createHash('sha256')
    .update(n === undefined ? randomBytes(16) : createHash('md5').update(`receipt ${n}`).digest())
    .digest();
