/**
 * The personal-data detector: finds personal data in a petition's Korean or English text before a person in
 * moderation sees it (issue 4). Pure and synchronous: no I/O, no clock, no randomness; linear in the text (every
 * pattern is anchored by a look-behind that refuses to start inside a run and uses bounded repetition only, so a
 * 100 KB adversarial text costs about as much as a 100 KB petition).
 *
 * What is flagged, and the decisions behind it (details and measured precision/recall:
 * docs/personal-data-detector.md):
 *  - `rrn` / `foreigner_rrn` (주민등록번호 / 외국인등록번호, 7th digit 1–4 / 5–8): YYMMDD must be a real date in the
 *    century the 7th digit states. A valid pre-2020 check digit (see `rrnCheckDigit`) → 'high'. Numbers assigned
 *    since 2020-10 have random last digits, so a failed check digit is still flagged when the number is written
 *    in the 6-7 form with a dash ('review') or a word like 주민번호 stands near it ('high').
 *  - `phone_mobile` (01x, +82 1x, UK 07…) and `phone_landline` (Korean area codes 02, 031–064, 070 internet
 *    phones and 050x safe numbers; UK 01/02; North American numbers, which do not tell mobile from landline).
 *    Not flagged: business representative numbers (1588-, 1577-, 16xx-, 18xx-xxxx: they belong to companies and
 *    public bodies, and petitions cite them as such), 080 toll-free numbers and short hotlines (112, 1366).
 *    Separators may be spaces, dots, dashes (any Unicode dash, full-width forms, the Hangul vowel ㅡ used as a
 *    dash); digits may be full-width or spelled as 공일공…; a landline without separators needs a word like
 *    전화/연락처/tel nearby.
 *  - `email`, including `name(at)host(dot)com` obfuscations ('review').
 *  - `card`: 12–19 digits passing Luhn with a scheme's issuer prefix and length ('high'); a 4-4-4-4 number next
 *    to 카드/card that fails Luhn ('review').
 *  - `bank_account`: 10–14 digits (grouped as Korean banks print them or bare) with a bank name or 계좌/account
 *    within 25 characters before or 15 after; IBANs by their mod-97 check.
 *  - `address`: 도로명 (…로/…길 + building number, optionally 시/도/구/군/읍/면/동 before, 동/호 after), 지번
 *    (…동/리/가 + 번지 or number-number), apartment 동/호, English street addresses ('review' unless a UK postcode
 *    follows). A bare "…로 12" without an administrative unit, address word or 동/호 is not flagged: 로 is also
 *    the most common Korean particle.
 *  - `vehicle_plate`: 12가3456, 123가4567, 서울12가3456 with the letters plates really use.
 *  - `chat_invite` (t.me/joinchat/…, t.me/+…, telegram.me, open.kakao.com/o/…, discord.gg, chat.whatsapp.com,
 *    line.me group links; a plain t.me/<name> channel link is 'review') and `file_share_link` (mega.nz,
 *    drive.google.com, dropbox, WeTransfer, OneDrive, MediaFire, MYBOX, magnet links…).
 *  - `victim_name`: a private person's name right next to 피해자/희생자/故/victim/survivor — always 'review', for
 *    a person to judge (names of public cases can be public).
 *
 * Spans are UTF-16 indices into the input as given (the text is normalised internally character for character,
 * so indices never shift). Overlapping findings are merged: the most specific kind wins (a link or email over
 * the digits inside it, a resident number or card over a phone-like or account-like reading).
 */

import { createHash } from 'node:crypto';
import { cardIssuer, ibanValid, isRrnFront, luhnValid, rrnCheckDigitValid } from './personal-data-numbers.js';

export const PERSONAL_DATA_KINDS = [
  'rrn',
  'foreigner_rrn',
  'phone_mobile',
  'phone_landline',
  'email',
  'card',
  'bank_account',
  'address',
  'vehicle_plate',
  'chat_invite',
  'file_share_link',
  'victim_name',
] as const;

export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** 'high': mask it unless someone overrides; 'review': a person decides (may be public or not personal). */
export type PersonalDataConfidence = 'high' | 'review';

export interface PersonalDataFlag {
  kind: PersonalDataKind;
  /** UTF-16 index of the first character, into the text given to `detectPersonalData`. */
  start: number;
  /** UTF-16 index one past the last character (end-exclusive). */
  end: number;
  /** `text.slice(start, end)`. */
  text: string;
  /** Suggested replacement, e.g. "900101-*******", "010-****-5678", "[텔레그램 링크 숨김]". */
  mask: string;
  confidence: PersonalDataConfidence;
}

/** Kinds that measure as one: a phone is a phone whether mobile or landline (used by the evaluation). */
export type PersonalDataFamily =
  | 'rrn'
  | 'phone'
  | 'email'
  | 'card'
  | 'bank_account'
  | 'address'
  | 'vehicle_plate'
  | 'link'
  | 'victim_name';

/** The family a kind is counted in: rrn+foreigner_rrn → rrn, phone_* → phone, chat_invite+file_share_link → link. */
export function personalDataFamily(kind: PersonalDataKind): PersonalDataFamily {
  switch (kind) {
    case 'rrn':
    case 'foreigner_rrn':
      return 'rrn';
    case 'phone_mobile':
    case 'phone_landline':
      return 'phone';
    case 'chat_invite':
    case 'file_share_link':
      return 'link';
    default:
      return kind;
  }
}

/** A finding before merging; `rank` orders overlapping findings (higher = more specific). */
interface Candidate {
  kind: PersonalDataKind;
  start: number;
  end: number;
  mask: string;
  confidence: PersonalDataConfidence;
  rank: number;
}

type Lang = 'ko' | 'en';

/**
 * Flags the personal data in a petition text (title or body).
 * @param text any string (Korean, English or mixed; NUL bytes and lone surrogates are harmless)
 * @returns non-overlapping flags sorted by `start`; spans are UTF-16 indices into `text`, end-exclusive
 * @throws TypeError when `text` is not a string
 */
export function detectPersonalData(text: string): PersonalDataFlag[] {
  if (typeof text !== 'string') throw new TypeError('detectPersonalData needs a string');
  if (text.length === 0) return [];
  const norm = normalizeForDetection(text);
  const lang: Lang = /[가-힣]/.test(text) ? 'ko' : 'en';
  const found: Candidate[] = [];
  for (const detect of DETECTORS) detect(norm, lang, found);
  return merge(found, text.length).map((c) => ({
    kind: c.kind,
    start: c.start,
    end: c.end,
    text: text.slice(c.start, c.end),
    mask: c.mask,
    confidence: c.confidence,
  }));
}

/**
 * The text with each flag's span replaced by its `mask`.
 * @param text the text the flags were computed on
 * @param flags flags of that text (any order; e.g. a moderator's selection of `detectPersonalData`'s result)
 * @throws RangeError when a flag lies outside the text, flags overlap, or a flag's `text` is not what stands at
 *   its span (the flags belong to another version of the text — detect again after every edit)
 */
export function applyMasks(text: string, flags: readonly PersonalDataFlag[]): string {
  const sorted = [...flags].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const f of sorted) {
    if (!(Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.end <= text.length))
      throw new RangeError(`flag ${f.kind} [${f.start}, ${f.end}) lies outside the text`);
    if (f.start < at || f.end <= f.start)
      throw new RangeError(`flag ${f.kind} [${f.start}, ${f.end}) overlaps another flag or is empty`);
    if (text.slice(f.start, f.end) !== f.text)
      throw new RangeError(`flag ${f.kind} [${f.start}, ${f.end}) does not match the text (was it edited?)`);
    out += text.slice(at, f.start) + f.mask;
    at = f.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation (one UTF-16 unit in, one out, so spans need no mapping)

const NEEDS_NORMALIZING =
  /[\uff01-\uff5e\u3000\u00a0\u2000-\u200a\u2010-\u2015\u2212\ufe58\ufe63\u3161\u00b7공영]/;
const HANGUL_DIGIT: Record<string, string> = {
  공: '0',
  영: '0',
  일: '1',
  이: '2',
  삼: '3',
  사: '4',
  오: '5',
  육: '6',
  륙: '6',
  칠: '7',
  팔: '8',
  구: '9',
};
/** A phone number spelled (partly) in Hangul digit words: 공일공 일이삼사 오육칠팔, 공일공-1234-5678. */
const SPELLED_PHONE = /[0공영](?:[ \t.-]{0,2}[0-9공영일이삼사오육륙칠팔구]){8,12}/g;

const SPELLED_PAIR = /[공영일이삼사오육륙칠팔구][ .-]?[공영일이삼사오육륙칠팔구]/;
const IS_SPELLED = /[공영일이삼사오육륙칠팔구]/;

/** Whether run[i] is a Hangul digit word next to another one (separators between them allowed). */
function isSpelledDigit(run: string, i: number): boolean {
  if (!IS_SPELLED.test(run[i] as string)) return false;
  const neighbour = (step: number) => {
    let j = i + step;
    if (/[ .-]/.test(run[j] ?? '')) j += step;
    return IS_SPELLED.test(run[j] ?? '');
  };
  return neighbour(-1) || neighbour(1);
}

/**
 * Maps full-width ASCII to ASCII, Unicode dashes and the Hangul vowel ㅡ (used as a dash) to '-', special spaces to
 * ' ', the middle dot to '.', and Hangul digit words inside phone-shaped runs (공일공…) to digits. Same length.
 */
function normalizeForDetection(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
  const chars = Array.from({ length: text.length }, (_, i) => {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
    if (c === 0x3000 || c === 0x00a0 || (c >= 0x2000 && c <= 0x200a)) return ' ';
    if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe58 || c === 0xfe63 || c === 0x3161)
      return '-';
    if (c === 0x00b7) return '.';
    return text[i] as string;
  });
  const partly = chars.join('');
  if (!/[공영]/.test(partly)) return partly;
  for (const m of partly.matchAll(SPELLED_PHONE)) {
    // Digit words count only in runs of two or more (공일공, 일이삼사): a lone 이 after "…7336" is a particle.
    if (!SPELLED_PAIR.test(m[0])) continue;
    // Keep the longest prefix that reads as a Korean mobile number (10–11 digits, 01x).
    let digits = '';
    let cut = -1;
    for (let i = 0; i < m[0].length; i++) {
      const ch = m[0][i] as string;
      const d = isSpelledDigit(m[0], i) ? (HANGUL_DIGIT[ch] as string) : /[0-9]/.test(ch) ? ch : null;
      if (d === null) continue;
      digits += d;
      if ((digits.length === 10 || digits.length === 11) && /^01[016789]/.test(digits)) cut = i + 1;
    }
    if (cut < 0) continue;
    for (let i = 0; i < cut; i++) {
      const ch = m[0][i] as string;
      if (isSpelledDigit(m[0], i)) chars[(m.index as number) + i] = HANGUL_DIGIT[ch] as string;
    }
  }
  return chars.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

type Detector = (norm: string, lang: Lang, out: Candidate[]) => void;

function digitsOf(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** Replaces every digit except the first `keepFirst` and last `keepLast` with '*', keeping separators. */
function maskDigits(s: string, keepFirst: number, keepLast: number): string {
  const total = digitsOf(s).length;
  let seen = 0;
  let out = '';
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') {
      seen++;
      out += seen <= keepFirst || seen > total - keepLast ? ch : '*';
    } else out += ch;
  }
  return out;
}

/** Whether `re` matches within `before` characters before `start` or `after` characters after `end`. */
function near(norm: string, start: number, end: number, re: RegExp, before: number, after: number): boolean {
  return re.test(norm.slice(Math.max(0, start - before), start)) || re.test(norm.slice(end, end + after));
}

function push(
  out: Candidate[],
  kind: PersonalDataKind,
  start: number,
  end: number,
  mask: string,
  confidence: PersonalDataConfidence,
  rank: number,
): void {
  out.push({ kind, start, end, mask, confidence, rank });
}

/** Specificity order for overlapping findings. */
const RANK = {
  link: 100,
  email: 90,
  rrn: 80,
  card: 70,
  phoneKr: 60,
  bank: 50,
  phoneForeign: 45,
  plate: 40,
  address: 30,
  victim: 20,
} as const;

/** Keeps the most specific of overlapping findings (rank, then length); linear in the covered characters. */
function merge(found: Candidate[], length: number): Candidate[] {
  const byPriority = [...found].sort(
    (a, b) => b.rank - a.rank || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken = new Uint8Array(length);
  const kept: Candidate[] = [];
  for (const c of byPriority) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Not inside a longer number: no digit, and no "digit-" (e.g. the tail of an account 4549-02-123-8147). */
const NUM_START = '(?<![0-9])(?<![0-9][-.])';
/** Not followed by a digit or by another "-digit" group. */
const NUM_END = '(?![0-9]|[-.][0-9])';

// Separators between digit groups: optional space, optional dot/dash, optional space ("010 - 1234 - 5678").
const SEP = '[ \\t]?[.\\-]?[ \\t]?';

// ---------------------------------------------------------------------------------------------------------------
// Resident registration numbers

const RRN = new RegExp(`${NUM_START}(\\d{6})(${SEP})([1-8]\\d{6})${NUM_END}`, 'g');
const RRN_WORDS =
  /주민|등록\s?번호|생년월일|RRN|resident(?: registration)? (?:number|no)|registration (?:number|no)|national id|id number|외국인\s?등록|alien registration/i;

const detectRrn: Detector = (norm, _lang, out) => {
  for (const m of norm.matchAll(RRN)) {
    const [, front = '', sep = '', back = ''] = m;
    const digits = front + back;
    if (!isRrnFront(digits)) continue;
    const start = m.index as number;
    const end = start + m[0].length;
    const valid = rrnCheckDigitValid(digits);
    const keyword = near(norm, start, end, RRN_WORDS, 20, 5);
    // Written as two groups (6-7 with a dash, or one space), a number is meant as a 주민등록번호 even when its check
    // digit fails (numbers assigned since 2020-10 have random last digits); a bare 13-digit run is not.
    const grouped = sep.includes('-') || sep === ' ';
    if (!valid && !keyword && !grouped) continue;
    const kind = Number(back[0]) >= 5 ? 'foreigner_rrn' : 'rrn';
    push(out, kind, start, end, `${front}-*******`, valid || keyword ? 'high' : 'review', RANK.rrn);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers

const INTL_KR = '(?:\\+|00)[ \\t]?82[ \\t.\\-]?(?:\\(0\\)[ \\t]?)?0?';
const MOBILE_KR = new RegExp(
  `${NUM_START}(?:(${INTL_KR})|\\(?0)(1[016789])\\)?${SEP}(\\d{3,4})${SEP}(\\d{4})${NUM_END}`,
  'g',
);
const AREA_KR = '2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8]';
const LANDLINE_KR = new RegExp(
  `${NUM_START}(?:(${INTL_KR})|\\(?0)(${AREA_KR})\\)?${SEP}(\\d{3,4})${SEP}(\\d{4})${NUM_END}`,
  'g',
);
const PHONE_WORDS = /전화|연락|번호|핸드폰|휴대폰|폰|문자|카톡|tel|phone|call|mobile|contact|☎|📞/i;

const detectKoreanPhones: Detector = (norm, _lang, out) => {
  for (const [re, kind] of [
    [MOBILE_KR, 'phone_mobile'],
    [LANDLINE_KR, 'phone_landline'],
  ] as const) {
    for (const m of norm.matchAll(re)) {
      const [all, intl, code = '', mid = '', last = ''] = m;
      // "(031-552-8841)": an opening parenthesis not closed after the area code belongs to the sentence, and
      // masking it away would leave the closing one alone in the text the public sees.
      const open = all[0] === '(' && !/^\(0\d{1,3}\)/.test(all) ? 1 : 0;
      const start = (m.index as number) + open;
      const end = (m.index as number) + all.length;
      const separated = /[^0-9]/.test(all);
      // "My phone number is 0312345678": 25 characters reach an English cue before it.
      if (kind === 'phone_landline' && !separated && !near(norm, start, end, PHONE_WORDS, 25, 0)) continue;
      const prefix = intl ? `+82 ${code}` : `0${code}`;
      push(out, kind, start, end, `${prefix}-${'*'.repeat(mid.length)}-${last}`, 'high', RANK.phoneKr);
    }
  }
};

const INTL_UK = '(?:\\+|00)[ \\t]?44[ \\t]?(?:\\(0\\)[ \\t]?)?';
const MOBILE_UK = new RegExp(`${NUM_START}(?:${INTL_UK}|0)7\\d{3}[ \\t]?\\d{3}[ \\t]?\\d{3}${NUM_END}`, 'g');
const LANDLINE_UK = new RegExp(
  `${NUM_START}(?:${INTL_UK}|0)(?:2\\d[ \\t]?\\d{4}[ \\t]?\\d{4}|1\\d{3}[ \\t]?\\d{5,6}|1\\d{2}[ \\t]?\\d{3}[ \\t]?\\d{4})${NUM_END}`,
  'g',
);
// North American numbers: the area code must be set apart (parentheses or a separator) — bare 10-digit runs are
// too often something else.
const NANP = new RegExp(
  `${NUM_START}(?:(?:\\+|00)?1[ \\t.-]?)?(?:\\([2-9]\\d{2}\\)[ \\t]?|[2-9]\\d{2}[ \\t.-])\\d{3}[ \\t.-]\\d{4}${NUM_END}`,
  'g',
);

const detectForeignPhones: Detector = (norm, _lang, out) => {
  for (const [re, kind] of [
    [MOBILE_UK, 'phone_mobile'],
    [LANDLINE_UK, 'phone_landline'],
    [NANP, 'phone_landline'],
  ] as const) {
    for (const m of norm.matchAll(re)) {
      const start = m.index as number;
      const country = /^(?:\+|00)\d{1,2}/.exec(m[0])?.[0] ?? '';
      const mask = country + maskDigits(m[0].slice(country.length), 0, 4);
      push(out, kind, start, start + m[0].length, mask, 'high', RANK.phoneForeign);
    }
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Email

const EMAIL = new RegExp(
  [
    '(?<![A-Za-z0-9._%+\\-])',
    '[A-Za-z0-9][A-Za-z0-9._%+\\-]{0,63}',
    '([ \\t]?@[ \\t]?|[ \\t]?[\\[(]at[\\])][ \\t]?)',
    '(?:[A-Za-z0-9][A-Za-z0-9\\-]{0,62}(?:\\.|[ \\t]?[\\[(]dot[\\])][ \\t]?)){1,8}',
    '[A-Za-z]{2,24}(?![A-Za-z0-9\\-@])',
  ].join(''),
  'g',
);

const detectEmail: Detector = (norm, _lang, out) => {
  for (const m of norm.matchAll(EMAIL)) {
    const start = m.index as number;
    const at = m[1] as string;
    const obfuscated = !at.includes('@');
    // "… at … dot …" in plain English prose is rarely an address; only the bracketed forms count.
    const local = m[0].slice(0, m[0].indexOf(at));
    const domain = m[0].slice(m[0].indexOf(at) + at.length);
    const mask = `${local[0]}***@${domain.replace(/[ \t]?[[(]dot[\])][ \t]?/g, '.')}`;
    push(out, 'email', start, start + m[0].length, mask, obfuscated ? 'review' : 'high', RANK.email);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Payment cards and bank accounts

const CARD = new RegExp(
  `${NUM_START}(?:\\d{4}(${SEP})\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?|\\d{4}(${SEP})\\d{6}\\2\\d{4,5}|\\d{12,19})${NUM_END}`,
  'g',
);
const CARD_WORDS = /카드|card|visa|master|결제/i;

const detectCard: Detector = (norm, _lang, out) => {
  for (const m of norm.matchAll(CARD)) {
    const start = m.index as number;
    let span = m[0];
    let digits = digitsOf(span);
    // A 4-4-4-4 number followed by a separated short group (e.g. a count): try it without the extra group.
    if (!(luhnValid(digits) && cardIssuer(digits)) && m[1] && digits.length > 16) {
      span = span.slice(0, span.lastIndexOf(m[1]));
      digits = digitsOf(span);
    }
    const end = start + span.length;
    // An account number next to a bank name can pass Luhn by chance (1 in 10): a bank word without a card word
    // near a number not grouped like a card leaves it to the bank-account reading.
    const grouped = /^\d{4}\D+\d{4,6}\D+\d{4,6}/.test(span);
    if (!grouped && near(norm, start, end, BANK_WORDS, 25, 15) && !near(norm, start, end, CARD_WORDS, 20, 10))
      continue;
    if (luhnValid(digits) && cardIssuer(digits) !== null) {
      push(out, 'card', start, end, maskDigits(span, 0, 4), 'high', RANK.card);
    } else if (digits.length === 16 && /\D/.test(span) && near(norm, start, end, CARD_WORDS, 20, 0)) {
      push(out, 'card', start, end, maskDigits(span, 0, 4), 'review', RANK.card);
    }
  }
};

const ACCOUNT = /(?<![0-9-])(?:\d{2,7}(?:[ \t]?-[ \t]?\d{1,8}){1,4}|\d{10,14})(?![0-9]|-\d)/g;
const BANK_WORDS =
  /은행|뱅크|카뱅|농협|신협|수협|우체국|새마을금고|계좌|예금주|입금|송금|이체|후원금|bank|account|acct|sort code/i;
const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]{4}){2,7}(?:[ \t]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;

const detectBankAccount: Detector = (norm, _lang, out) => {
  for (const m of norm.matchAll(ACCOUNT)) {
    const digits = digitsOf(m[0]);
    if (digits.length < 10 || digits.length > 14) continue;
    const start = m.index as number;
    const end = start + m[0].length;
    if (!near(norm, start, end, BANK_WORDS, 25, 15)) continue;
    push(out, 'bank_account', start, end, maskDigits(m[0], 0, 4), 'high', RANK.bank);
  }
  for (const m of norm.matchAll(IBAN)) {
    const compact = m[0].replace(/[ \t]/g, '');
    if (!ibanValid(compact)) continue;
    const start = m.index as number;
    push(
      out,
      'bank_account',
      start,
      start + m[0].length,
      `${m[0].slice(0, 2)}** **** ${compact.slice(-4)}`,
      'high',
      RANK.bank,
    );
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Vehicle plates

const PLATE_LETTERS = '가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호';
const REGION = '서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주';
const PLATE = new RegExp(
  `(?<![0-9])((?:${REGION})[ \\t]?)?(\\d{2,3})[ \\t]?([${PLATE_LETTERS}])[ \\t]?(\\d{4})(?![0-9])`,
  'g',
);
/** Units that make "13조 5000억" money or a count rather than a plate — when they stand as units (see `unitAfter`). */
const UNITS = /[억만천원명건개년배회%평층분초일월주살세점장권척톤여석위등]/;
const UNIT_WORDS = /^(?:km|kg|m(?![A-Za-z])|달러|시간|개월)/;
/** What may follow a unit glued to its number: a particle (명이, 명의, 억에), 중/여/간/당 (1000명중), 년대, 년차, 짜리. */
const AFTER_GLUED_UNIT = /^(?:[이가을를의에은는도과와로으씩째쯤까부당간중여]|대|차|짜리)/;

/**
 * Whether the text after a plate-shaped match starts with a unit that makes the match an amount or a count:
 * "13조 5000억원", "11조 7000 억 원", "0.14로 1000명중". A word that merely starts with a unit syllable is not a
 * unit: "12가3456 주인이", "주차", "일대", "여성", "명의로", "천천히" — the plate stands. A unit is a syllable from
 * `UNITS` followed by no Hangul, by money continuing (억원, 천만, 만원), or — glued to the number — by a particle.
 */
function unitAfter(after: string): boolean {
  const spaced = after[0] === ' ' || after[0] === '\t';
  const s = spaced ? after.slice(1) : after;
  if (UNIT_WORDS.test(s)) return true;
  const unit = s[0] ?? '';
  if (!UNITS.test(unit)) return false;
  const next = s.slice(1);
  if (!/^[가-힣]/.test(next)) return true;
  const money = { 억: /^[원만천]/, 만: /^원/, 천: /^[만억원]/ }[unit];
  if (money?.test(next)) return true;
  if (spaced) return false;
  if (/^대/.test(next)) return unit === '년';
  if (/^차/.test(next)) return unit === '년' || unit === '회';
  return AFTER_GLUED_UNIT.test(next);
}

const COURT_WORDS = /선고|대법원|판결|판례|사건번호|헌재|헌법재판소/;

const detectPlate: Detector = (norm, _lang, out) => {
  for (const m of norm.matchAll(PLATE)) {
    const start = m.index as number;
    const end = start + m[0].length;
    if (unitAfter(norm.slice(end, end + 4))) continue;
    // Court case numbers look like plates: 대법원 1997.4.11. 선고 96도1234 판결.
    if (near(norm, start, end, COURT_WORDS, 20, 4)) continue;
    const [, region = '', num = '', letter = ''] = m;
    push(out, 'vehicle_plate', start, end, `${region}${num}${letter}****`, 'high', RANK.plate);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Addresses

const SIDO =
  '(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청북|충청남|충북|충남|전라북|전라남|전북|전남|경상북|경상남|경북|경남|제주)(?:특별시|광역시|특별자치시|특별자치도|시|도)?';
/** 시/군/구 names: two or more syllables before the suffix (수원시, 양평군, 강남구), or Seoul's 중구/동구/서구/남구/북구
 *  — so that words such as 다시, 역시, 당시 never read as a city. */
const SIGUNGU =
  '(?:(?!다시|역시|당시|동시|즉시|잠시|혹시|항시|수시|임시|상시|일시|도시)[가-힣]{2,5}(?:시|군|구)|[중동서남북]구)';
const ADMIN = `(?:(?:${SIDO})[ \\t]+)?(?:${SIGUNGU}[ \\t]+){0,2}(?:[가-힣]{1,5}[0-9]?(?:읍|면|동)[ \\t]+)?`;
const DETAIL = '(?:[ \\t]?,?[ \\t]?\\d{1,4}동)?(?:[ \\t]?\\d{1,5}호)?';
const ROAD = new RegExp(
  `(?<![가-힣0-9])(${ADMIN})([가-힣A-Za-z0-9]{1,10}?(?:대로|로|길))[ \\t]?(\\d{1,4}(?:번?길|가길)[ \\t]?)?(\\d{1,4}(?:-\\d{1,4})?)(${DETAIL})(?![0-9])`,
  'g',
);
const JIBUN = new RegExp(
  `(?<![가-힣0-9])(${ADMIN.replace('(?:읍|면|동)', '(?:읍|면)')})([가-힣]{1,6}[0-9]{0,2}(?:동|리)|[가-힣]{1,6}[0-9]{1,2}가)[ \\t]?(\\d{1,4}(?:-\\d{1,4})?)([ \\t]?번지)?(${DETAIL})(?![0-9])`,
  'g',
);
const APARTMENT =
  /(?<![가-힣A-Za-z])[가-힣A-Za-z0-9]{1,12}(?:아파트|빌라|맨션|오피스텔|타운|하이츠|빌리지)[ \t]?\d{1,4}동[ \t]?\d{1,5}호/g;
/** A flat's 동/호 on its own ("푸르지오 112동 1501호", brand names without 아파트): two to four digits of 동,
 *  three or four of 호 — narrower than the numbers of a 행정동 office (1동) or a room in a public building. */
const FLAT_UNIT = /(?<![0-9])\d{2,4}동[ \t]?\d{3,4}호/g;
const ADDRESS_WORDS = /주소|거주|살고|사는|자택|집은|집이|위치|소재|이사|address|lives? at/i;
/** What may follow an address's number: the end, punctuation, or a word (not a unit such as 년, 명, 개월). */
const ADDRESS_END = /^(?:$|[ \t\n,.)(\]!?~·"'”’]|에[서는]?|으?로|의|이[며고]?|입니다|이다|번지)/;
const PARTICLE_ROAD = /(?:으로|에로|하로|부로|저로|대로는)$/;

const detectAddress: Detector = (norm, lang, out) => {
  for (const m of norm.matchAll(ROAD)) {
    const [all, admin = '', road = '', , num = '', detail = ''] = m;
    const start = (m.index as number) + (all.length - all.trimStart().length);
    const end = (m.index as number) + all.length;
    if (!ADDRESS_END.test(norm.slice(end, end + 3))) continue;
    if (PARTICLE_ROAD.test(road) && admin === '') continue;
    const strong = admin.trim() !== '' || detail !== '' || num.includes('-') || /번?길/.test(m[3] ?? '');
    const context = near(norm, start, end, ADDRESS_WORDS, 20, 10);
    if (!strong && !context) continue;
    if (!strong && !/(?:대로|길)$/.test(road) && road.length < 2) continue;
    push(out, 'address', start, end, addressMask(admin, lang), strong ? 'high' : 'review', RANK.address);
  }
  for (const m of norm.matchAll(JIBUN)) {
    const [all, admin = '', , num = '', bunji = '', detail = ''] = m;
    const start = m.index as number;
    const end = start + all.length;
    if (!ADDRESS_END.test(norm.slice(end, end + 3)) && !bunji) continue;
    const strong = bunji !== '' || (admin.trim() !== '' && (num.includes('-') || detail !== ''));
    if (!strong && !(num.includes('-') && near(norm, start, end, ADDRESS_WORDS, 20, 10))) continue;
    push(out, 'address', start, end, addressMask(admin, lang), strong ? 'high' : 'review', RANK.address);
  }
  for (const re of [APARTMENT, FLAT_UNIT]) {
    for (const m of norm.matchAll(re)) {
      const start = m.index as number;
      push(out, 'address', start, start + m[0].length, addressMask('', lang), 'high', RANK.address);
    }
  }
  detectEnglishAddress(norm, lang, out);
};

function addressMask(admin: string, lang: Lang): string {
  const hidden = lang === 'ko' ? '[주소 숨김]' : '[address hidden]';
  // Keep 시/도/구/군 (not personal), drop 읍/면/동 (narrows to a neighbourhood).
  const keep = admin
    .trim()
    .split(/[ \t]+/)
    .filter((w) => w !== '' && !/(?:읍|면|동)$/.test(w));
  return keep.length > 0 ? `${keep.join(' ')} ${hidden}` : hidden;
}

const STREET_TYPES =
  'Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Court|Ct|Way|Place|Pl|Boulevard|Blvd|Terrace|Gardens|Grove|Square|Row|Mews';
const UK_POSTCODE = '[A-Z]{1,2}\\d[A-Z\\d]?[ \\t]?\\d[A-Z]{2}';
const STREET = new RegExp(
  `(?<![A-Za-z0-9])\\d{1,5}[A-Za-z]?,?[ \\t]+(?:[A-Z][a-z]+[ \\t]+){1,3}(?:${STREET_TYPES})\\b\\.?(?:,?[ \\t]+[A-Z][a-z]+){0,2}(,?[ \\t]+${UK_POSTCODE})?(?![A-Za-z0-9])`,
  'g',
);
/** Addresses of public offices, which petitions name as such. */
const PUBLIC_ADDRESS = /^(?:10,? Downing Street|1600 Pennsylvania Ave|11,? Downing Street)/i;

function detectEnglishAddress(norm: string, lang: Lang, out: Candidate[]): void {
  for (const m of norm.matchAll(STREET)) {
    if (PUBLIC_ADDRESS.test(m[0])) continue;
    const start = m.index as number;
    push(
      out,
      'address',
      start,
      start + m[0].length,
      addressMask('', lang),
      m[1] ? 'high' : 'review',
      RANK.address,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Chat invites and file-sharing links

const LINK_HOSTS = [
  't\\.me',
  'telegram\\.(?:me|dog)',
  'open\\.kakao\\.com',
  'discord(?:app)?\\.(?:gg|com)',
  'chat\\.whatsapp\\.com',
  'wa\\.me',
  'line\\.me',
  'signal\\.group',
  'mega(?:\\.co)?\\.nz',
  'drive\\.google\\.com',
  'docs\\.google\\.com',
  '(?:dl\\.)?dropbox(?:usercontent)?\\.com',
  'db\\.tt',
  'we\\.tl',
  'wetransfer\\.com',
  '1drv\\.ms',
  'onedrive\\.live\\.com',
  'mediafire\\.com',
  'mybox\\.naver\\.com',
  'gofile\\.io',
  'pixeldrain\\.com',
  'sendspace\\.com',
  '4shared\\.com',
  'anonfiles\\.com',
  'app\\.box\\.com',
  'icloud\\.com',
].join('|');
const LINK = new RegExp(
  `(?<![A-Za-z0-9.@/\\-])(?:https?://)?(?:www\\.)?(${LINK_HOSTS})(/[A-Za-z0-9\\-._~%!$&'*+,;=:@/?#]{1,500})`,
  'gi',
);
/** Telegram's own deep links, which open a chat in the app: tg://join?invite=…, tg://resolve?domain=…, … */
const TG_LINK =
  /(?<![A-Za-z0-9])tg:\/\/(?:join|resolve|privatepost|openmessage|msg_url|addlist|t\.me)\?[A-Za-z0-9\-._~%!$&'*+,;=:@/?#]{3,500}/gi;
const MAGNET = /magnet:\?xt=urn:[a-z0-9]{1,20}:[A-Za-z0-9]{16,64}[A-Za-z0-9\-._~%!$&'*+,;=:@/?#]{0,500}/gi;

interface LinkKind {
  kind: 'chat_invite' | 'file_share_link';
  confidence: PersonalDataConfidence;
  ko: string;
  en: string;
}

/** What a link to `host` with `path` is, or null when it is not a private invite or shared file. */
function classifyLink(host: string, path: string): LinkKind | null {
  const h = host.toLowerCase();
  const chat = (ko: string, en: string, confidence: PersonalDataConfidence = 'high'): LinkKind => ({
    kind: 'chat_invite',
    confidence,
    ko,
    en,
  });
  const file = (confidence: PersonalDataConfidence = 'high'): LinkKind => ({
    kind: 'file_share_link',
    confidence,
    ko: '[파일 공유 링크 숨김]',
    en: '[file-sharing link hidden]',
  });
  if (h === 't.me' || h.startsWith('telegram.')) {
    // Private invites and named rooms alike: the Room-N rooms spread by links like these, and a petition read by
    // millions must not advertise one. A moderator may still clear a public body's channel.
    if (
      /^\/(?:joinchat\/|\+|addlist\/)[A-Za-z0-9_-]{5,}/.test(path) ||
      /^\/(?:s\/)?[A-Za-z][A-Za-z0-9_]{3,}/.test(path)
    )
      return chat('[텔레그램 링크 숨김]', '[Telegram link hidden]');
    return null;
  }
  if (h === 'open.kakao.com')
    return /^\/(?:o|me)\/[A-Za-z0-9]{4,}/.test(path)
      ? chat('[오픈채팅 링크 숨김]', '[KakaoTalk chat link hidden]')
      : null;
  if (h.startsWith('discord'))
    return h.endsWith('.gg') || /^\/invite\//.test(path)
      ? chat('[디스코드 초대 링크 숨김]', '[Discord invite hidden]')
      : null;
  if (h === 'chat.whatsapp.com' || h === 'wa.me' || h === 'signal.group')
    return chat('[채팅방 링크 숨김]', '[chat invite hidden]');
  if (h === 'line.me')
    return /^\/(?:R\/)?ti\/g/i.test(path) ? chat('[채팅방 링크 숨김]', '[chat invite hidden]') : null;
  if (h === 'docs.google.com') return file('review');
  if (h.includes('dropbox')) return /^\/(?:s|sh|scl|t)\//.test(path) || h.startsWith('dl.') ? file() : null;
  if (h === 'icloud.com') return /^\/(?:iclouddrive|photos|attachment)/.test(path) ? file() : null;
  if (h === 'mediafire.com') return /^\/(?:file|folder|view|\?)/.test(path) ? file() : null;
  return file();
}

const detectLinks: Detector = (norm, lang, out) => {
  for (const m of norm.matchAll(LINK)) {
    const [all, host = ''] = m;
    const trimmed = all.replace(/[.,;:!?'*]+$/, '');
    const path = trimmed.slice(trimmed.toLowerCase().indexOf(host.toLowerCase()) + host.length);
    const k = classifyLink(host, path);
    if (k === null) continue;
    const start = m.index as number;
    push(out, k.kind, start, start + trimmed.length, lang === 'ko' ? k.ko : k.en, k.confidence, RANK.link);
  }
  for (const m of norm.matchAll(TG_LINK)) {
    const trimmed = m[0].replace(/[.,;:!?'*]+$/, '');
    const start = m.index as number;
    const mask = lang === 'ko' ? '[텔레그램 링크 숨김]' : '[Telegram link hidden]';
    push(out, 'chat_invite', start, start + trimmed.length, mask, 'high', RANK.link);
  }
  for (const m of norm.matchAll(MAGNET)) {
    const start = m.index as number;
    const mask = lang === 'ko' ? '[파일 공유 링크 숨김]' : '[file-sharing link hidden]';
    push(out, 'file_share_link', start, start + m[0].length, mask, 'high', RANK.link);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Names of victims

const SURNAMES =
  '김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉';
/**
 * Kinship words, which follow 피해자 as often as names do and many of which start with a surname syllable (모 =
 * mother, 이모, 고모, 조카, 손자, 남동생, 장남, 신랑, …): never a name themselves, and they may stand between 피해자
 * and a relative's name ("피해자 모 김영희 씨", "피해자 어머니 이정숙 씨"), which identifies the victim as well.
 */
const KINSHIP =
  '모친|부친|모녀|부녀|모자|부자|부모님|부모|조부모|어머니|아버지|엄마|아빠|할머니|할아버지|외할머니|외할아버지|' +
  '남편|아내|부인|배우자|신랑|신부|약혼자|남자친구|여자친구|애인|아들|딸|장남|장녀|차남|차녀|막내|형제|자매|남매|' +
  '오빠|언니|누나|형|남동생|여동생|동생|이모부|이모|고모부|고모|삼촌|외삼촌|숙모|숙부|백부|백모|조모|조부|외조모|외조부|' +
  '조카|손자|손녀|외손자|외손녀|사촌|며느리|사위|장인|장모|시어머니|시아버지|올케|형부|제부|처제|처남|매형|매제|' +
  '모|부|외할머니';
const KINSHIP_WORD = new RegExp(`^(?:${KINSHIP})(?:[은는이가을를의도와과께에]|에게|한테|까지|마저|조차)?$`);
const VICTIM_BEFORE = new RegExp(
  `(?:피해자|희생자|피해[ \\t]?(?:아동|학생|여성|어린이|아이|자분)|숨진|사망한|(?<![가-힣])고인|故|고\\(故\\)|(?<![가-힣0-9])고(?=[ \\t]))(?:의?[ \\t]*(?:${KINSHIP})(?:인|이신)?[ \\t]+|[ \\t]+|인[ \\t]+|이신[ \\t]+|였던[ \\t]+|이었던[ \\t]+|분인[ \\t]+|[ \\t]*[,:(][ \\t]*|(?<=故))(?:이름은[ \\t]?)?([${SURNAMES}][가-힣]{1,2})(?=([ \\t]?(?:씨|양|군|님|학생|어린이|아동)(?:[은는이가의을를도께]|께서)?)?(?:[ \\t\\n,.)(]|$))`,
  'g',
);
const PUBLIC_TITLE =
  /^[ \t]?(?:전[ \t]?|前[ \t]?)?(?:[가-힣]{0,5}(?:시장|도지사))|^[ \t]?(?:전[ \t]?|前[ \t]?)?(?:대통령|국무총리|총리|장관|국회의원|의원|군수|구청장|대법원장|국회의장|검찰총장|장군)/;
const VICTIM_AFTER = new RegExp(
  `(?<![가-힣])([${SURNAMES}][가-힣]{1,2})[ \\t]?(?:(?:씨|양|군|님)[ \\t]?(?:\\(\\d{1,3}(?:세|살)?\\))?|\\(\\d{1,3}(?:세|살)?\\))[ \\t]?(?:피해자|희생자|사건의 피해자)`,
  'g',
);
/** Words that follow 피해자 and start with a surname syllable but are not names (seen in the real archive). */
const NOT_NAMES = new Set(
  (
    '가족 가족들 가족의 가족이 가족은 가족을 보호 고통 부모 부모님 신상 신상을 신상이 신원 신분 이름 이름을 이름이 진술 ' +
    '인권 지원 명예 유족 유족들 유가족 조사 정보 한명 한명이 모두 모두가 전원 구제 심리 권리 보상 배상 중심 측 측은 ' +
    '어머니 아버지 남편 아내 아들 아들이 딸 동생 언니 오빠 누나 친구 친구들 나이 연령 주소 사진 얼굴 개인 이야기 입장 ' +
    '편 상태 상황 사망 사건 문제 대부분 다수 진단 치료 변호 변호인 대리인 국민 여성 남성 아동 학생 어린이 부부 가정 ' +
    '신고 고소 고발 주장 증언 진정 요구 요청 청원 호소 등 및 또한 역시 모친 부친 지인 이웃 동료 선생님 교사 영상 한분 ' +
    '분들 분들이 분들의 분들은 이외 이전 이후 이미 이제 이번 이들 이들이 이들은 이를 이는 이와 유형 정도 정신 정신적 ' +
    '조차 중에 중에는 중 수가 수는 수도 전체 전부 권익 인적 인격 신체 신체적 성별 연락 연락처 진료 주변 주위 주민 ' +
    '차량 차별 명단 명의 명이 명은 구조 구호 보상금 고인의 고인을 고인이 최소 최대 최초 최근 한사람 안전 안정 안위 ' +
    '우선 우리 오히려 오직 역시도 심정 심경 장례 장례식 전화 조치 조롱 조작 진실 진술서 지인들 지위 장애 장애인 ' +
    '공개 공간 방어 방치 배려 백명 설명 성폭행 성범죄 손해 송치 양측 양쪽 원한 위로 유무 육아 인정 인원 입원 정보를 ' +
    '정상 정서 정체 주거 주거지 진상 차후 채무 추가 추모 피해 홍보 황당 회복 가해자 모든 모습 모욕 목숨 목소리 ' +
    '장난감 위주 최대한 이백명 모임 모임은 소비자 고령자 민원'
  ).split(' '),
);

const detectVictimNames: Detector = (norm, lang, out) => {
  const seen = new Set<number>();
  for (const re of [VICTIM_BEFORE, VICTIM_AFTER]) {
    for (const m of norm.matchAll(re)) {
      const name = m[1] as string;
      const start = (m.index as number) + m[0].indexOf(name);
      if (seen.has(start) || NOT_NAMES.has(name) || KINSHIP_WORD.test(name)) continue;
      // 고 (故 in Hangul) is also a word ending and a common syllable: only with an honorific after the name.
      if (re === VICTIM_BEFORE && /^고[ \t]/.test(m[0]) && !m[2]) continue;
      // 故 노무현 대통령: a name followed by a public office is a public figure, not a victim to hide.
      if (PUBLIC_TITLE.test(norm.slice(start + name.length, start + name.length + 8))) continue;
      // 김모 씨, 이모(32) 씨: the press's way of hiding a name, which shows only the surname.
      if (name.length === 2 && name[1] === '모') continue;
      if (name.length === 3 && /[은는이가을를의도와과에]$/.test(name) && NOT_NAMES.has(name.slice(0, 2)))
        continue;
      // Two syllables are a name only with an honorific after them (김구 씨); 김씨 alone is a surname.
      if (name.length === 2 && (/[씨양군님측들]$/.test(name) || (re === VICTIM_BEFORE && !m[2]))) continue;
      if (/[씨양군님]/.test(name[1] as string)) continue; // 김씨는, 이양이: a surname with an honorific
      // Without an honorific, three syllables ending in a particle are a word and its particle (마음을, 위주로).
      if (!m[2] && name.length === 3 && /[을를는로에의도]$/.test(name)) continue;
      seen.add(start);
      push(
        out,
        'victim_name',
        start,
        start + name.length,
        `${name[0]}${'○'.repeat(name.length - 1)}`,
        'review',
        RANK.victim,
      );
    }
  }
  if (lang === 'en' || /victim|survivor|the late/i.test(norm)) detectEnglishVictimNames(norm, out);
};

const EN_NAME = '[A-Z][a-z]{1,15}(?:[ \\t]+[A-Z][a-z]{1,15}){1,2}';
const EN_VICTIM_BEFORE = new RegExp(
  `\\b(?:[Vv]ictims?|[Ss]urvivors?|the late)(?:,|:)?[ \\t]+(?:(?:named|called|was)[ \\t]+)?(${EN_NAME})\\b`,
  'g',
);
const EN_VICTIM_AFTER = new RegExp(
  `\\b(${EN_NAME}),?[ \\t]+(?:the|a|who was the|who was a)[ \\t]+victim\\b`,
  'g',
);
const EN_NOT_NAME =
  /^(?:The|This|That|These|Those|Families|Family|From|For|Who|Support|Services?|Commissioner|Impact|Statement|Code|Fund|Rights|Of|And|In|Act|Charter|Surcharge|Care|Advocate|Contact|Compensation|Scheme|Personal|Blaming|Shaming|Awareness)\b|\b(?:Act|Scheme|Service|Services|Fund|Commissioner|Code|Statement|Support|Trust|Association|Foundation|Charter)$/;

function detectEnglishVictimNames(norm: string, out: Candidate[]): void {
  for (const re of [EN_VICTIM_BEFORE, EN_VICTIM_AFTER]) {
    for (const m of norm.matchAll(re)) {
      const name = m[1] as string;
      if (EN_NOT_NAME.test(name)) continue;
      const start = (m.index as number) + m[0].indexOf(name);
      const initials = name
        .split(/[ \t]+/)
        .map((w) => `${w[0]}.`)
        .join(' ');
      push(out, 'victim_name', start, start + name.length, initials, 'review', RANK.victim);
    }
  }
}

const DETECTORS: readonly Detector[] = [
  detectLinks,
  detectEmail,
  detectRrn,
  detectCard,
  detectKoreanPhones,
  detectForeignPhones,
  detectBankAccount,
  detectPlate,
  detectAddress,
  detectVictimNames,
];

/** The personal data found in one version of a petition's field (a version is the SHA-256 of the field's text). */
export interface FieldVersionFlags {
  field: 'title' | 'body';
  /** SHA-256 of the field's text, hex. */
  version: string;
  /** What `detectPersonalData` finds in that text (none for an empty text). */
  found: PersonalDataFlag[];
}

/** The current versions of a petition's title and body, each with the personal data detected in it. */
export function personalDataOfFields(petition: { title: string; body: string | null }): FieldVersionFlags[] {
  return (
    [
      ['title', petition.title],
      ['body', petition.body ?? ''],
    ] as const
  ).map(([field, text]) => ({
    field,
    version: createHash('sha256').update(text).digest('hex'),
    found: text ? detectPersonalData(text) : [],
  }));
}
