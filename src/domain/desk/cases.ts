import { DomainError } from '../errors.js';

/**
 * A victim's case: a case number and a PIN, shown once when the case is made; only an argon2id hash of the PIN is
 * stored. Together they open the status page and let the victim withdraw. No name, no account, no email is needed.
 *
 * Pure: the random bytes are the caller's (`caseNumberFromBytes(randomBytes(CASE_NUMBER_BYTES))`).
 */

/** Crockford's base-32 alphabet (no I, L, O, U: nothing to misread when writing it down). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random bytes behind a case number (12 characters × 5 bits = 60 bits are used). */
export const CASE_NUMBER_BYTES = 12;
/** Random bytes behind a PIN (each byte gives one decimal digit, by rejection of bytes ≥ 250 by the caller). */
export const PIN_DIGITS = 8;

/** The shape of a case number: 'K7Q2-9MXD-3HTB'. */
export const CASE_NUMBER_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A case number from `CASE_NUMBER_BYTES` random bytes: 12 base-32 characters in three groups of four.
 * @throws RangeError when not given exactly `CASE_NUMBER_BYTES` bytes
 */
export function caseNumberFromBytes(bytes: Uint8Array): string {
  if (bytes.byteLength !== CASE_NUMBER_BYTES)
    throw new RangeError(`a case number takes ${CASE_NUMBER_BYTES} bytes`);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}

/**
 * A PIN of `PIN_DIGITS` decimal digits from random bytes: bytes ≥ 250 are skipped (so every digit is equally
 * likely); returns null when `bytes` held too few usable bytes (ask for more).
 */
export function pinFromBytes(bytes: Uint8Array): string | null {
  let pin = '';
  for (const b of bytes) {
    if (b >= 250) continue;
    pin += String(b % 10);
    if (pin.length === PIN_DIGITS) return pin;
  }
  return null;
}

/**
 * A case number as a person typed it: upper-cased, spaces removed, the dashes put back, O → 0 and I/L → 1.
 * @throws DomainError('invalid_parameter') when it is not shaped like a case number
 */
export function normaliseCaseNumber(raw: string): string {
  const compact = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const formatted = `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
  if (!CASE_NUMBER_PATTERN.test(formatted)) {
    throw new DomainError('invalid_parameter', '사건 번호는 XXXX-XXXX-XXXX 모양입니다.', {
      fields: { case_number: 'shaped XXXX-XXXX-XXXX' },
    });
  }
  return formatted;
}

/** Whether `pin` is shaped like a PIN (checked before any hash is verified). */
export function isPinShaped(pin: string): boolean {
  return new RegExp(`^[0-9]{${PIN_DIGITS}}$`).test(pin);
}

/**
 * How a counsellor may reach the victim, as they wrote it (a phone number, an email, a messenger ID): trimmed, at
 * most 200 characters, no control characters; empty means none.
 * @throws DomainError('invalid_parameter') naming the field `contact`
 */
export function parseContact(raw: string | undefined): string | null {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (text.length > 200 || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new DomainError('invalid_parameter', '연락처는 200자 이하로 적어 주십시오.', {
      fields: { contact: 'at most 200 characters, no control characters' },
    });
  }
  return text;
}

/** How many URLs one submission may carry (each becomes a takedown request). */
export const MAX_URLS_PER_SUBMISSION = 50;
/** How many hashes one submission may carry. */
export const MAX_HASHES_PER_SUBMISSION = 500;
