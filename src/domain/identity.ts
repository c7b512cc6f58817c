/**
 * Who a signer is: one person, one agreement per petition.
 *
 * The Blue House board (청와대 국민청원, 2017–2022) let a person agree once per *login*, and it accepted Kakao,
 * Naver, Facebook and Twitter logins side by side, so one person could agree three or four times. Cheongwon keys
 * every agreement by the PERSON, in three steps:
 *
 *  1. A raw identifier is canonicalised, so that different spellings of one mailbox give one string
 *     (`canonicalEmail`: 'John.Smith+x@GoogleMail.com' → 'johnsmith@gmail.com').
 *  2. `personKey(identity)` turns what an identity provider vouched for into one string per person:
 *     `'email:' + canonicalEmail`, `'oidc:' + issuer + '\n' + subject`, or `'claim:' + claim + '\n' + value` — the
 *     last for a claim several providers share (Korea's 연계정보 CI), which makes a person who signs in through
 *     Kakao, Naver or a government login the same person.
 *  3. `signerKey(secret, petitionId, personKey)` hashes it per petition with a server secret (HMAC-SHA256). The
 *     database stores only that key and enforces `UNIQUE (petition_id, signer_key)`: a second agreement by the same
 *     person on the same petition is refused by the constraint, whatever the race.
 *
 * Names (`canonicalName`, `displayName`) and regions (`REGIONS`, `parseRegion`) are the other things a signer
 * gives; they are canonicalised here too so every writer stores them the same way.
 *
 * Every refusal is a `DomainError` with code 'invalid_email', 'invalid_name', 'invalid_region' or
 * 'invalid_parameter', a Korean sentence a person understands, and `details` = `{ field, reason }` (never the
 * value itself: it is personal data). A secret that is too short is a configuration error and throws a plain
 * `Error`. Nothing here does I/O or reads the clock.
 */
import { createHmac } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { DomainError } from './errors.js';

// ---------------------------------------------------------------------------------------------------------------
// Shared character classes
// ---------------------------------------------------------------------------------------------------------------

/** C0/C1 control characters (includes U+0000, tab, CR, LF, DEL) and lone UTF-16 surrogates. */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
/** As CONTROL, plus invisible format characters (zero-width space/joiners, bidi overrides, soft hyphen, BOM). */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cs}\p{Cf}]/u;
/** Any Unicode white space (JS `\s`: space, tab, NBSP, U+3000 ideographic space, …). */
const WHITESPACE = /\s/u;
const WHITESPACE_RUNS = /\s+/gu;

/** Length in Unicode code points (what a person counts as characters; '홍길동' is 3 whatever its UTF-16 length). */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------------------------

/** Why an email address was refused; given as `details.reason` of the 'invalid_email' DomainError. */
export type EmailRefusalReason =
  | 'empty'
  | 'too_long'
  | 'control_character'
  | 'whitespace'
  | 'quoted'
  | 'missing_at'
  | 'multiple_at'
  | 'empty_local_part'
  | 'invalid_local_part'
  | 'local_part_too_long'
  | 'empty_domain'
  | 'domain_without_dot'
  | 'invalid_domain'
  | 'empty_after_folding';

const EMAIL_MESSAGES: Record<EmailRefusalReason, string> = {
  empty: '이메일 주소를 입력해 주세요.',
  too_long: '이메일 주소가 너무 깁니다. 254자 이하로 입력해 주세요.',
  control_character: '이메일 주소에 보이지 않는 제어 문자가 들어 있습니다. 다시 입력해 주세요.',
  whitespace: '이메일 주소에는 띄어쓰기를 넣을 수 없습니다.',
  quoted: '따옴표(")가 들어간 이메일 주소는 받을 수 없습니다.',
  missing_at: '이메일 주소에 @가 없습니다. 예: hong@example.com',
  multiple_at: '이메일 주소에는 @가 하나만 있어야 합니다.',
  empty_local_part: '이메일 주소의 @ 앞부분이 비어 있습니다.',
  invalid_local_part:
    '이메일 주소의 @ 앞부분에 쓸 수 없는 문자가 있거나, 점(.)이 맨 앞·맨 뒤에 있거나 연달아 있습니다.',
  local_part_too_long: '이메일 주소의 @ 앞부분이 너무 깁니다 (64바이트 이하).',
  empty_domain: '이메일 주소의 @ 뒷부분(도메인)이 비어 있습니다.',
  domain_without_dot: '이메일 주소의 도메인에 점(.)이 없습니다. 예: hong@example.com',
  invalid_domain: '이메일 주소의 도메인 형식이 올바르지 않습니다.',
  empty_after_folding: '이메일 주소의 @ 앞부분이 + 로 시작할 수 없습니다.',
};

function refuseEmail(reason: EmailRefusalReason): never {
  throw new DomainError('invalid_email', EMAIL_MESSAGES[reason], { field: 'email', reason });
}

/** Maximum address length (RFC 5321 §4.5.3.1.3: a 256-octet path minus the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;
/** Maximum local-part length in UTF-8 bytes (RFC 5321 §4.5.3.1.1; octets also under SMTPUTF8, RFC 6531). */
const MAX_LOCAL_PART_BYTES = 64;
/**
 * Characters RFC 5322 allows in a local part only inside quotes (`"(),:;<>[\]` and backslash). Quoted local
 * parts are not supported, so these are refused outright.
 */
const LOCAL_PART_SPECIALS = /["(),:;<>[\]\\]/;
/** One DNS label in ASCII (LDH rule, RFC 1035 / RFC 5890): 1–63 letters, digits, hyphens; no hyphen at either end. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Domains whose local parts ignore dots and which are one mailbox: Gmail (googlemail.com is its UK/DE alias). */
const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

/**
 * The one canonical form of an email address, used for every comparison and every key (written once, used
 * everywhere: never compare raw addresses).
 *
 * Steps, in order:
 *  1. Trim surrounding white space (`String.prototype.trim`, which includes U+3000 and U+FEFF).
 *  2. Refuse: empty; more than 254 characters (code points); control characters, null bytes, lone surrogates or
 *     invisible format characters (zero-width space, bidi overrides); white space inside; a double quote anywhere
 *     (quoted local parts like `"a b"@example.com` are legal in RFC 5322 but no real signer needs them, and they
 *     let one mailbox be spelt many ways — refused rather than half-supported); no '@' or more than one '@'.
 *  3. Local part (before '@'): refuse empty; RFC 5322 specials `(),:;<>[\]` and backslash; a dot at the start,
 *     at the end or twice in a row (not a dot-atom); more than 64 UTF-8 bytes. Then NFC-normalise (so a Korean
 *     local part typed on a system that sends decomposed Hangul matches) and lower-case.
 *  4. Domain (after '@'): refuse empty. Lower-case and convert to ASCII with `node:url` `domainToASCII` (UTS #46,
 *     as browsers do: '例え.jp' → 'xn--r8jz45g.jp', '한국.kr' → 'xn--3e0b707e.kr', full-width letters and the
 *     ideographic full stop '。' map to ASCII). Refuse if it returns '' (not a valid IDN; this includes address
 *     literals such as '[192.168.0.1]'), has no dot, has a label that is not LDH (1–63 of `a-z0-9-`, no hyphen
 *     at either end — this also refuses underscores, empty labels and a trailing dot), or has an all-numeric
 *     top-level label (IP addresses such as 'user@192.168.0.1').
 *  5. Refuse if local part (bytes) + '@' + ASCII domain exceeds 254 (an IDN domain grows when converted; this
 *     also keeps the ASCII domain within DNS's 253 characters).
 *  6. Fold sub-addresses, for EVERY domain: drop the first '+' and everything after it in the local part
 *     ('anna+petition1@example.com' → 'anna@example.com'). Why: '+tags' reach the same mailbox at Gmail, Outlook,
 *     iCloud, Fastmail and most providers, and they are exactly how one person signs repeatedly, each
 *     tag confirming in the same inbox. A mailbox whose name really contains '+' and differs from the one without
 *     is rare; merging it is an accepted cost (alphagov/e-petitions folds '+tags' on every domain the same way).
 *     Refuse if the local part is then empty ('+x@example.com').
 *  7. Gmail: for gmail.com and googlemail.com remove every dot from the local part and use the domain gmail.com
 *     (Gmail ignores dots: 'j.ohn.smith' and 'johnsmith' are one mailbox).
 *
 * Case: the WHOLE address is lower-cased. RFC 5321 lets a server treat local parts case-sensitively, but no
 * provider a signer is likely to use does, and case variants are an easy way to sign twice.
 *
 * Example: ' John.Smith+x@GoogleMail.com ' → 'johnsmith@gmail.com'; '홍길동@한국.kr' → '홍길동@xn--3e0b707e.kr'.
 *
 * @param raw what the person typed
 * @returns the canonical address: `local@domain`, lower case, ASCII domain
 * @throws DomainError('invalid_email', Korean message, `{ field: 'email', reason: EmailRefusalReason }`)
 */
export function canonicalEmail(raw: string): string {
  const s = raw.trim();
  if (s === '') refuseEmail('empty');
  if (codePoints(s) > MAX_EMAIL_LENGTH) refuseEmail('too_long');
  if (CONTROL_OR_FORMAT.test(s)) refuseEmail('control_character');
  if (WHITESPACE.test(s)) refuseEmail('whitespace');
  if (s.includes('"')) refuseEmail('quoted');

  const parts = s.split('@');
  if (parts.length === 1) refuseEmail('missing_at');
  if (parts.length > 2) refuseEmail('multiple_at');
  const [rawLocal = '', rawDomain = ''] = parts;

  if (rawLocal === '') refuseEmail('empty_local_part');
  if (
    LOCAL_PART_SPECIALS.test(rawLocal) ||
    rawLocal.startsWith('.') ||
    rawLocal.endsWith('.') ||
    rawLocal.includes('..')
  ) {
    refuseEmail('invalid_local_part');
  }
  let local = rawLocal.normalize('NFC').toLowerCase();
  const localBytes = Buffer.byteLength(local, 'utf8');
  if (localBytes > MAX_LOCAL_PART_BYTES) refuseEmail('local_part_too_long');

  if (rawDomain === '') refuseEmail('empty_domain');
  let domain = asciiDomain(rawDomain);
  if (localBytes + 1 + domain.length > MAX_EMAIL_LENGTH) refuseEmail('too_long');

  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  if (local === '') refuseEmail('empty_after_folding');

  return `${local}@${domain}`;
}

/** Step 4 of `canonicalEmail`: the lower-case ASCII (punycode) form of a mail domain, or a refusal. */
function asciiDomain(raw: string): string {
  const ascii = domainToASCII(raw.toLowerCase());
  if (ascii === '') refuseEmail('invalid_domain');
  const labels = ascii.split('.');
  if (labels.length < 2) refuseEmail('domain_without_dot');
  if (!labels.every((label) => DNS_LABEL.test(label))) refuseEmail('invalid_domain');
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) refuseEmail('invalid_domain');
  return ascii;
}

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

/** Why a name was refused; given as `details.reason` of the 'invalid_name' DomainError. */
export type NameRefusalReason = 'empty' | 'too_long' | 'control_character' | 'link' | 'formula_prefix';

const NAME_MESSAGES: Record<NameRefusalReason, string> = {
  empty: '이름을 입력해 주세요.',
  too_long: '이름이 너무 깁니다. 100자 이하로 입력해 주세요.',
  control_character: '이름에 줄바꿈이나 보이지 않는 제어 문자가 들어 있습니다. 다시 입력해 주세요.',
  link: '이름에 웹 주소를 넣을 수 없습니다. 이름만 입력해 주세요.',
  formula_prefix: '이름은 = + - @ 기호로 시작할 수 없습니다.',
};

/**
 * A web address or a domain-like word in free text people will see (a name, a title): 'http://…', 'www.…',
 * 'example.com', 'bit.ly/x'. alphagov/e-petitions refuses names and actions that are links the same way, so
 * nobody is greeted with a link in mail and no petition title advertises a site.
 */
const LINK =
  /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|uk|kr|io|ly|co|info|biz|me|xyz|gov|ac)\b)/iu;

/**
 * A leading character that spreadsheets read as a formula (= + - @; OWASP CSV injection). Exports still
 * neutralise such cells; names and titles are refused at the door so people see why.
 */
const FORMULA_PREFIX = /^[=+\-@]/u;

/** True when `text` is or holds a web address (`LINK`). */
export function containsLink(text: string): boolean {
  return LINK.test(text);
}

/** True when `text` starts with a spreadsheet formula character (= + - @). */
export function startsWithFormulaPrefix(text: string): boolean {
  return FORMULA_PREFIX.test(text.trimStart());
}

function refuseName(reason: NameRefusalReason): never {
  throw new DomainError('invalid_name', NAME_MESSAGES[reason], { field: 'name', reason });
}

/** Maximum name length, in code points, after normalisation. */
export const MAX_NAME_LENGTH = 100;

/**
 * Characters that render as nothing: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0 — a known trick for "blank"
 * names on Korean services, and letters to Unicode, so not white space) and invisible format characters.
 * A name made only of these and white space counts as empty.
 */
const INVISIBLE = /[\u115F\u1160\u3164\uFFA0\p{Cf}]/gu;

/**
 * A name as the person wrote it, tidied for display (greeting them in emails, staff pages): case preserved.
 *
 * Steps: trim surrounding white space; refuse any control character left inside (null bytes, tab, CR/LF — a
 * line break in a name would break an email greeting or header) or a lone surrogate; Unicode NFC (so decomposed
 * Hangul from macOS/iOS input, '홍길동'.normalize('NFD'), becomes the composed '홍길동'); collapse each run of white
 * space, including U+3000 ideographic space and NBSP, to one ASCII space. Refuse a result that is empty or shows
 * nothing (only Hangul fillers or zero-width characters), or has more than 100 code points. Nothing is removed
 * from a real name: Hangul, Han, Latin with diacritics and every other script pass through unchanged.
 *
 * @param raw what the person typed
 * @returns NFC, trimmed, whitespace-collapsed name, 1–100 code points
 * @throws DomainError('invalid_name', Korean message, `{ field: 'name', reason: NameRefusalReason }`)
 */
export function displayName(raw: string): string {
  const trimmed = raw.trim();
  if (CONTROL.test(trimmed)) refuseName('control_character');
  const name = trimmed.normalize('NFC').replace(WHITESPACE_RUNS, ' ');
  if (name.replace(INVISIBLE, '').trim() === '') refuseName('empty');
  if (codePoints(name) > MAX_NAME_LENGTH) refuseName('too_long');
  if (startsWithFormulaPrefix(name)) refuseName('formula_prefix');
  if (containsLink(name)) refuseName('link');
  return name;
}

/**
 * The form of a name used to compare names ('Anna Kim' and 'ANNA  Kim' are the same name): `displayName(raw)`,
 * then lower-cased with `String.prototype.toLowerCase` — the locale-independent Unicode default mapping, the same
 * as `toLocaleLowerCase('und')`, chosen so the server's locale never changes a key (Turkish 'I' is not special-
 * cased). It is lower-casing, not full case folding: 'ß' stays 'ß' and 'ẞ' becomes 'ß'. Then NFC again (lower-
 * casing 'İ' gives 'i' + U+0307). Hangul has no case, so Korean names are unchanged: '홍길동' → '홍길동'.
 *
 * Accepts and refuses exactly what `displayName` does (the 100-code-point limit is checked before lower-casing).
 *
 * @throws DomainError('invalid_name', Korean message, `{ field: 'name', reason: NameRefusalReason }`)
 */
export function canonicalName(raw: string): string {
  return displayName(raw).toLowerCase().normalize('NFC');
}

// ---------------------------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------------------------

/** Stable ASCII codes of the 17 시·도 (first-level divisions of Korea) and 'overseas'. Never renamed once stored. */
export const REGION_CODES = [
  'seoul',
  'busan',
  'daegu',
  'incheon',
  'gwangju',
  'daejeon',
  'ulsan',
  'sejong',
  'gyeonggi',
  'gangwon',
  'chungbuk',
  'chungnam',
  'jeonbuk',
  'jeonnam',
  'gyeongbuk',
  'gyeongnam',
  'jeju',
  'overseas',
] as const;

export type RegionCode = (typeof REGION_CODES)[number];

/** A region a signer may give (optional on the signing form). */
export interface Region {
  /** Stable ASCII code, stored in the database. */
  readonly code: RegionCode;
  /** Official Korean name (current). */
  readonly ko: string;
  /** English name. */
  readonly en: string;
  /** 'sido' for the 17 시·도; 'overseas' for signers living abroad (재외국민), the 18th value. */
  readonly kind: 'sido' | 'overseas';
  /** Other spellings `parseRegion` accepts: short Korean name, former official names, romanised official name. */
  readonly aliases: readonly string[];
}

/**
 * The 17 시·도 of Korea in the official order (특별시, 광역시, 특별자치시, then 도 from north to south), followed
 * by 'overseas' (해외) for signers who live abroad — the 18th, optional value; a signer may also give no region.
 *
 * Names as of 2024-01-18. Former names are kept as aliases so older data still parses: 강원도 became
 * 강원특별자치도 on 2023-06-11; 전라북도 became 전북특별자치도 on 2024-01-18; 제주도 became 제주특별자치도 on
 * 2006-07-01; 세종특별자치시 exists since 2012-07-01.
 */
export const REGIONS: readonly Region[] = [
  { code: 'seoul', ko: '서울특별시', en: 'Seoul', kind: 'sido', aliases: ['서울'] },
  { code: 'busan', ko: '부산광역시', en: 'Busan', kind: 'sido', aliases: ['부산'] },
  { code: 'daegu', ko: '대구광역시', en: 'Daegu', kind: 'sido', aliases: ['대구'] },
  { code: 'incheon', ko: '인천광역시', en: 'Incheon', kind: 'sido', aliases: ['인천'] },
  { code: 'gwangju', ko: '광주광역시', en: 'Gwangju', kind: 'sido', aliases: ['광주'] },
  { code: 'daejeon', ko: '대전광역시', en: 'Daejeon', kind: 'sido', aliases: ['대전'] },
  { code: 'ulsan', ko: '울산광역시', en: 'Ulsan', kind: 'sido', aliases: ['울산'] },
  { code: 'sejong', ko: '세종특별자치시', en: 'Sejong', kind: 'sido', aliases: ['세종'] },
  { code: 'gyeonggi', ko: '경기도', en: 'Gyeonggi Province', kind: 'sido', aliases: ['경기', 'Gyeonggi-do'] },
  {
    code: 'gangwon',
    ko: '강원특별자치도',
    en: 'Gangwon State',
    kind: 'sido',
    aliases: ['강원', '강원도', 'Gangwon-do'],
  },
  {
    code: 'chungbuk',
    ko: '충청북도',
    en: 'North Chungcheong Province',
    kind: 'sido',
    aliases: ['충북', 'Chungcheongbuk-do'],
  },
  {
    code: 'chungnam',
    ko: '충청남도',
    en: 'South Chungcheong Province',
    kind: 'sido',
    aliases: ['충남', 'Chungcheongnam-do'],
  },
  {
    code: 'jeonbuk',
    ko: '전북특별자치도',
    en: 'Jeonbuk State',
    kind: 'sido',
    aliases: ['전북', '전라북도', 'Jeollabuk-do'],
  },
  {
    code: 'jeonnam',
    ko: '전라남도',
    en: 'South Jeolla Province',
    kind: 'sido',
    aliases: ['전남', 'Jeollanam-do'],
  },
  {
    code: 'gyeongbuk',
    ko: '경상북도',
    en: 'North Gyeongsang Province',
    kind: 'sido',
    aliases: ['경북', 'Gyeongsangbuk-do'],
  },
  {
    code: 'gyeongnam',
    ko: '경상남도',
    en: 'South Gyeongsang Province',
    kind: 'sido',
    aliases: ['경남', 'Gyeongsangnam-do'],
  },
  {
    code: 'jeju',
    ko: '제주특별자치도',
    en: 'Jeju Province',
    kind: 'sido',
    aliases: ['제주', '제주도', 'Jeju-do'],
  },
  { code: 'overseas', ko: '해외', en: 'Overseas', kind: 'overseas', aliases: ['재외국민', 'abroad'] },
];

/** Lookup key for region spellings: NFC, lower case, white space removed ('서울 특별시' = '서울특별시'). */
function regionLookupKey(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(WHITESPACE_RUNS, '');
}

const REGION_BY_SPELLING: ReadonlyMap<string, Region> = new Map(
  REGIONS.flatMap((r) => [r.code, r.ko, r.en, ...r.aliases].map((s) => [regionLookupKey(s), r] as const)),
);

/**
 * The region with this code.
 * @throws DomainError('invalid_region') when `code` is not a RegionCode (only possible from untyped callers)
 */
export function region(code: RegionCode): Region {
  const found = REGIONS.find((r) => r.code === code);
  if (!found) throw new DomainError('invalid_region', '알 수 없는 지역입니다.', { field: 'region' });
  return found;
}

/**
 * Parses the optional region a signer gives.
 *
 * Accepts a code ('seoul', case-insensitive), the official Korean name ('서울특별시'), the English name, or an
 * alias (short name '서울', former name '강원도', romanisation 'Gangwon-do'); white space and case are ignored and
 * Korean is NFC-normalised first.
 *
 * @returns the RegionCode, or null when the value is absent (undefined, null, or empty/white space only)
 * @throws DomainError('invalid_region', Korean message, `{ field: 'region' }`) for anything else
 */
export function parseRegion(raw: string | undefined | null): RegionCode | null {
  if (raw === undefined || raw === null) return null;
  const key = regionLookupKey(raw);
  if (key === '') return null;
  const found = REGION_BY_SPELLING.get(key);
  if (!found) {
    throw new DomainError('invalid_region', '지역을 목록에서 골라 주세요 (시·도 또는 해외).', {
      field: 'region',
    });
  }
  return found.code;
}

// ---------------------------------------------------------------------------------------------------------------
// Person keys and signer keys
// ---------------------------------------------------------------------------------------------------------------

/**
 * What an identity provider vouched for about a signer:
 * - `{ kind: 'email', email }` — they proved they read this mailbox (email-link confirmation); `email` raw or
 *   canonical, it is canonicalised again;
 * - `{ kind: 'oidc', issuer, subject }` — an OpenID Connect login: the `iss` and `sub` of the ID token, compared
 *   exactly as OIDC Core §5.7 says (never trimmed or case-folded);
 * - `{ kind: 'claim', claim, value }` — a claim that several providers share for the same person, e.g. Korea's
 *   연계정보 (CI, `claim: 'kr-ci'`), which identity-verification services and Kakao/Naver/government logins give for
 *   one resident. Keying by it makes one person one agreement across all those logins.
 */
export type Identity =
  | { kind: 'email'; email: string }
  | { kind: 'oidc'; issuer: string; subject: string }
  | { kind: 'claim'; claim: string; value: string };

/** The separator between the parts of a person key. */
const KEY_SEPARATOR = '\n';

function keyPart(value: string, field: string): string {
  if (value === '') {
    throw new DomainError('invalid_parameter', `Identity ${field} is empty.`, { field, reason: 'empty' });
  }
  if (CONTROL.test(value)) {
    throw new DomainError('invalid_parameter', `Identity ${field} contains a control character.`, {
      field,
      reason: 'control_character',
    });
  }
  return value;
}

/**
 * One string per person, from what an identity provider vouched for:
 * - email → `'email:' + canonicalEmail(email)`
 * - oidc  → `'oidc:' + issuer + '\n' + subject`
 * - claim → `'claim:' + claim + '\n' + value`
 *
 * The key is personal data (it contains the email); store only `signerKey` of it. Parts are used exactly as
 * given; because none may contain a control character, the '\n' separator is unambiguous.
 *
 * @throws DomainError('invalid_email', …) from `canonicalEmail` for an invalid email
 * @throws DomainError('invalid_parameter', …, `{ field, reason: 'empty' | 'control_character' }`) when an
 *   issuer, subject, claim or value is empty or contains a control character (including '\n') or lone surrogate
 */
export function personKey(identity: Identity): string {
  switch (identity.kind) {
    case 'email':
      return `email:${canonicalEmail(identity.email)}`;
    case 'oidc':
      return `oidc:${keyPart(identity.issuer, 'issuer')}${KEY_SEPARATOR}${keyPart(identity.subject, 'subject')}`;
    case 'claim':
      return `claim:${keyPart(identity.claim, 'claim')}${KEY_SEPARATOR}${keyPart(identity.value, 'value')}`;
    default: {
      const unknown: never = identity;
      throw new DomainError('invalid_parameter', 'Unknown identity kind.', {
        field: 'kind',
        value: (unknown as { kind?: unknown }).kind,
      });
    }
  }
}

/** Shortest accepted signer-key secret, in bytes (the HMAC-SHA256 output size; RFC 2104 §3). */
export const MIN_SIGNER_SECRET_BYTES = 32;

/**
 * The key under which an agreement is stored: HMAC-SHA256(secret, petitionId + '\n' + personKey), lower-case hex
 * (64 characters).
 *
 * Why a keyed hash per petition: the same person gets unrelated keys on different petitions, so the agreements
 * table cannot be joined across petitions to profile what someone signed; and without the secret nobody holding a
 * copy of the table can test whether a given email or CI agreed (a plain hash of an email is guessable). The
 * database enforces `UNIQUE (petition_id, signer_key)`: that constraint, not a read-then-write check, is what
 * makes one person one agreement per petition. Changing the secret changes every key, so it must stay fixed for
 * a deployment's life (a rotation has to re-key stored rows).
 *
 * @param secret server secret, ≥ 32 bytes (a string is measured in UTF-8 bytes); from configuration, never code
 * @param petitionId the petition's id as text (non-empty, no control characters)
 * @param personKey the output of `personKey` (non-empty)
 * @throws Error when the secret is shorter than 32 bytes (a configuration error, not a user's)
 * @throws DomainError('invalid_parameter') for an empty petitionId or personKey, or a control character in
 *   petitionId
 */
export function signerKey(secret: string | Uint8Array, petitionId: string, personKey: string): string {
  const secretBytes = typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.byteLength;
  if (secretBytes < MIN_SIGNER_SECRET_BYTES) {
    throw new Error(
      `The signer-key secret is ${secretBytes} bytes; it must be at least ${MIN_SIGNER_SECRET_BYTES} random bytes.`,
    );
  }
  keyPart(petitionId, 'petitionId');
  if (personKey === '') {
    throw new DomainError('invalid_parameter', 'Person key is empty.', {
      field: 'personKey',
      reason: 'empty',
    });
  }
  return createHmac('sha256', secret)
    .update(`${petitionId}${KEY_SEPARATOR}${personKey}`, 'utf8')
    .digest('hex');
}

/**
 * The pseudonymous id of a person: HMAC-SHA256(secret, "person\n" + `personKey(identity)`), hex. Sessions carry
 * this, never the raw identity (an email address, or a CI, which is personal data); signer keys are derived from it
 * per petition (`signerKey(secret, petitionId, personId)`).
 * @param secret the deployment's secret (the one `signerKey` takes)
 * @throws what `personKey` throws for an invalid identity
 */
export function personId(secret: string, identity: Identity): string {
  return createHmac('sha256', secret)
    .update(`person\n${personKey(identity)}`)
    .digest('hex');
}
