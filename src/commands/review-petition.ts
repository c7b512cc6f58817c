import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { personalDataOfFields } from '../domain/personal-data.js';
import { currentCheckout } from '../repositories/moderation-queue.js';
import { moderationDecisions, petitionRedactions } from '../repositories/moderation-review.js';
import { listRejectReasons } from '../repositories/moderation-settings.js';
import { findPetition } from '../repositories/petitions.js';
import { similarPetitions } from '../repositories/similar-petitions.js';
import { recordPersonalDataFlags } from '../repositories/writes/moderation.js';

/**
 * Opens a petition for review: detects personal data in its current title and body (`detectPersonalData`), stores
 * the flags of this version (a version is the SHA-256 of the field's text) if not stored yet — so that the review
 * page can offer them by id — and gathers what the review page shows: the flags of the current text (resolved or
 * not), the partial hidings (with the hidden text: staff only), up to 10 similar petitions (unpublished ones
 * included), the live check-out, the active reject reasons and the decisions so far. Storing flags is idempotent
 * and changes nothing a person decided, so it is not audited.
 * @param now UTC instant the check-out is judged live at
 * @throws DomainError('petition_not_found')
 */
export async function reviewPetition(db: Kysely<Database>, options: { petitionId: string; now: Date }) {
  const id = options.petitionId;
  const petition = await findPetition(db, id);
  if (!petition) throw new DomainError('petition_not_found', `${id}번 청원을 찾을 수 없습니다.`);
  const [flags, redactions, similar, checkout, reasons, decisions] = await Promise.all([
    recordPersonalDataFlags(db, id, personalDataOfFields(petition)),
    petitionRedactions(db, id),
    similarPetitions(
      db,
      { title: petition.title, body: petition.body, excludeId: id, includeUnpublished: true },
      10,
    ),
    currentCheckout(db, id, options.now),
    listRejectReasons(db, { activeOnly: true }),
    moderationDecisions(db, id),
  ]);
  return { petition, flags, redactions, similar, checkout, reasons, decisions };
}

/** What the review page shows (`reviewPetition`). */
export type PetitionReview = Awaited<ReturnType<typeof reviewPetition>>;
