import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { canonicalEmail, displayName } from '../domain/identity.js';
import { assertTransition } from '../domain/petition-states.js';
import { checkPetitionText } from '../domain/petition-text.js';
import { getProfile } from '../domain/policy-profiles.js';
import { hashToken, isTokenShaped } from '../domain/tokens.js';
import { MailDeliveryError, type Mailer } from '../notifications/mailer.js';
import { petitionConfirmationMail, sponsorLinkMail } from '../notifications/templates/petition-creation.js';

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
  const earlier = await findSubmission(deps.db, input.submissionKey);
  if (earlier) return earlier;

  const hours = deps.tokenTtlHours ?? 24;
  const confirmToken = input.signedIn ? null : randomBytes(32).toString('base64url');
  let petitionId: string;
  try {
    petitionId = await deps.db.transaction().execute(async (trx) => {
      if (input.signedIn) assertTransition('draft', 'collecting_pre_agreements');
      const petition = await trx
        .insertInto('petitions')
        .values({
          profile: profile.code,
          category: text.category,
          title: text.title,
          body: text.body,
          state: input.signedIn ? 'collecting_pre_agreements' : 'draft',
          collecting_since: input.signedIn ? input.now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await trx
        .insertInto('petition_creations')
        .values({
          petition_id: petition.id,
          submission_key: input.submissionKey,
          confirmation_token_hash: confirmToken ? hashToken(confirmToken) : null,
          token_expires_at: confirmToken ? new Date(input.now.getTime() + hours * 3600_000) : null,
          confirmed_at: confirmToken ? null : input.now,
        })
        .onConflict((oc) => oc.column('submission_key').doNothing())
        .returning('petition_id')
        .executeTakeFirst();
      if (!created) throw new AlreadySubmitted();
      await trx
        .insertInto('petition_creators')
        .values({ petition_id: petition.id, email, name, locale: input.locale })
        .execute();
      return petition.id;
    });
  } catch (error) {
    if (!(error instanceof AlreadySubmitted)) throw error;
    const replay = await findSubmission(deps.db, input.submissionKey);
    if (!replay) throw error;
    return replay;
  }

  if (confirmToken === null) {
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
    confirmUrl: `${base(deps)}/petitions/new/confirm?token=${confirmToken}`,
    expiresInHours: hours,
  });
  try {
    await deps.mailer.send({ to: email, ...mail });
  } catch (error) {
    // never confirmed, never seen: removing it lets the creator submit the same form again
    await deps.db.deleteFrom('petitions').where('id', '=', petitionId).where('state', '=', 'draft').execute();
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

async function findSubmission(
  db: Kysely<Database>,
  submissionKey: string,
): Promise<SubmitPetitionOutcome | null> {
  const row = await db
    .selectFrom('petition_creations')
    .innerJoin('petitions', 'petitions.id', 'petition_creations.petition_id')
    .select(['petitions.id', 'petitions.state'])
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst();
  return row ? { status: 'replayed', petitionId: row.id, state: row.state } : null;
}

/**
 * - `confirmed`: the petition now collects pre-agreements; `sponsorToken` is the private link's token (shown once,
 *   and mailed: `mailed` false when the mail could not be sent);
 * - `already_confirmed`: the link was used before; the private link went out then (it is stored only hashed).
 */
export type ConfirmPetitionOutcome =
  | { status: 'confirmed'; petitionId: string; sponsorToken: string; mailed: boolean }
  | { status: 'already_confirmed'; petitionId: string };

/**
 * Confirms a creator's emailed link (on POST only: the GET shows a button, so mail scanners that prefetch links
 * change nothing): `draft → collecting_pre_agreements`, then issues and mails the private pre-agreement link.
 * A second confirmation changes nothing and says so.
 * @param now the current instant (UTC); the link is valid while now < token_expires_at
 * @throws DomainError('invalid_token') for a malformed or unknown token (also once the draft was purged);
 *   DomainError('token_expired') for an expired, unconfirmed link; DomainError('invalid_transition') when the
 *   petition left `draft` another way (removed)
 */
export async function confirmPetition(
  deps: PetitionCreationDeps,
  token: string,
  now: Date,
): Promise<ConfirmPetitionOutcome> {
  if (!isTokenShaped(token)) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('petition_creations')
      .innerJoin('petitions', 'petitions.id', 'petition_creations.petition_id')
      .select([
        'petitions.id',
        'petitions.state',
        'petitions.sponsor_token_hash',
        'petition_creations.confirmed_at',
        'petition_creations.token_expires_at',
      ])
      .where('confirmation_token_hash', '=', hashToken(token))
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
    if (row.confirmed_at !== null)
      return { first: false, id: row.id, needsToken: row.sponsor_token_hash === null };
    if (row.token_expires_at === null || row.token_expires_at.getTime() <= now.getTime())
      throw new DomainError(
        'token_expired',
        '확인 링크가 만료되었습니다. 청원을 처음부터 다시 작성해 주십시오.',
      );
    assertTransition(row.state as 'draft', 'collecting_pre_agreements');
    await trx
      .updateTable('petitions')
      .set({ state: 'collecting_pre_agreements', collecting_since: now, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await trx
      .updateTable('petition_creations')
      .set({ confirmed_at: now })
      .where('petition_id', '=', row.id)
      .execute();
    return { first: true, id: row.id, needsToken: true };
  });
  // a confirmation whose link was issued but not yet stored (a crash between the two) gets it on the next press
  if (!result.first && !result.needsToken) return { status: 'already_confirmed', petitionId: result.id };
  const sponsorToken = await deps.issueSponsorToken(result.id);
  const petition = await deps.db
    .selectFrom('petitions')
    .innerJoin('petition_creators', 'petition_creators.petition_id', 'petitions.id')
    .select([
      'petitions.title',
      'petitions.profile',
      'petition_creators.email',
      'petition_creators.name',
      'locale',
    ])
    .where('petitions.id', '=', result.id)
    .executeTakeFirstOrThrow();
  let mailed = true;
  try {
    await sendSponsorLink(deps, {
      petitionId: result.id,
      profile: petition.profile,
      title: petition.title,
      name: petition.name,
      email: petition.email,
      locale: petition.locale,
      sponsorToken,
    });
  } catch {
    mailed = false; // the page shows the link; the creator is told to keep it
  }
  return { status: 'confirmed', petitionId: result.id, sponsorToken, mailed };
}

/** The private pre-agreement link of a petition: `<public url>/petitions/<id>/sponsor?token=…`. */
export function sponsorUrl(publicUrl: string, petitionId: string, sponsorToken: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/petitions/${petitionId}/sponsor?token=${sponsorToken}`;
}

function base(deps: PetitionCreationDeps): string {
  return deps.publicUrl.replace(/\/+$/, '');
}

async function sendSponsorLink(
  deps: PetitionCreationDeps,
  p: {
    petitionId: string;
    profile: string;
    title: string;
    name: string;
    email: string;
    locale: 'ko' | 'en';
    sponsorToken?: string;
  },
): Promise<void> {
  const token = p.sponsorToken;
  if (!token) return;
  const mail = sponsorLinkMail({
    locale: p.locale,
    displayName: p.name,
    petitionTitle: p.title,
    sponsorUrl: sponsorUrl(deps.publicUrl, p.petitionId, token),
    threshold: deps.preAgreementThreshold(p.profile),
  });
  await deps.mailer.send({ to: p.email, ...mail });
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
  const before = new Date(now.getTime() - marginMs).toISOString();
  const result = await sql`
    delete from petitions where state = 'draft' and id in (
      select petition_id from petition_creations
      where confirmed_at is null and token_expires_at < ${before}::timestamptz)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
