import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { canonicalEmail, displayName, personId, signerKey } from '../domain/identity.js';
import type { PlaceTaxonomy } from '../domain/places.js';
import { receiptSecret } from '../domain/receipts.js';
import { receiptCommitment } from '../domain/tlog/entries.js';
import { hashToken, TOKEN_BYTES, tokenFromBytes } from '../domain/tokens.js';
import { MailDeliveryError, type Mailer } from '../notifications/mailer.js';
import { agreementConfirmationMail } from '../notifications/templates/agreement-confirmation.js';
import { petitionTitle } from '../repositories/signing.js';
import {
  deleteUnconfirmedAgreement,
  reissueConfirmationToken,
  restoreConfirmationToken,
} from '../repositories/writes/agreements.js';
import type { AgreementWrites, SigningAnswer } from '../signing/agreement-batch.js';
import type { FraudListCheck } from '../signing/fraud-lists.js';
import { comesThroughSponsorLink } from '../signing/sponsor-link.js';
import { screenAgreement } from './steps/fraud-screen.js';
import { signerPlace } from './steps/signer-place.js';

/** What the email path needs (the signing commands share this shape: see src/wiring/signing.ts). */
export interface SigningDeps {
  db: Kysely<Database>;
  writer: AgreementWrites;
  mailer: Mailer;
  /** Server secret (≥ 32 bytes) keying person pseudonyms and signer keys. Changing it orphans every key. */
  secret: string;
  /** Public base URL of the site, for links in mail ('https://cheongwon.example'). */
  publicUrl: string;
  /** How long an emailed link stays valid (hours, default 24). */
  tokenTtlHours?: number;
  now: () => Date;
  /** The runtime block / allow lists (src/signing/fraud-lists.ts); absent: nothing is refused by them. */
  lists?: FraudListCheck;
}

export interface EmailAgreementInput {
  petitionId: string;
  /** The token of the creator's private pre-agreement link, when the person came through it. */
  sponsorToken?: string | undefined;
  name: string;
  email: string;
  region?: string | null;
  /** The site's place taxonomy (its profile's `places`); default the Korean 시·도. */
  places?: PlaceTaxonomy;
  /** UK: the signer's postcode, looked up in the postcode table for their constituency (never stored). */
  postcode?: string | null;
  notify?: boolean;
  locale?: 'ko' | 'en';
  /** The receipt secret the signer's browser made (32 hex characters); absent: the server makes one. */
  receiptSecret?: string | undefined;
  /** The client's address (src/http/middleware/client-address.ts): only its network prefix is kept. */
  clientAddress?: string | undefined;
}

/** A new link for the same unconfirmed agreement is sent at most this often (ms). */
const RESEND_PAUSE_MS = 10 * 60_000;

/**
 * Email path: stores a pending agreement (through the agreement writer, in its batch transaction) and sends the
 * confirmation link; nothing counts until it is confirmed (`confirmAgreement`). A person who already agreed (or
 * asked to) gets the same answer and no second mail — a double-clicked submit gives one agreement and one email,
 * and the answer never tells anyone whether an address had signed. An unconfirmed earlier agreement gets a fresh
 * link (at most every 10 minutes), so a lost or expired mail never locks a person out.
 *
 * Not one transaction: the agreement is committed before the mail is sent (an acknowledged agreement is durable);
 * when the mail cannot be sent, a new pending agreement is deleted again, or a reissued link put back.
 * @returns 'pending' for a new agreement, 'already_agreed' otherwise
 * @throws DomainError('invalid_email' | 'invalid_name' | 'invalid_region' | 'petition_not_found' |
 *   'petition_not_open' | 'invalid_token'); DomainError('invalid_email') when the mail server refuses the address
 *   for good, DomainError('mail_unavailable') when it cannot be reached (a new pending agreement is then removed,
 *   so the person can try again); DomainError('invalid_parameter') for a malformed receipt secret
 */
export async function agreeByEmail(deps: SigningDeps, input: EmailAgreementInput): Promise<SigningAnswer> {
  const secret = receiptSecret(input.receiptSecret);
  const email = canonicalEmail(input.email);
  const name = displayName(input.name);
  const place = await signerPlace(deps.db, input);
  const token = tokenFromBytes(randomBytes(TOKEN_BYTES));
  const hours = deps.tokenTtlHours ?? 24;
  const now = deps.now();
  const person = personId(deps.secret, { kind: 'email', email });
  const signals = await screenAgreement(deps.lists, { clientAddress: input.clientAddress, email });
  const sponsor = await comesThroughSponsorLink(deps.db, input.petitionId, input.sponsorToken);
  const outcome = await deps.writer.agree({
    petitionId: input.petitionId,
    sponsor,
    signerKey: signerKey(deps.secret, input.petitionId, person),
    method: 'email',
    ...signals,
    ...place,
    locale: input.locale ?? 'ko',
    notify: input.notify ?? false,
    confirmation: {
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + hours * 3600_000),
      contact: { email: input.email.trim(), name },
    },
    receiptCommitment: receiptCommitment(secret),
  });
  let reissued: { previousHash: string | null; previousExpiry: Date | null } | null = null;
  if (outcome.status === 'already_agreed') {
    // An unconfirmed agreement whose mail was lost or expired must not lock the person out: after a pause
    // (so a double-clicked submit still sends one mail) it gets a fresh link.
    if (outcome.confirmed) return { ...outcome, receiptSecret: secret.toString('hex') };
    reissued = await reissueConfirmationToken(
      deps.db,
      outcome.agreementId,
      { hash: hashToken(token), expiresAt: new Date(now.getTime() + hours * 3600_000) },
      new Date(now.getTime() + hours * 3600_000 - RESEND_PAUSE_MS),
    );
    if (!reissued) return { ...outcome, receiptSecret: secret.toString('hex') };
  }
  const mail = agreementConfirmationMail({
    locale: input.locale ?? 'ko',
    displayName: name,
    petitionTitle: await petitionTitle(deps.db, input.petitionId),
    confirmUrl: `${deps.publicUrl.replace(/\/+$/, '')}/agreements/confirm?token=${token}${input.locale === 'en' ? '&lang=en' : ''}`,
    expiresInHours: hours,
  });
  try {
    await deps.mailer.send({ to: input.email.trim(), ...mail });
  } catch (error) {
    if (outcome.status === 'pending') {
      // never counted; removing it lets the person try again instead of being told they already agreed
      await deleteUnconfirmedAgreement(deps.db, outcome.agreementId);
    } else if (reissued) {
      // the fresh link never left: the earlier one, maybe still in the person's inbox, works again
      await restoreConfirmationToken(deps.db, outcome.agreementId, hashToken(token), reissued);
    }
    if (error instanceof MailDeliveryError && error.permanent) {
      throw new DomainError('invalid_email', '이 주소로는 메일을 보낼 수 없습니다. 주소를 확인해 주십시오.');
    }
    throw new DomainError(
      'mail_unavailable',
      '지금은 확인 메일을 보낼 수 없습니다. 잠시 뒤에 다시 시도해 주십시오.',
      { retryAfterSeconds: 60 },
    );
  }
  // every answer carries a receipt secret, so the answer never tells whether the address had signed (for a person
  // who had, it is one nobody committed to)
  return { ...outcome, receiptSecret: secret.toString('hex') };
}
