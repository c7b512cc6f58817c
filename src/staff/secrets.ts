import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * Secrets of staff sign-in: TOTP secrets encrypted at rest, session tokens and their CSRF tokens.
 * Keys are derived from the deployment secret (CHEONGWON_SECRET, see `deploymentSecret`) with HKDF-SHA256, one
 * purpose label per key, so the same secret never keys two things.
 */

function key(deploymentSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', deploymentSecret, 'cheongwon', purpose, 32));
}

/**
 * Encrypts `plain` with AES-256-GCM under a key derived from the deployment secret for `purpose` (one label per
 * kind of secret: TOTP secrets, petition log keys, the log's signing key).
 * @returns 'v1.<iv>.<tag>.<ciphertext>' (base64url parts)
 */
export function sealSecret(plain: Uint8Array, deploymentSecret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(deploymentSecret, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * Decrypts what `sealSecret` produced for the same `purpose`.
 * @throws Error when the value was not made with this deployment secret and purpose (or was tampered with)
 */
export function openSecret(stored: string, deploymentSecret: string, purpose: string): Buffer {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined)
    throw new Error('unknown sealed secret format');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key(deploymentSecret, purpose),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
}

/**
 * Encrypts a TOTP secret (base32) with AES-256-GCM (`sealSecret`).
 * @returns 'v1.<iv>.<tag>.<ciphertext>' (base64url parts)
 */
export function encryptTotpSecret(base32: string, deploymentSecret: string): string {
  return sealSecret(Buffer.from(base32, 'utf8'), deploymentSecret, 'staff totp secret');
}

/**
 * Decrypts what `encryptTotpSecret` produced.
 * @throws Error when the value was not made with this deployment secret (or was tampered with)
 */
export function decryptTotpSecret(stored: string, deploymentSecret: string): string {
  return openSecret(stored, deploymentSecret, 'staff totp secret').toString('utf8');
}

/** TOTP parameters of staff accounts: RFC 6238 defaults (SHA-1, 6 digits, 30 s), what authenticator apps expect. */
export const TOTP_PERIOD_SECONDS = 30;

/** The TOTP generator for a staff member's base32 secret (labelled with their email in authenticator apps). */
export function staffTotp(base32: string, email: string): TOTP {
  return new TOTP({
    issuer: 'Cheongwon',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });
}

/** A fresh random TOTP secret (160 bits, base32). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The time step a code is valid for, or null when it is wrong. A code of the previous or next 30-second step is
 * accepted (clock drift); callers refuse a step not later than the last accepted one (replay).
 * @param now the instant of the attempt (UTC)
 */
export function totpStep(totp: TOTP, code: string, now: Date): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** A random initial password: 24 base64url characters (144 bits). */
export function newInitialPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** The per-session CSRF token: HMAC of the session token, so it needs no storage and changes with the session. */
export function csrfTokenFor(sessionToken: string, deploymentSecret: string): string {
  return createHmac('sha256', key(deploymentSecret, 'staff csrf')).update(sessionToken).digest('base64url');
}
