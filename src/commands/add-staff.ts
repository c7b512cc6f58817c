import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, parseRoles, staffDisplayName, staffEmail } from '../domain/staff.js';
import { staffIdByEmail } from '../repositories/staff-accounts.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { insertStaffAccount } from '../repositories/writes/staff-accounts.js';
import { encryptTotpSecret, newInitialPassword, newTotpSecret, staffTotp } from '../staff/secrets.js';

export interface NewStaffCredentials {
  id: string;
  email: string;
  /** Shown once; only its argon2id hash is stored. */
  initialPassword: string;
  /** `otpauth://totp/…` provisioning URI for an authenticator app; shown once, the secret is stored encrypted. */
  totpUri: string;
}

/**
 * Creates a staff account with an initial random password (argon2id, @node-rs/argon2 defaults) and a TOTP secret
 * (otpauth), audited as 'staff.add', in one transaction.
 * @param options.secret the deployment secret (keys the TOTP secret's encryption)
 * @param options.now UTC instant, recorded in the audit log
 * @throws DomainError('invalid_email' | 'invalid_parameter' | 'invalid_name' | 'staff_exists')
 */
export async function addStaff(
  db: Kysely<Database>,
  options: {
    email: string;
    displayName?: string;
    roles: readonly string[];
    secret: string;
    actor: Actor;
    now: Date;
  },
): Promise<NewStaffCredentials> {
  const email = staffEmail(options.email);
  const roles = parseRoles(options.roles);
  const displayName = staffDisplayName(options.displayName, email);
  const initialPassword = newInitialPassword();
  const totpSecret = newTotpSecret();
  const passwordHash = await hash(initialPassword);
  return db.transaction().execute(async (trx) => {
    if (await staffIdByEmail(trx, email))
      throw new DomainError('staff_exists', `${email} 계정이 이미 있습니다.`);
    const id = await insertStaffAccount(trx, {
      email,
      displayName,
      roles,
      passwordHash,
      totpSecretEnc: encryptTotpSecret(totpSecret, options.secret),
    });
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.add',
      subjectType: 'staff',
      subjectId: id,
      after: { email, display_name: displayName, roles },
    });
    return { id, email, initialPassword, totpUri: staffTotp(totpSecret, email).toString() };
  });
}
