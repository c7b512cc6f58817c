import type { Kysely, Transaction } from 'kysely';
import type { Database, PetitionRow } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import { getProfile, type ParliamentTrack } from '../../domain/policy-profiles.js';
import type { Actor } from '../../domain/staff.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockPetition } from '../../repositories/writes/moderation.js';

/**
 * The shared frame of the parliamentary-track commands (schedule-debate, record-debate-outcome,
 * decide-not-to-debate, advance-committee-stage) — not a use case of its own: ONE transaction that locks the
 * petition, refuses a profile without the track, runs the command's step, and appends the audit entry (who, what,
 * when, before/after). The step writes the track, its public timeline event and the outbox rows.
 */
export interface TrackContext {
  petitionId: string;
  actor: Actor & { staffId: string };
  /** UTC instant of the action. */
  now: Date;
}

/**
 * @throws DomainError('petition_not_found') for no such petition; DomainError('invalid_transition') when its
 *   profile has no such track; whatever `step` throws
 */
export async function runTrackAction(
  db: Kysely<Database>,
  ctx: TrackContext,
  track: ParliamentTrack,
  action: string,
  step: (
    trx: Transaction<Database>,
    p: PetitionRow,
  ) => Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await lockPetition(trx, ctx.petitionId);
    if (!p) throw new DomainError('petition_not_found', `No petition ${ctx.petitionId}.`);
    const profile = getProfile(p.profile);
    if (!profile.tracks.includes(track)) {
      throw new DomainError(
        'invalid_transition',
        `Petitions of the ${profile.name.en} profile have no ${track} track.`,
        { track, profile: profile.code },
      );
    }
    const { before, after } = await step(trx, p);
    await appendAudit(trx, {
      at: ctx.now,
      staffId: ctx.actor.staffId,
      actor: ctx.actor.name,
      action,
      subjectType: 'petition',
      subjectId: ctx.petitionId,
      before,
      after,
    });
  });
}
