import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of the desk's sensitive values: a victim's counsellor contact and captured evidence content.
 * AES-256-GCM under a key derived from the deployment secret (CHEONGWON_SECRET) with HKDF-SHA256 and a purpose
 * label of its own, so the same secret never keys two things (staff/secrets.ts derives its keys the same way).
 */

export type DeskSecretPurpose = 'desk contact' | 'desk evidence';

function key(deploymentSecret: string, purpose: DeskSecretPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', deploymentSecret, 'cheongwon', purpose, 32));
}

/** Encrypts bytes: iv (12) ‖ tag (16) ‖ ciphertext. */
export function sealBytes(plain: Uint8Array, deploymentSecret: string, purpose: DeskSecretPurpose): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(deploymentSecret, purpose), iv);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

/**
 * Decrypts what `sealBytes` produced.
 * @throws Error when made with another secret or purpose, or tampered with
 */
export function openBytes(sealed: Uint8Array, deploymentSecret: string, purpose: DeskSecretPurpose): Buffer {
  const b = Buffer.from(sealed);
  if (b.length < 28) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key(deploymentSecret, purpose), b.subarray(0, 12));
  decipher.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([decipher.update(b.subarray(28)), decipher.final()]);
}

/** Encrypts text as 'v1.<base64url>'. */
export function sealText(text: string, deploymentSecret: string, purpose: DeskSecretPurpose): string {
  return `v1.${sealBytes(Buffer.from(text, 'utf8'), deploymentSecret, purpose).toString('base64url')}`;
}

/** Decrypts what `sealText` produced. @throws Error on another format, secret or purpose */
export function openText(stored: string, deploymentSecret: string, purpose: DeskSecretPurpose): string {
  if (!stored.startsWith('v1.')) throw new Error('unknown sealed text format');
  return openBytes(Buffer.from(stored.slice(3), 'base64url'), deploymentSecret, purpose).toString('utf8');
}
