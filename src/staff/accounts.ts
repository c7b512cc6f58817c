import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database, StaffRole } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { isRecordNumber } from '../domain/record-numbers.js';
import { hashToken } from '../domain/tokens.js';
import { appendAudit } from '../repositories/audit.js';
import {
  decryptTotpSecret,
  encryptTotpSecret,
  newInitialPassword,
  newTotpSecret,
  staffTotp,
  totpStep,
} from './secrets.js';

/**
 * Staff accounts and sessions. Roles (a set): `moderator` decides on petitions in review, `responder` is the official
 * who answers, `administrator` manages staff and settings (and may do what a moderator does). Sign-in is a password
 * (argon2id, @node-rs/argon2 defaults) plus a TOTP code (otpauth), or a mapped OpenID Connect identity.
 */
export const STAFF_ROLES = [
  'moderator',
  'responder',
  'administrator',
] as const satisfies readonly StaffRole[];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  moderator: '검토자',
  responder: '답변 담당자',
  administrator: '관리자',
};

/** How long a staff session lasts from sign-in (hours). */
export const STAFF_SESSION_HOURS = 8;

/** Who did something: a staff member, or the command line (`staffId` null). */
export interface Actor {
  staffId: string | null;
  /** Email of the staff member, or 'cli:<user>'. */
  name: string;
}

/** A signed-in staff member as routes see them. */
export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
}

/**
 * Parses a role list ("moderator,administrator" or an array).
 * @throws DomainError('invalid_parameter') naming an unknown role, or when the list is empty
 */
export function parseRoles(input: string | readonly string[]): StaffRole[] {
  const list = (typeof input === 'string' ? input.split(',') : [...input])
    .map((r) => r.trim())
    .filter(Boolean);
  const roles: StaffRole[] = [];
  for (const r of list) {
    if (!(STAFF_ROLES as readonly string[]).includes(r)) {
      throw new DomainError('invalid_parameter', `알 수 없는 역할입니다: ${r} (${STAFF_ROLES.join(', ')})`, {
        fields: ['roles'],
        allowed: [...STAFF_ROLES],
      });
    }
    if (!roles.includes(r as StaffRole)) roles.push(r as StaffRole);
  }
  if (roles.length === 0)
    throw new DomainError('invalid_parameter', '역할을 하나 이상 고르십시오.', { fields: ['roles'] });
  return roles;
}

/**
 * A staff email, trimmed and lower-cased.
 * @throws DomainError('invalid_email') when it is not shaped like an address (or longer than 320 characters)
 */
export function staffEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 320 || !/^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+\.[^@\s\p{Cc}]+$/u.test(email)) {
    throw new DomainError('invalid_email', '올바른 이메일 주소가 아닙니다.', { fields: ['email'] });
  }
  return email;
}

export interface NewStaffCredentials {
  id: string;
  email: string;
  /** Shown once; only its argon2id hash is stored. */
  initialPassword: string;
  /** `otpauth://totp/…` provisioning URI for an authenticator app; shown once, the secret is stored encrypted. */
  totpUri: string;
}

/**
 * Creates a staff account with an initial random password and a TOTP secret, audited as 'staff.add'.
 * @param options.secret the deployment secret (keys the TOTP secret's encryption)
 * @param options.now UTC instant, recorded in the audit log
 * @throws DomainError('invalid_email' | 'invalid_parameter' | 'staff_exists')
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
  const displayName = (options.displayName ?? '').trim() || email.split('@')[0] || email;
  if (displayName.length > 100 || displayName.includes('\u0000')) {
    throw new DomainError('invalid_name', '이름은 100자까지 쓸 수 있습니다.', { fields: ['display_name'] });
  }
  const initialPassword = newInitialPassword();
  const totpSecret = newTotpSecret();
  const passwordHash = await hash(initialPassword);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('staff_accounts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) throw new DomainError('staff_exists', `${email} 계정이 이미 있습니다.`);
    const row = await trx
      .insertInto('staff_accounts')
      .values({
        email,
        display_name: displayName,
        roles,
        password_hash: passwordHash,
        totp_secret_enc: encryptTotpSecret(totpSecret, options.secret),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.add',
      subjectType: 'staff',
      subjectId: row.id,
      after: { email, display_name: displayName, roles },
    });
    return { id: row.id, email, initialPassword, totpUri: staffTotp(totpSecret, email).toString() };
  });
}

/**
 * Replaces a staff member's roles, audited as 'staff.roles' with before/after.
 * @throws DomainError('not_found' | 'invalid_parameter')
 */
export async function setStaffRoles(
  db: Kysely<Database>,
  options: {
    email?: string;
    staffId?: string;
    roles: readonly string[];
    actor: Actor;
    now: Date;
    reason?: string;
  },
): Promise<StaffRole[]> {
  const roles = parseRoles(options.roles);
  return db.transaction().execute(async (trx) => {
    const row = await lockStaff(trx, options);
    await trx.updateTable('staff_accounts').set({ roles }).where('id', '=', row.id).execute();
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.roles',
      subjectType: 'staff',
      subjectId: row.id,
      reason: options.reason ?? null,
      before: { roles: row.roles },
      after: { roles },
    });
    return roles;
  });
}

/**
 * Disables a staff account and ends its sessions, audited as 'staff.disable'. Disabling twice changes nothing more.
 * @throws DomainError('not_found')
 */
export async function disableStaff(
  db: Kysely<Database>,
  options: { email?: string; staffId?: string; actor: Actor; now: Date; reason?: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await lockStaff(trx, options);
    if (row.disabled_at) return;
    await trx
      .updateTable('staff_accounts')
      .set({ disabled_at: options.now })
      .where('id', '=', row.id)
      .execute();
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', row.id).execute();
    await trx.deleteFrom('moderation_checkouts').where('staff_id', '=', row.id).execute();
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.disable',
      subjectType: 'staff',
      subjectId: row.id,
      reason: options.reason ?? null,
      before: { disabled_at: null },
      after: { disabled_at: options.now.toISOString() },
    });
  });
}

async function lockStaff(db: Kysely<Database>, who: { email?: string; staffId?: string }) {
  let q = db.selectFrom('staff_accounts').select(['id', 'email', 'roles', 'disabled_at']).forUpdate();
  if (who.staffId !== undefined) {
    if (!isRecordNumber(who.staffId)) throw new DomainError('not_found', '그런 직원 계정이 없습니다.');
    q = q.where('id', '=', who.staffId);
  } else q = q.where('email', '=', staffEmail(who.email ?? ''));
  const row = await q.executeTakeFirst();
  if (!row) throw new DomainError('not_found', '그런 직원 계정이 없습니다.');
  return row;
}

// A hash to verify against when the email is unknown, so the answer takes as long either way.
let dummyHash: Promise<string> | null = null;

/**
 * Signs a staff member in with email, password and the current TOTP code, and opens a session.
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
    const row = await trx
      .selectFrom('staff_accounts')
      .select(['id', 'email', 'password_hash', 'totp_secret_enc', 'totp_last_step', 'disabled_at'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    if (!row?.password_hash || !row.totp_secret_enc || row.disabled_at) {
      dummyHash ??= hash(randomBytes(16).toString('hex'));
      await verify(await dummyHash, options.password);
      throw refused();
    }
    if (!(await verify(row.password_hash, options.password))) throw refused();
    const totp = staffTotp(decryptTotpSecret(row.totp_secret_enc, options.secret), row.email);
    const step = totpStep(totp, options.code.trim(), options.now);
    if (step === null || (row.totp_last_step !== null && step <= Number(row.totp_last_step))) throw refused();
    await trx.updateTable('staff_accounts').set({ totp_last_step: step }).where('id', '=', row.id).execute();
    return openSession(trx, row.id, options.now);
  });
}

/** Opens a session for `staffId` (after a verified sign-in): a random 256-bit token, stored as its SHA-256. */
export async function openSession(
  db: Kysely<Database>,
  staffId: string,
  now: Date,
): Promise<{ token: string; staffId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_HOURS * 3600_000);
  await db
    .insertInto('staff_sessions')
    .values({ token_hash: hashToken(token), staff_id: staffId, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, staffId, expiresAt };
}

/** The staff member of a live session (not expired at `now`, account not disabled), or null. */
export async function staffForSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<StaffMember | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.staff_id')
    .select(['a.id', 'a.email', 'a.display_name', 'a.roles'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', now)
    .where('a.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles } : null;
}

/** Ends a session (sign-out). Unknown tokens are ignored. */
export async function closeSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Staff accounts for the administrator's list, oldest first. */
export async function listStaff(db: Kysely<Database>) {
  return db
    .selectFrom('staff_accounts')
    .select(['id', 'email', 'display_name', 'roles', 'disabled_at', 'created_at'])
    .orderBy('id')
    .execute();
}
