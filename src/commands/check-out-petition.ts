import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { CHECKOUT_MINUTES } from '../domain/moderation.js';
import { checkoutHolder } from '../repositories/moderation-queue.js';
import { findPetition } from '../repositories/petitions.js';
import { takeCheckout } from '../repositories/writes/moderation.js';

/**
 * Checks a petition out to a moderator for `CHECKOUT_MINUTES`, so two moderators never decide it at once. Taking
 * one's own check-out again extends it; an expired check-out of someone else is taken over. Atomic on both
 * engines (one INSERT … ON CONFLICT DO UPDATE … WHERE), so it needs no transaction of its own.
 * @param now UTC instant; the check-out holds until now + 30 min
 * @returns when the check-out ends
 * @throws DomainError('petition_not_found'); DomainError('checked_out_elsewhere') with `{ holder, until }` when
 *   another moderator holds it
 */
export async function checkOutPetition(
  db: Kysely<Database>,
  options: { petitionId: string; staffId: string; now: Date },
): Promise<{ expiresAt: Date }> {
  const petition = await findPetition(db, options.petitionId);
  if (!petition)
    throw new DomainError('petition_not_found', `${options.petitionId}번 청원을 찾을 수 없습니다.`);
  const expiresAt = new Date(options.now.getTime() + CHECKOUT_MINUTES * 60_000);
  const taken = await takeCheckout(db, { ...options, expiresAt });
  if (taken) return { expiresAt: taken };
  const holder = await checkoutHolder(db, options.petitionId);
  throw new DomainError(
    'checked_out_elsewhere',
    `다른 검토자(${holder?.email ?? '알 수 없음'})가 이 청원을 검토하고 있습니다` +
      (holder ? ` (${holder.expires_at.toISOString()}까지).` : '.'),
    { holder: holder?.email ?? null, until: holder?.expires_at.toISOString() ?? null },
  );
}
