import { DomainError } from './errors.js';

/**
 * Staff roles and who acts. Roles (a set): `moderator` decides on petitions in review, `responder` is the official
 * who answers, `administrator` manages staff and settings (and may do what a moderator does), `desk_officer` works
 * the digital sex crime response desk (victims' cases, takedowns, notices, evidence) — a role apart: no other role
 * sees a victim's case, and a desk officer decides nothing about petitions.
 */
export const STAFF_ROLES = ['moderator', 'responder', 'administrator', 'desk_officer'] as const;

/** One of `STAFF_ROLES`, stored as this exact string in `staff_accounts.roles`. */
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  moderator: '검토자',
  responder: '답변 담당자',
  administrator: '관리자',
  desk_officer: '디지털성범죄 대응 담당자',
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

/**
 * A staff member's display name: the given one trimmed, or the email before @ when none is given.
 * @throws DomainError('invalid_name') when longer than 100 characters or holding NUL
 */
export function staffDisplayName(raw: string | undefined, email: string): string {
  const displayName = (raw ?? '').trim() || email.split('@')[0] || email;
  if (displayName.length > 100 || displayName.includes('\u0000')) {
    throw new DomainError('invalid_name', '이름은 100자까지 쓸 수 있습니다.', { fields: ['display_name'] });
  }
  return displayName;
}

/** Whether a session token from a cookie is shaped like one this system issues (256 bits, base64url). */
export function isSessionTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
