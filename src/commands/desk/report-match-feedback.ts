import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isOneOf, MATCH_FEEDBACK, type MatchFeedback } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import { setMatchFeedback } from '../../repositories/writes/desk.js';

/**
 * A platform reports what it did about one of its matches (StopNCII's vocabulary): pending_review, blocked or
 * not_blocked. The latest report stands; the victim's status page counts them.
 * @throws DomainError('invalid_parameter') for another word, ('not_found') when the platform has no such match
 */
export async function reportMatchFeedback(
  db: Kysely<Database>,
  input: { platformId: string; matchId: string; feedback: unknown; now: Date },
): Promise<{ feedback: MatchFeedback }> {
  if (!isOneOf(MATCH_FEEDBACK, input.feedback)) {
    throw new DomainError('invalid_parameter', `feedback is one of ${MATCH_FEEDBACK.join(', ')}`, {
      fields: { feedback: MATCH_FEEDBACK.join(', ') },
    });
  }
  if (!/^[1-9][0-9]{0,17}$/.test(input.matchId)) {
    throw new DomainError('invalid_parameter', 'A match id is a positive integer.', {
      fields: { id: 'integer' },
    });
  }
  const feedback = input.feedback;
  await db.transaction().execute(async (trx) => {
    const hashId = await setMatchFeedback(trx, {
      matchId: input.matchId,
      platformId: input.platformId,
      feedback,
      now: input.now,
    });
    if (hashId === undefined)
      throw new DomainError('not_found', `No match ${input.matchId} of this platform.`);
  });
  return { feedback };
}
