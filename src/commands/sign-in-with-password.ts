import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { staffEmail } from '../domain/staff.js';
import { lockStaffForSignIn, setTotpLastStep } from '../repositories/writes/staff-accounts.js';
import { openStaffSession } from '../staff/open-session.js';
import { decryptTotpSecret, staffTotp, totpStep } from '../staff/secrets.js';

// A hash to verify against when the email is unknown, so the answer takes as long either way.
let dummyHash: Promise<string> | null = null;

/**
 * Signs a staff member in with email, password (argon2id) and the current TOTP code, and opens a session, in one
 * transaction that locks the account (so a code is accepted once even by two servers at the same instant).
 * A TOTP code is accepted once: a code for a time step not later than the last accepted one is refused (replay),
 * even within its 90-second window.
 * @param options.now UTC instant of the attempt (also the TOTP clock)
 * @returns the session token for the cookie (only its SHA-256 is stored) and its expiry
 * @throws DomainError('invalid_credentials') — the same answer for an unknown email, a wrong password, a wrong or
 *   replayed code and a disabled account, so the form reveals nothing about which accounts exist
 */
export async function signInWithPassword(
  db: Kysely<Database>,
  options: { email: string; password: string; code: string; secret: string; now: Date },
): Promise<{ token: string; staffId: string; expiresAt: Date }> {
  const refused = () =>
    new DomainError(
      'invalid_credentials',
      '이메일, 비밀번호 또는 인증 코드가 맞지 않습니다. 인증 코드는 한 번만 쓸 수 있습니다.',
    );
  let email: string;
  try {
    email = staffEmail(options.email);
  } catch {
    throw refused();
  }
  return db.transaction().execute(async (trx) => {
    const row = await lockStaffForSignIn(trx, email);
    if (!row?.password_hash || !row.totp_secret_enc || row.disabled_at) {
      dummyHash ??= hash(randomBytes(16).toString('hex'));
      await verify(await dummyHash, options.password);
      throw refused();
    }
    if (!(await verify(row.password_hash, options.password))) throw refused();
    const totp = staffTotp(decryptTotpSecret(row.totp_secret_enc, options.secret), row.email);
    const step = totpStep(totp, options.code.trim(), options.now);
    if (step === null || (row.totp_last_step !== null && step <= Number(row.totp_last_step))) throw refused();
    await setTotpLastStep(trx, row.id, step);
    return openStaffSession(trx, row.id, options.now);
  });
}
