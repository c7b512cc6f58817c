import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { rejectReasonText } from '../domain/moderation.js';
import { assertTransition } from '../domain/petition-states.js';
import { getProfile } from '../domain/policy-profiles.js';
import { searchColumns } from '../domain/search-text.js';
import { activeRejectReason } from '../repositories/moderation-settings.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Rejects a petition in review with a reason from the editable list (`reject_reasons`, active ones); the public
 * reason is the list's text in the petition's site language (its profile's `locale`) unless the moderator wrote
 * one. Shown on the petition page and in the list of rejected petitions. A reason that `hides_title` (defamation,
 * libel) also withholds the title: `title_hidden`, and the search columns are emptied so the title cannot be
 * found either (the text stays stored for staff and a later restore).
 * @throws DomainError('invalid_parameter') for an unknown or inactive reason; DomainError('invalid_transition')
 */
export async function rejectPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { reasonCode: string; publicReason?: string | undefined },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    assertTransition(p.state, 'rejected');
    return rejection(trx, ctx, p, 'reject');
  });
}

/**
 * The changes of a rejection (or a take-down, which is a rejection of a published petition), shared by
 * `rejectPetition` and `takeDownPetition`.
 */
export async function rejection(
  trx: Kysely<Database>,
  ctx: { reasonCode: string; publicReason?: string | undefined },
  p: { profile: string },
  decision: 'reject' | 'takedown',
) {
  const reason = await activeRejectReason(trx, ctx.reasonCode);
  const publicReason = ctx.publicReason?.trim() || rejectReasonText(reason, getProfile(p.profile).locale);
  return {
    decision,
    notify: decision === 'reject' ? ('rejected' as const) : ('taken_down' as const),
    changes: {
      state: 'rejected',
      rejection_reason: publicReason,
      title_hidden: reason.hides_title,
      ...(reason.hides_title ? searchColumns('', null) : {}),
    },
    reasonCode: reason.code,
    publicReason,
    detail: { hides_title: reason.hides_title },
  };
}
