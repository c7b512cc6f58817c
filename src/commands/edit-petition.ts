import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { checkPetitionText } from '../domain/petition-text.js';
import { getProfile } from '../domain/policy-profiles.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * A moderator corrects a petition's title and body before publishing it (UK: moderators edit petitions so they meet
 * the standards, and tell the creator) — only on profiles whose rules allow it (`editBeforePublishing`) and only
 * while it is in review. The new text passes the same checks as the creator's (`checkPetitionText`: limits, no
 * links or formula prefixes in the title). The audit entry holds the text before and after (the diff); the creator
 * is mailed that the text was changed.
 * @throws DomainError('invalid_transition') outside review or on a profile without the rule;
 *   DomainError('invalid_petition', `{ issues }`) for a refused text; DomainError('checkout_required')
 */
export async function editPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { title: string; body: string },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (_trx, p) => {
    const profile = getProfile(p.profile);
    if (!profile.rules.editBeforePublishing || p.state !== 'in_review') {
      throw new DomainError(
        'invalid_transition',
        profile.rules.editBeforePublishing
          ? 'A petition can be edited by a moderator only while it is in review.'
          : `Moderators do not edit petitions on the ${profile.name.en} profile.`,
        { from: p.state },
      );
    }
    const checked = checkPetitionText(profile, { title: ctx.title, body: ctx.body }, ['title', 'body']);
    if (checked.issues.length > 0) {
      throw new DomainError('invalid_petition', 'The edited title or text is not acceptable.', {
        issues: checked.issues,
      });
    }
    if (checked.title === p.title && checked.body === p.body) {
      throw new DomainError('invalid_parameter', 'Nothing was changed.', { fields: { title: 'unchanged' } });
    }
    return {
      decision: 'edit',
      notify: 'edited',
      changes: { title: checked.title, body: checked.body },
      detail: {
        edit: {
          title: { before: p.title, after: checked.title },
          body: { before: p.body, after: checked.body },
        },
      },
    };
  });
}
