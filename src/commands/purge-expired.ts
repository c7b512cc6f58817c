import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { deleteExpiredDrafts } from '../repositories/writes/petition-creation.js';
import { purgeExpiredAgreements } from '../signing/purge.js';

/**
 * Data minimisation after links expire: unconfirmed agreements and unconfirmed draft petitions whose emailed link
 * can no longer be used are deleted with the names and addresses they held (each an hour after expiry).
 * @param now the current instant (UTC)
 * @returns how many of each were deleted
 */
export async function purgeExpired(
  db: Kysely<Database>,
  now = new Date(),
): Promise<{ agreements: number; petitions: number }> {
  const agreements = await purgeExpiredAgreements(db, { now });
  const petitions = await purgeUnconfirmedPetitions(db, { now });
  return { agreements, petitions };
}

/**
 * Deletes draft petitions whose emailed confirmation link expired unconfirmed, with the creator's name and address
 * (data minimisation: contact data of a petition that never existed is not kept). A link is purged `marginMs`
 * after it expired, so a confirmation racing the expiry is never cut short.
 * @param now the current instant (UTC)
 * @returns how many drafts were deleted
 */
export async function purgeUnconfirmedPetitions(
  db: Kysely<Database>,
  { now = new Date(), marginMs = 3600_000 }: { now?: Date; marginMs?: number } = {},
): Promise<number> {
  return await deleteExpiredDrafts(db, new Date(now.getTime() - marginMs));
}

/**
 * Runs `purgeExpired` every `everyMs` (default 10 minutes) until stopped; the first run is one interval after start.
 * Failures are logged and retried at the next tick (the purge is idempotent; several app servers may run it). The
 * timer does not keep the process alive.
 * @returns stop(): clears the timer and waits for a purge in progress
 */
export function schedulePurge(
  db: Kysely<Database>,
  { everyMs = 10 * 60_000, log }: { everyMs?: number; log: (line: string) => void },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = purgeExpired(db)
      .then((n) => {
        if (n.agreements + n.petitions > 0)
          log(
            `purged expired links: ${n.agreements} agreement(s), ${n.petitions} draft petition(s), with their contact data`,
          );
      })
      .catch((error: unknown) =>
        log(
          `purge of expired links failed (retried later): ${error instanceof Error ? error.message : error}`,
        ),
      );
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
