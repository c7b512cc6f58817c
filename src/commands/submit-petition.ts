import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { canonicalEmail, displayName } from '../domain/identity.js';
import { assertTransition } from '../domain/petition-states.js';
import { checkPetitionText } from '../domain/petition-text.js';
import { getProfile } from '../domain/policy-profiles.js';
import { hashToken, isTokenShaped, TOKEN_BYTES, tokenFromBytes } from '../domain/tokens.js';
import { MailDeliveryError, type Mailer } from '../notifications/mailer.js';
import { petitionConfirmationMail } from '../notifications/templates/petition-creation.js';
import { findSubmission } from '../repositories/petition-creation.js';
import { deleteDraft, insertSubmission } from '../repositories/writes/petition-creation.js';
import { sendSponsorLink } from './send-sponsor-link.js';

/**
 * Creating a petition (issue 6): a creator submits category, title and body with their name and email; the petition
 * is stored as a `draft` (private) and moves to `collecting_pre_agreements` when the creator confirms the emailed
 * link — or at once when they are signed in with OpenID Connect — after which the creator gets the private
 * pre-agreement (사전동의) link to share.
 *
 * Data kept about the creator (`petition_creators`: email, name, locale) is what the notifications need (pre-agreement
 * progress, review decision, threshold, answer); it is never shown publicly. An unconfirmed draft is deleted with it
 * once its link has expired (`purgeUnconfirmedPetitions`).
 */
export interface PetitionCreationDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  /** Base of links in mail ('https://cheongwon.example'). */
  publicUrl: string;
  /** Issues the private pre-agreement link token (`issueSponsorToken` of commands/issue-sponsor-token.ts). */
  issueSponsorToken(petitionId: string): Promise<string>;
  /** Pre-agreements needed before review, for the creator's mail (the profile's effective setting). */
  preAgreementThreshold(profile: string): number;
  /** How long the emailed confirmation link stays valid (hours, default 24). */
  tokenTtlHours?: number;
  /**
   * Counts the creator's own agreement once the petition collects supporters (`countCreatorAgreement`; a no-op on
   * profiles that do not count creators). Absent: not counted.
   */
  countCreator?(petitionId: string, creator: { email: string; locale: 'ko' | 'en' }): Promise<unknown>;
}

export interface SubmitPetitionInput {
  /** The deployment's policy profile code. */
  profile: string;
  category: string;
  title: string;
  body: string;
  /** The form's idempotency token (43 base64url characters, issued with the form's first stage). */
  submissionKey: string;
  name: string;
  email: string;
  locale: 'ko' | 'en';
  /** True when the creator is signed in with OpenID Connect: no emailed confirmation is needed. */
  signedIn: boolean;
  /** The current instant (UTC). */
  now: Date;
}

/**
 * - `confirm_by_email`: a draft was created and the confirmation link mailed;
 * - `collecting`: (signed in) the petition collects pre-agreements now; `sponsorToken` is the private link's token;
 * - `replayed`: this form was submitted before; nothing new was created or sent (`state` is the petition's now).
 */
export type SubmitPetitionOutcome =
  | { status: 'confirm_by_email'; petitionId: string }
  | { status: 'collecting'; petitionId: string; sponsorToken: string }
  | { status: 'replayed'; petitionId: string; state: string };

/** The rollback signal of a submit that lost the race for its idempotency key. */
class AlreadySubmitted extends Error {}

/**
 * Stores a new petition and its creator's contact in one transaction, then mails the confirmation link (or, signed
 * in, issues the pre-agreement link and mails it). A submission key seen before returns `replayed` and creates
 * nothing: a refreshed or back-buttoned browser, or a double click, gives one petition.
 * @throws DomainError('invalid_petition', { issues }) when category, title or body break the profile's rules
 *   (`checkPetitionText`); DomainError('invalid_token') for a malformed submission key; DomainError('invalid_name' |
 *   'invalid_email') with `{ field }`; DomainError('mail_unavailable' | 'invalid_email') when the confirmation mail
 *   cannot be sent (the draft is then deleted, so the same form can be submitted again)
 */
export async function submitPetition(
  deps: PetitionCreationDeps,
  input: SubmitPetitionInput,
): Promise<SubmitPetitionOutcome> {
  if (!isTokenShaped(input.submissionKey))
    throw new DomainError('invalid_token', '양식이 올바르지 않습니다. 처음부터 다시 작성해 주십시오.');
  const profile = getProfile(input.profile);
  const text = checkPetitionText(profile, input);
  if (text.issues.length > 0)
    throw new DomainError('invalid_petition', '청원 내용을 고쳐 주십시오.', { issues: text.issues });
  const name = displayName(input.name);
  canonicalEmail(input.email); // refuses an address mail cannot go to
  const email = input.email.trim();
  const earlier = await replayOf(deps.db, input.submissionKey);
  if (earlier) return earlier;

  const hours = deps.tokenTtlHours ?? 24;
  const confirmToken = input.signedIn ? null : tokenFromBytes(randomBytes(TOKEN_BYTES));
  let petitionId: string;
  try {
    petitionId = await deps.db.transaction().execute(async (trx) => {
      if (input.signedIn) assertTransition('draft', 'collecting_pre_agreements');
      const id = await insertSubmission(trx, {
        profile: profile.code,
        category: text.category,
        title: text.title,
        body: text.body,
        state: input.signedIn ? 'collecting_pre_agreements' : 'draft',
        collectingSince: input.signedIn ? input.now : null,
        submissionKey: input.submissionKey,
        confirmation: confirmToken
          ? {
              tokenHash: hashToken(confirmToken),
              expiresAt: new Date(input.now.getTime() + hours * 3600_000),
            }
          : null,
        confirmedAt: confirmToken ? null : input.now,
        creator: { email, name, locale: input.locale },
      });
      if (id === null) throw new AlreadySubmitted();
      return id;
    });
  } catch (error) {
    if (!(error instanceof AlreadySubmitted)) throw error;
    const replay = await replayOf(deps.db, input.submissionKey);
    if (!replay) throw error;
    return replay;
  }

  if (confirmToken === null) {
    await deps.countCreator?.(petitionId, { email, locale: input.locale });
    const sponsorToken = await deps.issueSponsorToken(petitionId);
    const link = { petitionId, profile: profile.code, title: text.title, name, email, locale: input.locale };
    // the page shows the link at once; the mail is a copy to keep, so a failed send does not undo the petition
    await sendSponsorLink(deps, { ...link, sponsorToken }).catch(() => {});
    return { status: 'collecting', petitionId, sponsorToken };
  }
  const mail = petitionConfirmationMail({
    locale: input.locale,
    displayName: name,
    petitionTitle: text.title,
    confirmUrl: `${deps.publicUrl.replace(/\/+$/, '')}/petitions/new/confirm?token=${confirmToken}`,
    expiresInHours: hours,
  });
  try {
    await deps.mailer.send({ to: email, ...mail });
  } catch (error) {
    // never confirmed, never seen: removing it lets the creator submit the same form again
    await deleteDraft(deps.db, petitionId);
    if (error instanceof MailDeliveryError && error.permanent)
      throw new DomainError('invalid_email', '이 주소로는 메일을 보낼 수 없습니다. 주소를 확인해 주십시오.', {
        field: 'email',
      });
    throw new DomainError(
      'mail_unavailable',
      '지금은 확인 메일을 보낼 수 없습니다. 잠시 뒤에 다시 시도해 주십시오.',
      { retryAfterSeconds: 60 },
    );
  }
  return { status: 'confirm_by_email', petitionId };
}

/** The `replayed` answer for a submission key seen before, or null. */
async function replayOf(db: Kysely<Database>, submissionKey: string): Promise<SubmitPetitionOutcome | null> {
  const row = await findSubmission(db, submissionKey);
  return row ? { status: 'replayed', petitionId: row.id, state: row.state } : null;
}
