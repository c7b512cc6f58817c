import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { canonicalEmail, displayName, parseRegion, personKey, signerKey } from '../domain/identity.js';
import { MailDeliveryError, type Mailer } from '../notifications/mailer.js';
import { agreementConfirmationMail } from '../notifications/templates/agreement-confirmation.js';
import type { AgreementWriter, AgreeOutcome, ConfirmOutcome } from './agreement-writer.js';

export interface SigningServiceOptions {
  db: Kysely<Database>;
  writer: AgreementWriter;
  mailer: Mailer;
  /** Server secret (≥ 32 bytes) keying person pseudonyms and signer keys. Changing it orphans every key. */
  secret: string;
  /** Public base URL of the site, for links in mail ('https://cheongwon.example'). */
  publicUrl: string;
  /** How long an emailed link stays valid (hours, default 24). */
  tokenTtlHours?: number;
  now?: () => Date;
}

export interface EmailAgreementInput {
  petitionId: string;
  /** The token of the creator's private pre-agreement link, when the person came through it. */
  sponsorToken?: string | undefined;
  name: string;
  email: string;
  region?: string | null;
  notify?: boolean;
  locale?: 'ko' | 'en';
}

/** A new link for the same unconfirmed agreement is sent at most this often (ms). */
const RESEND_PAUSE_MS = 10 * 60_000;

/** Emailed tokens: 32 random bytes, base64url (43 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The signing path's use cases: agree by email (confirmed by an emailed link), agree in one click with a verified
 * identity, confirm an emailed link. Everything that is stored goes through the one agreement writer.
 */
export class SigningService {
  readonly #o: SigningServiceOptions;

  constructor(options: SigningServiceOptions) {
    if (Buffer.byteLength(options.secret) < 32)
      throw new Error('The signing secret must be at least 32 bytes.');
    this.#o = options;
  }

  /**
   * The pseudonymous id of a person: HMAC(secret, person key). Sessions carry this, never the raw identity (an
   * email address, or a CI which is personal data); signer keys are derived from it per petition.
   */
  personId(identity: Parameters<typeof personKey>[0]): string {
    return createHmac('sha256', this.#o.secret)
      .update(`person\n${personKey(identity)}`)
      .digest('hex');
  }

  /**
   * Email path: stores a pending agreement and sends the confirmation link; nothing counts until it is confirmed.
   * A person who already agreed (or asked to) gets the same answer and no second mail — a double-clicked submit
   * gives one agreement and one email, and the answer never tells anyone whether an address had signed.
   * An unconfirmed earlier agreement gets a fresh link (at most every 10 minutes), so a lost or expired mail never
   * locks a person out.
   * @returns 'pending' for a new agreement, 'already_agreed' otherwise
   * @throws DomainError('invalid_email' | 'invalid_name' | 'invalid_region' | 'petition_not_found' |
   *   'petition_not_open' | 'invalid_token'); DomainError('invalid_email') when the mail server refuses the address
   *   for good, DomainError('mail_unavailable') when it cannot be reached (a new pending agreement is then removed,
   *   so the person can try again)
   */
  async agreeByEmail(input: EmailAgreementInput): Promise<AgreeOutcome> {
    const email = canonicalEmail(input.email);
    const name = displayName(input.name);
    const region = parseRegion(input.region);
    const token = randomBytes(32).toString('base64url');
    const hours = this.#o.tokenTtlHours ?? 24;
    const now = this.#now();
    const person = this.personId({ kind: 'email', email });
    const sponsor = await this.#sponsor(input.petitionId, input.sponsorToken);
    const outcome = await this.#o.writer.agree({
      petitionId: input.petitionId,
      sponsor,
      signerKey: signerKey(this.#o.secret, input.petitionId, person),
      method: 'email',
      region,
      locale: input.locale ?? 'ko',
      notify: input.notify ?? false,
      confirmation: {
        tokenHash: hashToken(token),
        expiresAt: new Date(now.getTime() + hours * 3600_000),
        contact: { email: input.email.trim(), name },
      },
    });
    let reissued: { previousHash: string | null; previousExpiry: Date | null } | null = null;
    if (outcome.status === 'already_agreed') {
      // An unconfirmed agreement whose mail was lost or expired must not lock the person out: after a pause
      // (so a double-clicked submit still sends one mail) it gets a fresh link.
      if (outcome.confirmed) return outcome;
      reissued = await this.#reissue(outcome.agreementId, token, hours, now);
      if (!reissued) return outcome;
    }
    const petition = await this.#o.db
      .selectFrom('petitions')
      .select('title')
      .where('id', '=', input.petitionId)
      .executeTakeFirstOrThrow();
    const mail = agreementConfirmationMail({
      locale: input.locale ?? 'ko',
      displayName: name,
      petitionTitle: petition.title,
      confirmUrl: `${this.#o.publicUrl.replace(/\/+$/, '')}/agreements/confirm?token=${token}${input.locale === 'en' ? '&lang=en' : ''}`,
      expiresInHours: hours,
    });
    try {
      await this.#o.mailer.send({ to: input.email.trim(), ...mail });
    } catch (error) {
      if (outcome.status === 'pending') {
        // never counted; removing it lets the person try again instead of being told they already agreed
        await this.#o.db
          .deleteFrom('agreements')
          .where('id', '=', outcome.agreementId)
          .where('confirmed_at', 'is', null)
          .execute();
      } else if (reissued) {
        // the fresh link never left: the earlier one, maybe still in the person's inbox, works again
        await this.#o.db
          .updateTable('agreements')
          .set({
            confirmation_token_hash: reissued.previousHash,
            token_expires_at: reissued.previousExpiry,
          })
          .where('id', '=', outcome.agreementId)
          .where('confirmation_token_hash', '=', hashToken(token))
          .execute();
      }
      if (error instanceof MailDeliveryError && error.permanent) {
        throw new DomainError(
          'invalid_email',
          '이 주소로는 메일을 보낼 수 없습니다. 주소를 확인해 주십시오.',
        );
      }
      throw new DomainError(
        'mail_unavailable',
        '지금은 확인 메일을 보낼 수 없습니다. 잠시 뒤에 다시 시도해 주십시오.',
        {
          retryAfterSeconds: 60,
        },
      );
    }
    return outcome;
  }

  /**
   * Gives an unconfirmed agreement a new emailed token, unless its current one was issued less than
   * `RESEND_PAUSE_MS` ago.
   * @returns the token it replaced (hash and expiry, to put back if the new mail cannot be sent), or null when no
   *   new token was stored (and no mail should go out)
   */
  async #reissue(
    agreementId: string,
    token: string,
    hours: number,
    now: Date,
  ): Promise<{ previousHash: string | null; previousExpiry: Date | null } | null> {
    const expiresAt = new Date(now.getTime() + hours * 3600_000);
    const issuedBefore = new Date(now.getTime() + hours * 3600_000 - RESEND_PAUSE_MS);
    const { rows } = await sql<{ previous_hash: string | null; previous_expiry: Date | null }>`
      with old as (
        select id, confirmation_token_hash, token_expires_at from agreements
        where id = ${agreementId} and confirmed_at is null and method = 'email'
          and token_expires_at <= ${issuedBefore.toISOString()}::timestamptz
        for update
      )
      update agreements a
      set confirmation_token_hash = ${hashToken(token)}, token_expires_at = ${expiresAt.toISOString()}::timestamptz
      from old where a.id = old.id
      returning old.confirmation_token_hash as previous_hash, old.token_expires_at as previous_expiry`.execute(
      this.#o.db,
    );
    const row = rows[0];
    return row ? { previousHash: row.previous_hash, previousExpiry: row.previous_expiry } : null;
  }

  /**
   * One-click path for a signed-in person (verified identity from OpenID Connect): counted at once.
   * @param personId the pseudonymous id from the session (see `personId`)
   * @throws DomainError('invalid_region' | 'petition_not_found' | 'petition_not_open')
   */
  async agreeAsSignedIn(input: {
    petitionId: string;
    personId: string;
    region?: string | null;
    notify?: boolean;
    locale?: 'ko' | 'en';
    sponsorToken?: string | undefined;
  }): Promise<AgreeOutcome> {
    const sponsor = await this.#sponsor(input.petitionId, input.sponsorToken);
    return this.#o.writer.agree({
      petitionId: input.petitionId,
      sponsor,
      signerKey: signerKey(this.#o.secret, input.petitionId, input.personId),
      method: 'oidc',
      region: parseRegion(input.region),
      locale: input.locale ?? 'ko',
      notify: input.notify ?? false,
    });
  }

  /**
   * Confirms an emailed link (on POST only: opening the link shows a page with a button, so mail scanners that
   * prefetch links confirm nothing).
   * @throws DomainError('invalid_token') for a malformed or unknown token; DomainError('token_expired');
   *   DomainError('petition_not_open')
   */
  async confirm(token: string): Promise<ConfirmOutcome> {
    if (!TOKEN_PATTERN.test(token)) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
    return this.#o.writer.confirm(hashToken(token));
  }

  /**
   * Issues the creator's private pre-agreement link token for a petition (replacing any earlier one). Only its hash
   * is stored. @returns the token, to be put in the link the creator shares: /petitions/<id>/sponsor?token=…
   */
  async issueSponsorToken(petitionId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.#o.db
      .updateTable('petitions')
      .set({ sponsor_token_hash: hashToken(token) })
      .where('id', '=', petitionId)
      .execute();
    return token;
  }

  /**
   * Whether a request comes through the petition's private pre-agreement link.
   * @throws DomainError('invalid_token') when a token is given and is not this petition's
   */
  async #sponsor(petitionId: string, token: string | undefined): Promise<boolean> {
    if (token === undefined || token === '') return false;
    if (!TOKEN_PATTERN.test(token))
      throw new DomainError('invalid_token', '사전동의 링크가 올바르지 않습니다.');
    const row = await this.#o.db
      .selectFrom('petitions')
      .select('id')
      .where('id', '=', petitionId)
      .where('sponsor_token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) throw new DomainError('invalid_token', '사전동의 링크가 올바르지 않습니다.');
    return true;
  }

  #now(): Date {
    return (this.#o.now ?? (() => new Date()))();
  }
}

/** SHA-256 hex of an emailed token: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when `token` has the shape of an emailed token (no database lookup). */
export function isTokenShaped(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
