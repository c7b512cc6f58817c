/**
 * The signed-in citizen's session: a cookie `cw_session` = `<person id>.<expiry, Unix seconds>` signed with the
 * deployment's secret, carrying only the pseudonymous person id (`personId` of src/domain/identity.ts), valid
 * `SESSION_HOURS`. Also the signature of the short-lived OpenID Connect login cookie.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'cw_session';
/** Cookie of a login in progress (OpenID Connect state, where to return), on /auth only. */
export const LOGIN_COOKIE = 'cw_login';
/** How long a session lasts (hours). */
export const SESSION_HOURS = 12;

/**
 * Cookie values signed with HMAC-SHA256 (node:crypto, synchronous): `<value>.<base64url mac>`. Hono's signed
 * cookies use WebCrypto, whose per-request key import and async round trip cost more than the whole one-click
 * agreement on a busy server.
 */
export function sign(value: string, secret: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64url')}`;
}

/** The value of a signed cookie, or null when absent or its signature does not verify. */
export function unsign(signed: string | undefined, secret: string): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const expected = Buffer.from(sign(value, secret).slice(dot + 1));
  const given = Buffer.from(signed.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

/** The pseudonymous person id of the signed-in visitor, or null (unsigned, tampered or expired session). */
export function sessionPerson(c: Context, signing: { cookieSecret: string }): string | null {
  const value = unsign(getCookie(c, SESSION_COOKIE), signing.cookieSecret);
  if (!value) return null;
  const [person, exp] = value.split('.');
  if (!person || !/^[0-9a-f]{64}$/.test(person) || !(Number(exp) > Date.now() / 1000)) return null;
  return person;
}

/** The session cookie's value before signing: `<person id>.<expiry, Unix seconds>` (valid 12 hours from `now`). */
export function sessionValue(personId: string, now = new Date()): string {
  return `${personId}.${Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600}`;
}

/**
 * A `Cookie` request header value signing in `personId` directly — for tests and the benchmark, which exercise the
 * one-click path without a browser login. Same format and signature as the login sets.
 */
export function sessionCookieHeader(personId: string, secret: string, now = new Date()): string {
  return `${SESSION_COOKIE}=${sign(sessionValue(personId, now), secret)}`;
}
