/**
 * The signer's receipt (issue 13): a 16-byte secret made in the signer's browser (src/http/assets/petition-form.js
 * sends it as 32 lowercase hex characters) or, without script, by the server. Only its commitment, SHA-256 of the
 * 16 bytes (src/domain/tlog/entries.ts `receiptCommitment`), enters the agreement's log entry; the secret lets the
 * signer find and prove their own leaf without revealing who they are.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from './errors.js';

/** Length of a receipt secret (bytes). */
export const RECEIPT_SECRET_BYTES = 16;

/**
 * The receipt secret a signer sent, or a fresh random one when they sent none.
 * @param sent 32 hex characters (either case), or undefined/'' (no script ran)
 * @returns the 16 bytes
 * @throws DomainError('invalid_parameter', details { field: 'receipt_secret' }) when something else was sent
 */
export function receiptSecret(sent: string | undefined | null): Buffer {
  if (sent === undefined || sent === null || sent === '') return randomBytes(RECEIPT_SECRET_BYTES);
  if (!/^[0-9a-fA-F]{32}$/.test(sent))
    throw new DomainError('invalid_parameter', '영수증 비밀값은 16진수 32자여야 합니다.', {
      field: 'receipt_secret',
    });
  return Buffer.from(sent, 'hex');
}
