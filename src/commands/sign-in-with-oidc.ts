import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { enabledStaffByEmail, staffByOidcIdentity } from '../repositories/staff-accounts.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { linkOidcIdentity } from '../repositories/writes/staff-accounts.js';
import type { VerifiedIdentity } from '../signing/oidc.js';
import { openStaffSession } from '../staff/open-session.js';

/**
 * Signs a staff member in with an identity verified by an OpenID Connect provider (src/signing/oidc.ts). The
 * identity is mapped to a staff account by its (issuer, sub) pair; when the pair is not linked yet and the
 * administrator configured the provider with `matchEmail` (trusting its verified `email` claim), an account with
 * that email is linked to the pair — audited as 'staff.oidc_link' — and every later sign-in goes by the pair alone.
 * One transaction: the link, its audit entry and the session commit together.
 * @param options.now UTC instant (session start; audit time)
 * @returns the session token for the cookie and its expiry
 * @throws DomainError('invalid_credentials') when no enabled staff account maps to the identity
 */
export async function signInWithOidc(
  db: Kysely<Database>,
  options: { identity: VerifiedIdentity; matchEmail: boolean; now: Date },
): Promise<{ token: string; staffId: string; expiresAt: Date }> {
  const { identity } = options;
  const refused = () =>
    new DomainError(
      'invalid_credentials',
      '이 계정으로 로그인할 수 있는 직원 계정이 없습니다. 관리자에게 문의하십시오.',
    );
  return db.transaction().execute(async (trx) => {
    const linked = await staffByOidcIdentity(trx, identity);
    if (linked) {
      if (linked.disabled_at) throw refused();
      return openStaffSession(trx, linked.id, options.now);
    }
    const email = identity.email?.trim().toLowerCase();
    if (!options.matchEmail || !email) throw refused();
    const account = await enabledStaffByEmail(trx, email);
    if (!account) throw refused();
    await linkOidcIdentity(trx, { staffId: account.id, issuer: identity.issuer, subject: identity.subject });
    await appendAudit(trx, {
      at: options.now,
      staffId: account.id,
      actor: account.email,
      action: 'staff.oidc_link',
      subjectType: 'staff',
      subjectId: account.id,
      after: { issuer: identity.issuer, subject: identity.subject, provider: identity.providerId },
    });
    return openStaffSession(trx, account.id, options.now);
  });
}
