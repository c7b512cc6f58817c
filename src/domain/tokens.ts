/**
 * Emailed and linked tokens (agreement confirmation links, petition creation links, the creator's private
 * pre-agreement link, staff sessions): 32 random bytes written base64url (43 characters). Only a token's SHA-256
 * hash is ever stored; a token is checked for its shape before any lookup, so a malformed one is refused without a
 * query.
 *
 * Pure: the random bytes of a new token are the caller's (`tokenFromBytes(randomBytes(TOKEN_BYTES))`).
 */
import { createHash } from 'node:crypto';

/** Random bytes in a token. */
export const TOKEN_BYTES = 32;

/** The shape of a token: 32 bytes, base64url without padding (43 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** SHA-256 hex of a token: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when `token` has the shape of an emailed token (no database lookup). */
export function isTokenShaped(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * The token written from `TOKEN_BYTES` random bytes (base64url).
 * @throws RangeError when not given exactly `TOKEN_BYTES` bytes
 */
export function tokenFromBytes(bytes: Uint8Array): string {
  if (bytes.byteLength !== TOKEN_BYTES) throw new RangeError(`a token takes ${TOKEN_BYTES} random bytes`);
  return Buffer.from(bytes).toString('base64url');
}
