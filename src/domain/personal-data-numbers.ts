/**
 * Check-digit and issuer rules for the numbers the personal-data detector looks for (resident registration
 * numbers, payment cards, IBANs). Pure; shared by the detector and by the evaluation that generates synthetic,
 * valid-looking numbers (never real people's).
 */

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

/**
 * The 13th digit of a 주민등록번호 / 외국인등록번호 from its first 12 digits.
 * Rule (행정안전부, 주민등록법 시행규칙 별표; in force until 2020-10): s = Σ dᵢ·wᵢ with weights 2..9,2..5;
 * citizens (7th digit 1–4) check = (11 − s mod 11) mod 10; foreigners (5–8) check = (13 − s mod 11) mod 10.
 * Since 2020-10 newly assigned numbers carry random last six digits, so their 13th digit need not satisfy this.
 * @param first12 exactly 12 ASCII digits (YYMMDD + gender/century digit + 5 digits)
 * @throws RangeError when `first12` is not 12 digits
 */
export function rrnCheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError('rrnCheckDigit needs exactly 12 digits');
  let s = 0;
  for (let i = 0; i < 12; i++) s += Number(first12[i]) * (RRN_WEIGHTS[i] as number);
  const foreigner = Number(first12[6]) >= 5;
  return ((foreigner ? 13 : 11) - (s % 11)) % 10;
}

/** The century a 주민등록번호's 7th digit (1–8) states: 1,2,5,6 → 1900s; 3,4,7,8 → 2000s; else null. */
export function rrnCentury(genderDigit: number): 1900 | 2000 | null {
  if ([1, 2, 5, 6].includes(genderDigit)) return 1900;
  if ([3, 4, 7, 8].includes(genderDigit)) return 2000;
  return null;
}

/**
 * Whether the first seven digits of a 13-digit number can be a 주민등록번호's front: YYMMDD a real calendar date in
 * the century the 7th digit (1–8) states. Digits 9 and 0 (born 1800s) are not accepted: nobody alive has them.
 * @param digits at least 7 ASCII digits
 */
export function isRrnFront(digits: string): boolean {
  const century = rrnCentury(Number(digits[6]));
  if (century === null) return false;
  const year = century + Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether 13 ASCII digits satisfy the pre-2020 주민등록번호 / 외국인등록번호 check digit (see `rrnCheckDigit`). */
export function rrnCheckDigitValid(digits13: string): boolean {
  return /^\d{13}$/.test(digits13) && rrnCheckDigit(digits13.slice(0, 12)) === Number(digits13[12]);
}

/** The Luhn (ISO/IEC 7812-1 annex B, mod 10) check over a string of ASCII digits; false for non-digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The digit that makes `partial + digit` pass Luhn. @param partial ASCII digits */
export function luhnCheckDigit(partial: string): number {
  for (let d = 0; d < 10; d++) if (luhnValid(`${partial}${d}`)) return d;
  throw new RangeError('luhnCheckDigit needs ASCII digits');
}

export type CardIssuer =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'diners'
  | 'discover'
  | 'jcb'
  | 'unionpay'
  | 'maestro'
  | 'kr_domestic';

/**
 * The card scheme whose issuer identification number (IIN ranges as published by the schemes, ISO/IEC 7812) and
 * length match `digits`, or null. `kr_domestic` is the 9-prefixed 16-digit range of Korean domestic-only cards
 * (BC카드 and bank check cards that run on no international scheme).
 * @param digits the card number, ASCII digits only
 */
export function cardIssuer(digits: string): CardIssuer | null {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (n === 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))) return 'mastercard';
  if (n === 15 && (p2 === 34 || p2 === 37)) return 'amex';
  if (n >= 14 && n <= 19 && ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38)) return 'diners';
  if (n >= 16 && n <= 19 && (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649))) return 'discover';
  if (n >= 16 && n <= 19 && p4 >= 3528 && p4 <= 3589) return 'jcb';
  if (n >= 16 && n <= 19 && p2 === 62) return 'unionpay';
  if (n >= 12 && n <= 19 && (p2 === 50 || (p2 >= 56 && p2 <= 69))) return 'maestro';
  if (n === 16 && digits[0] === '9') return 'kr_domestic';
  return null;
}

/**
 * ISO 13616 IBAN check: move the first four characters to the end, letters → 10..35, the number mod 97 is 1.
 * @param iban upper-case letters and digits, no spaces
 */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : Number(ch);
    rem = Number(`${rem}${v}`) % 97;
  }
  return rem === 1;
}
