/**
 * Policy profiles: the rules of a petition platform as DATA, one profile per deployment.
 *
 * A deployment picks a profile (`DEFAULT_PROFILE` = 'cheongwadae'); the profile fixes its time zone, locale and
 * categories, and supplies DEFAULT values for the runtime settings (thresholds and durations). Administrators may
 * override settings at runtime: the database stores, per profile, a JSON object of overrides, and
 * `effectiveSettings(profile, overrides)` validates it against `SETTING_SCHEMAS` and merges it over the defaults.
 * (alphagov/e-petitions keeps its thresholds and durations in the `Site` settings row the same way.)
 *
 * Profiles:
 *  - `cheongwadae` — 청와대 국민청원 (2017-08-19 … 2022-05-09), the default.
 *  - `assembly` — 국회 국민동의청원 (petitions.assembly.go.kr, since 2020-01).
 *  - `uk` — UK Parliament petitions (petition.parliament.uk).
 *  - `wtp` — We the People (petitions.obamawhitehouse.archives.gov, 2011–2014 in our archive); archive only.
 */
import { z } from 'zod';
import type { Duration } from './closing-dates.js';
import { DomainError } from './errors.js';
import type { PlaceTaxonomy } from './places.js';

// ---------------------------------------------------------------------------------------------------------------
// Settings (overridable at runtime)
// ---------------------------------------------------------------------------------------------------------------

/**
 * When an official response is due, if at all:
 * - `{ days, from: 'close' }` — due by the end of the local day `days` days after the petition's last day
 *   (Blue House: 30 days after close);
 * - `{ days, from: 'threshold' }` — due by the end of the local day `days` days after the local day on which the
 *   response threshold was crossed (UK: the Petitions Committee expects the Government to respond within about
 *   3 weeks of a petition reaching 10,000 signatures);
 * - `null` — no fixed deadline.
 * See `responseDueAt` in thresholds.ts.
 */
export type ResponseDeadline = { readonly days: number; readonly from: 'close' | 'threshold' } | null;

/**
 * The runtime settings of a profile. All counts are numbers of agreements (signatures), integers.
 */
export interface PolicySettings {
  /** Pre-agreements (사전동의 / sponsors) needed before a petition goes to review. Integer ≥ 0 (0 = no step). */
  readonly preAgreementThreshold: number;
  /** How long the creator has to gather them, from when collection starts; null = no limit. */
  readonly preAgreementPeriod: Duration | null;
  /** Length of the public agreement period (days or months; see closing-dates.ts for the calendar rule). */
  readonly agreementPeriod: Duration;
  /** Agreements (≥, within the period) that oblige the profile's response consequence. Integer ≥ 1. */
  readonly responseThreshold: number;
  /** A second threshold (UK: considered for debate); null when the profile has none. Must exceed responseThreshold. */
  readonly debateThreshold: number | null;
  /** When the response is due; null = no fixed deadline. */
  readonly responseDeadline: ResponseDeadline;
}

/** Largest threshold accepted (agreements): more than any country's population that could sign. */
export const MAX_THRESHOLD = 100_000_000;

const positiveInt = z.int().min(1);
const threshold = z.int().min(1).max(MAX_THRESHOLD);

/** A duration: exactly one of `{ days }` (1–366) or `{ months }` (1–24). */
export const durationSchema = z.union([
  z.strictObject({ days: positiveInt.max(366) }),
  z.strictObject({ months: positiveInt.max(24) }),
]);

/** A response deadline: `{ days ≥ 1, from: 'close' | 'threshold' }` or null. */
export const responseDeadlineSchema = z
  .strictObject({ days: positiveInt.max(366), from: z.enum(['close', 'threshold']) })
  .nullable();

/**
 * The setting keys and the zod schema each value must satisfy. This is the whole list: any other key in an
 * overrides object is refused.
 *
 * | key                     | value                                                  |
 * |-------------------------|--------------------------------------------------------|
 * | `preAgreementThreshold` | integer 0–100,000                                      |
 * | `preAgreementPeriod`    | `{days: 1–366}` or `{months: 1–24}`, or null           |
 * | `agreementPeriod`       | `{days: 1–366}` or `{months: 1–24}`                    |
 * | `responseThreshold`     | integer 1–100,000,000                                  |
 * | `debateThreshold`       | integer 1–100,000,000, or null; > responseThreshold    |
 * | `responseDeadline`      | `{days: n, from: 'close' \| 'threshold'}`, or null     |
 */
export const SETTING_SCHEMAS = {
  preAgreementThreshold: z.int().min(0).max(100_000),
  preAgreementPeriod: durationSchema.nullable(),
  agreementPeriod: durationSchema,
  responseThreshold: threshold,
  debateThreshold: threshold.nullable(),
  responseDeadline: responseDeadlineSchema,
} as const;

/** A setting name. */
export type SettingKey = keyof typeof SETTING_SCHEMAS;

/** Every setting name, in a stable order. */
export const SETTING_KEYS = [
  'preAgreementThreshold',
  'preAgreementPeriod',
  'agreementPeriod',
  'responseThreshold',
  'debateThreshold',
  'responseDeadline',
] as const satisfies readonly SettingKey[];

/** A complete settings object (all keys, unknown keys refused). */
export const settingsSchema = z.strictObject(SETTING_SCHEMAS);

/** What the database stores per profile: any subset of the settings (unknown keys refused). */
export const settingsOverridesSchema = settingsSchema.partial();

/** A validated overrides object. */
export type SettingsOverrides = Partial<PolicySettings>;

// ---------------------------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------------------------

/** A petition category of a profile. `code` is a stable ASCII slug (unique within its profile, never renamed). */
export interface Category {
  readonly code: string;
  /** Korean label (for Korean profiles: exactly as the original board wrote it). */
  readonly ko: string;
  /** English label (for English profiles: exactly as the original site wrote it). */
  readonly en: string;
}

/** What reaching the response threshold obliges. */
export type ResponseConsequence =
  | 'official_response' // 청와대: 정부·청와대 책임자 답변; We the People: official White House response
  | 'committee_referral' // 국회: referred to the standing committee for review (소관위원회 회부)
  | 'government_response'; // UK: the Government responds

/** What reaching the debate threshold brings (UK only). */
export type DebateConsequence = 'debate_consideration';

/**
 * The rules of a site beyond its numbers (fixed per profile, not runtime settings):
 * - `creatorCounted` — the creator's own agreement is counted when the petition starts collecting (UK: the
 *   creator's signature is the first; the Blue House board did not count its writer);
 * - `supportersBeyondThreshold` — people with the supporter link may still agree while the petition waits for
 *   moderation (UK accepts them; the Korean boards closed the link at the threshold);
 * - `editBeforePublishing` — moderators may correct the text before publishing (UK; the creator is told and the
 *   change is audited); the Korean boards published or rejected the text as written.
 */
export interface SiteRules {
  readonly creatorCounted: boolean;
  readonly supportersBeyondThreshold: boolean;
  readonly editBeforePublishing: boolean;
}

/**
 * What follows a threshold, as tracks with their own domain module and staff actions:
 * - `debate` (UK, response-track.ts `DEBATE_STATES`, debate-outcome.ts): considered for debate at the debate
 *   threshold; scheduled, debated with its outcome, or not debated;
 * - `committee` (국회, committee-track.ts): referred to the competent committee at the response threshold; under
 *   review; decided, or ended with the Assembly's term.
 */
export type ParliamentTrack = 'debate' | 'committee';

/** The profile codes, in a stable order. */
export const PROFILE_CODES = ['cheongwadae', 'assembly', 'uk', 'wtp'] as const;

/** One of `PROFILE_CODES`. */
export type ProfileCode = (typeof PROFILE_CODES)[number];

/** A policy profile: fixed data plus default settings. */
export interface PolicyProfile {
  readonly code: ProfileCode;
  readonly name: { readonly ko: string; readonly en: string };
  /** IANA time zone in which dates (openedOn, lastDay, deadlines) are reckoned. */
  readonly timeZone: string;
  /** Language of the platform's own text, and the language pages open in unless a visitor chooses another. */
  readonly locale: 'ko' | 'en';
  /** Where signers say they live (places.ts). */
  readonly places: PlaceTaxonomy;
  /** The site's rules beyond its numbers. */
  readonly rules: SiteRules;
  /** Tracks after a threshold (empty: only the response track). */
  readonly tracks: readonly ParliamentTrack[];
  /** True when the profile exists only to hold imported records (no new petitions). */
  readonly archiveOnly: boolean;
  readonly categories: readonly Category[];
  /** What each threshold brings. `debate` is null when the profile has no second threshold. */
  readonly consequences: {
    readonly response: ResponseConsequence;
    readonly debate: DebateConsequence | null;
  };
  /** Default settings; runtime overrides are merged over these by `effectiveSettings`. */
  readonly defaults: PolicySettings;
  /**
   * Longest title and body a creator may submit, in characters (Unicode code points after NFC, trimmed); see
   * `checkPetitionText` in petition-text.ts. Fixed per profile (the boards' own forms), not runtime settings.
   */
  readonly textLimits: { readonly title: number; readonly body: number };
  /** Where the rules come from (human-readable citations). */
  readonly sources: readonly string[];
}

const c = (code: string, ko: string, en: string): Category => ({ code, ko, en });

/**
 * The 17 categories of the Blue House board, labels exactly as the board (and the CWD archives) wrote them.
 */
const CHEONGWADAE_CATEGORIES: readonly Category[] = [
  c('political-reform', '정치개혁', 'Political reform'),
  c('diplomacy-unification-defense', '외교/통일/국방', 'Diplomacy, unification & defense'),
  c('jobs', '일자리', 'Jobs'),
  c('future', '미래', 'Future'),
  c('growth-engines', '성장동력', 'Growth engines'),
  c('rural-communities', '농산어촌', 'Farming, mountain & fishing villages'),
  c('health-welfare', '보건복지', 'Health & welfare'),
  c('childcare-education', '육아/교육', 'Childcare & education'),
  c('safety-environment', '안전/환경', 'Safety & environment'),
  c('low-birth-rate-ageing', '저출산/고령화대책', 'Low birth rate & ageing society'),
  c('administration', '행정', 'Public administration'),
  c('pets', '반려동물', 'Pets & companion animals'),
  c('transport-construction-land', '교통/건축/국토', 'Transport, construction & land'),
  c('economic-democratization', '경제민주화', 'Economic democratization'),
  c('human-rights-gender-equality', '인권/성평등', 'Human rights & gender equality'),
  c('culture-arts-sports-media', '문화/예술/체육/언론', 'Culture, arts, sports & media'),
  c('other', '기타', 'Other'),
];

/**
 * The 18 categories of 국회 국민동의청원, labels exactly as in the jeongkyu-im-git/petitions-assembly dataset
 * (every label that occurs in its `category` column).
 */
const ASSEMBLY_CATEGORIES: readonly Category[] = [
  c('politics-elections-assembly', '정치/선거/국회운영', 'Politics, elections & National Assembly'),
  c('investigation-justice-judiciary', '수사/법무/사법제도', 'Investigation, justice & judiciary'),
  c('finance-tax-budget', '재정/세제/금융/예산', 'Public finance, tax, banking & budget'),
  c('consumer-fair-trade', '소비자/공정거래', 'Consumers & fair trade'),
  c('industry-trade', '산업/통상', 'Industry & trade'),
  c('science-ict', '과학기술/정보통신', 'Science, technology & ICT'),
  c('education', '교육', 'Education'),
  c('culture-sports-tourism-media', '문화/체육/관광/언론', 'Culture, sports, tourism & media'),
  c(
    'diplomacy-unification-defense-security',
    '외교/통일/국방/안보',
    'Diplomacy, unification, defense & security',
  ),
  c('administration-local-government', '행정/지방자치', 'Administration & local government'),
  c('disaster-safety-environment', '재난/안전/환경', 'Disasters, safety & environment'),
  c('health-medical', '보건의료', 'Health & medical care'),
  c('welfare-veterans', '복지/보훈', 'Welfare & veterans'),
  c('land-maritime-transport', '국토/해양/교통', 'Land, maritime affairs & transport'),
  c(
    'agriculture-forestry-fisheries-livestock',
    '농업/임업/수산업/축산업',
    'Agriculture, forestry, fisheries & livestock',
  ),
  c('human-rights-gender-equality-labor', '인권/성평등/노동', 'Human rights, gender equality & labor'),
  c(
    'low-birth-aging-children-youth-family',
    '저출산/고령화/아동/청소년/가족',
    'Low birth rate, ageing, children, youth & family',
  ),
  c('other', '기타', 'Other'),
];

/** A small generic list for UK Parliament petitions (the site itself files petitions by department/topic). */
const UK_CATEGORIES: readonly Category[] = [
  c('economy-business', '경제/기업', 'Economy and business'),
  c('health-social-care', '보건/사회복지', 'Health and social care'),
  c('education', '교육', 'Education'),
  c('environment-animals', '환경/동물', 'Environment and animals'),
  c('transport', '교통', 'Transport'),
  c('crime-justice', '치안/사법', 'Crime and justice'),
  c('immigration', '이민', 'Immigration'),
  c('foreign-affairs-defence', '외교/국방', 'Foreign affairs and defence'),
  c('work-benefits', '노동/복지급여', 'Work and benefits'),
  c('culture-media-sport', '문화/미디어/스포츠', 'Culture, media and sport'),
  c('parliament-government', '의회/정부/선거', 'Parliament, government and elections'),
  c('other', '기타', 'Other'),
];

/**
 * We the People issue tags, labels exactly as in the shivashankarrs/Petitions WTP dataset `tags` column (a
 * petition may carry several, comma-separated; the string 'null' there means none).
 */
const WTP_CATEGORIES: readonly Category[] = [
  c('budget-taxes', '예산/조세', 'Budget & Taxes'),
  c('civil-rights-equality', '시민권/평등', 'Civil Rights & Equality'),
  c('criminal-justice-reform', '형사사법개혁', 'Criminal Justice Reform'),
  c('economy-jobs', '경제/일자리', 'Economy & Jobs'),
  c('education', '교육', 'Education'),
  c('energy-environment', '에너지/환경', 'Energy & Environment'),
  c('foreign-policy', '외교정책', 'Foreign Policy'),
  c('government-regulatory-reform', '정부/규제개혁', 'Government & Regulatory Reform'),
  c('gun-violence', '총기폭력', 'Gun Violence'),
  c('health-care', '의료', 'Health Care'),
  c('homeland-security-defense', '국토안보/국방', 'Homeland Security & Defense'),
  c('immigration', '이민', 'Immigration'),
  c('innovation-arts-technology', '혁신/예술/기술', 'Innovation: Arts & Technology'),
  c('rural-policy', '농촌정책', 'Rural Policy'),
  c('technology-innovation', '기술/혁신', 'Technology & Innovation'),
  c('transportation-infrastructure', '교통/기반시설', 'Transportation & Infrastructure'),
  c('urban-policy', '도시정책', 'Urban Policy'),
  c('veterans-military', '보훈/군', 'Veterans & Military'),
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * All profiles, by code. Deeply frozen.
 *
 * **cheongwadae** (청와대 국민청원, Asia/Seoul, ko): 17 categories; 100 pre-agreements to reach review (rule since
 * 2019-03-31; before that every petition was published at once), gathered within 30 days; 30-day agreement
 * period (the board's periods read '2020-03-18 ~ 2020-04-17'); 200,000 agreements within the period oblige an
 * official answer from the government / Blue House (`official_response`), due within 30 days after the petition
 * closes (`{days: 30, from: 'close'}`).
 *
 * **assembly** (국회 국민동의청원, Asia/Seoul, ko): 18 categories; 100 supporters within 30 days to be published;
 * 30-day agreement period; 50,000 agreements within 30 days → the petition is referred to the competent
 * committee (`committee_referral`; the threshold was 100,000 when the system opened in January 2020 and was later
 * lowered to 50,000). `responseDeadline` is null: the National Assembly Act gives the committee a review period
 * (90 days from referral, art. 125) but it is routinely extended, often to the end of the Assembly's term, so no
 * fixed deadline is modelled.
 *
 * **uk** (UK Parliament petitions, Europe/London, en): 5 supporters (sponsors) before moderation, no time limit
 * modelled for gathering them; 6-month period (`{months: 6}`; e-petitions: `(open_at + 6.months).end_of_day`);
 * 10,000 signatures → Government response (`government_response`), due 21 days after the day the threshold was
 * crossed (`{days: 21, from: 'threshold'}`; the Petitions Committee expects a response within about 3 weeks);
 * 100,000 signatures → considered for debate in Parliament (`debateThreshold`, `debate_consideration`).
 * Note the difference: UK deadlines run from the crossing, Blue House deadlines from the close.
 *
 * **wtp** (We the People, America/New_York, en, archive only): 150 signatures within 30 days to become publicly
 * searchable; 30-day period; 100,000 signatures within 30 days → official White House response. The response
 * threshold changed over the archive's life: 5,000 at launch (Sept 2011), 25,000 from Oct 2011, 100,000 from
 * January 2013; the profile carries the 2013 value (override it to read older records by their own rule).
 * No fixed response deadline in the period the archive covers (null).
 */
export const PROFILES: Readonly<Record<ProfileCode, PolicyProfile>> = deepFreeze({
  cheongwadae: {
    code: 'cheongwadae',
    name: { ko: '청와대 국민청원', en: 'Blue House national petitions' },
    timeZone: 'Asia/Seoul',
    locale: 'ko',
    places: 'kr_sido',
    rules: { creatorCounted: false, supportersBeyondThreshold: false, editBeforePublishing: false },
    tracks: [],
    archiveOnly: false,
    categories: CHEONGWADAE_CATEGORIES,
    consequences: { response: 'official_response', debate: null },
    defaults: {
      preAgreementThreshold: 100,
      preAgreementPeriod: { days: 30 },
      agreementPeriod: { days: 30 },
      responseThreshold: 200_000,
      debateThreshold: null,
      responseDeadline: { days: 30, from: 'close' },
    },
    // the board's form: 제목 100자, 청원내용 10,000자
    textLimits: { title: 100, body: 10_000 },
    sources: [
      'www1.president.go.kr/petitions: 30일 동안 20만 명 이상 동의한 청원에 정부·청와대 책임자가 30일 이내 답변',
      'CWD rule since 2019-03-31: 사전동의 100명 이상이어야 게시판 공개 (lovit 2019 archives hold only such petitions)',
      "Board periods, e.g. '2020-03-18 ~ 2020-04-17' (korkeep crawl)",
    ],
  },
  assembly: {
    code: 'assembly',
    name: { ko: '국회 국민동의청원', en: 'National Assembly public-consent petitions' },
    timeZone: 'Asia/Seoul',
    locale: 'ko',
    places: 'kr_sido',
    rules: { creatorCounted: false, supportersBeyondThreshold: false, editBeforePublishing: false },
    tracks: ['committee'],
    archiveOnly: false,
    categories: ASSEMBLY_CATEGORIES,
    consequences: { response: 'committee_referral', debate: null },
    defaults: {
      preAgreementThreshold: 100,
      preAgreementPeriod: { days: 30 },
      agreementPeriod: { days: 30 },
      responseThreshold: 50_000,
      debateThreshold: null,
      responseDeadline: null,
    },
    // the Assembly form's 청원의 제목 / 청원의 내용 fields, kept at the Blue House limits
    textLimits: { title: 100, body: 10_000 },
    sources: [
      'petitions.assembly.go.kr: 30일 이내 100명 찬성 시 공개, 공개 후 30일 이내 5만 명 동의 시 소관위원회 회부',
      '국회법 제123조·제125조 (청원 요건, 청원심사 기간)',
      "jeongkyu-im-git/petitions-assembly dataset: 18 category labels; periods such as '2024-06-20 ~ 2024-07-20'",
    ],
  },
  uk: {
    code: 'uk',
    name: { ko: '영국 의회 청원', en: 'UK Government and Parliament petitions' },
    timeZone: 'Europe/London',
    locale: 'en',
    places: 'uk',
    rules: { creatorCounted: true, supportersBeyondThreshold: true, editBeforePublishing: true },
    tracks: ['debate'],
    archiveOnly: false,
    categories: UK_CATEGORIES,
    consequences: { response: 'government_response', debate: 'debate_consideration' },
    defaults: {
      preAgreementThreshold: 5,
      preAgreementPeriod: null,
      agreementPeriod: { months: 6 },
      responseThreshold: 10_000,
      debateThreshold: 100_000,
      responseDeadline: { days: 21, from: 'threshold' },
    },
    // petition.parliament.uk form: action 80 characters; background 300 + additional details 800 as one body
    textLimits: { title: 80, body: 1_100 },
    sources: [
      'petition.parliament.uk/help: 5 supporters; 6 months; 10,000 → Government response; 100,000 → considered for debate',
      'alphagov/e-petitions: closed_at = (open_at + petition_duration.months).end_of_day; response_threshold_reached_at',
    ],
  },
  wtp: {
    code: 'wtp',
    name: { ko: '미국 백악관 위더피플', en: 'We the People' },
    timeZone: 'America/New_York',
    locale: 'en',
    places: 'none',
    rules: { creatorCounted: false, supportersBeyondThreshold: false, editBeforePublishing: false },
    tracks: [],
    archiveOnly: true,
    categories: WTP_CATEGORIES,
    consequences: { response: 'official_response', debate: null },
    defaults: {
      preAgreementThreshold: 150,
      preAgreementPeriod: { days: 30 },
      agreementPeriod: { days: 30 },
      responseThreshold: 100_000,
      debateThreshold: null,
      responseDeadline: null,
    },
    // archive only (no new petitions); the We the People form allowed a 120-character title, 800-character body
    textLimits: { title: 120, body: 800 },
    sources: [
      'petitions.obamawhitehouse.archives.gov: 150 signatures to be searchable; 100,000 in 30 days for a response (from January 2013; 25,000 before, 5,000 at launch)',
    ],
  },
} satisfies Record<ProfileCode, PolicyProfile>);

/** The profile a deployment uses unless configured otherwise. */
export const DEFAULT_PROFILE: ProfileCode = 'cheongwadae';

/** Type guard: `x` is one of `PROFILE_CODES`. */
export function isProfileCode(x: unknown): x is ProfileCode {
  return typeof x === 'string' && (PROFILE_CODES as readonly string[]).includes(x);
}

/**
 * The profile with this code.
 * @throws DomainError('unknown_profile') with details `{ profile, known }` when there is none
 */
export function getProfile(code: string): PolicyProfile {
  if (!isProfileCode(code)) {
    throw new DomainError(
      'unknown_profile',
      `Unknown policy profile "${code}"; known profiles: ${PROFILE_CODES.join(', ')}.`,
      { profile: code, known: [...PROFILE_CODES] },
    );
  }
  return PROFILES[code];
}

// ---------------------------------------------------------------------------------------------------------------
// Effective settings
// ---------------------------------------------------------------------------------------------------------------

function invalidSetting(
  profile: ProfileCode,
  key: string | null,
  message: string,
  issue?: string,
): DomainError {
  return new DomainError('invalid_setting', message, {
    profile,
    key,
    ...(issue === undefined ? {} : { issue }),
    allowedKeys: [...SETTING_KEYS],
  });
}

/**
 * The settings in force for a profile: its defaults with the stored runtime overrides merged over them.
 *
 * @param profile a profile or its code (any string; an unknown code throws)
 * @param overrides the JSON object the database stores for this profile (parsed JSON, untrusted): a subset of
 *   `SETTING_KEYS` with values satisfying `SETTING_SCHEMAS`; `null`/`undefined` means no overrides. Keys whose
 *   value is `undefined` are ignored (they cannot come from JSON).
 * @returns a complete, frozen `PolicySettings`
 * @throws DomainError('unknown_profile') for an unknown code;
 *   DomainError('invalid_setting') with details `{ profile, key, issue, allowedKeys }` when `overrides` is not an
 *   object, has an unknown key, a value of the wrong type or range, or when the merged result is inconsistent
 *   (`debateThreshold` must be greater than `responseThreshold`). `key` names the offending setting.
 */
export function effectiveSettings(profile: PolicyProfile | string, overrides: unknown): PolicySettings {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  if (overrides === null || overrides === undefined) return p.defaults;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw invalidSetting(p.code, null, `Settings overrides for "${p.code}" must be a JSON object.`);
  }
  const parsed = settingsOverridesSchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? null;
      throw invalidSetting(
        p.code,
        key,
        `Unknown setting "${key}" for "${p.code}"; known settings: ${SETTING_KEYS.join(', ')}.`,
        issue.message,
      );
    }
    const key = issue?.path[0] === undefined ? null : String(issue.path[0]);
    throw invalidSetting(
      p.code,
      key,
      `Invalid value for setting "${key}": ${issue?.message ?? 'invalid'}.`,
      issue?.message,
    );
  }
  const merged: PolicySettings = { ...p.defaults };
  for (const key of SETTING_KEYS) {
    const value = parsed.data[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  if (merged.debateThreshold !== null && merged.debateThreshold <= merged.responseThreshold) {
    throw invalidSetting(
      p.code,
      'debateThreshold',
      `debateThreshold (${merged.debateThreshold}) must be greater than responseThreshold (${merged.responseThreshold}).`,
    );
  }
  return deepFreeze(merged);
}

// ---------------------------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------------------------

/** Unicode NFC, lower case, whitespace runs collapsed to one space, trimmed, no spaces around '/'. */
function normaliseLabel(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?\/ ?/g, '/');
}

/**
 * Finds a category of `profile` by its code, its Korean label or its English label.
 *
 * Matching normalises both sides: Unicode NFC, case-insensitive, whitespace collapsed and trimmed, spaces around
 * '/' ignored; Korean labels also match with all spaces removed ('저출산/고령화 대책' finds '저출산/고령화대책').
 * The CWD archives write labels exactly as the board did ('인권/성평등'), so they match directly.
 *
 * @param profile a profile or its code (any string; an unknown code throws)
 * @param labelOrCode e.g. 'human-rights-gender-equality', '인권/성평등', 'Human rights & gender equality'
 * @returns the category, or null when none matches
 * @throws DomainError('unknown_profile') for an unknown profile code
 */
export function findCategory(profile: PolicyProfile | string, labelOrCode: string): Category | null {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  const wanted = normaliseLabel(labelOrCode);
  if (wanted === '') return null;
  const wantedNoSpace = wanted.replace(/ /g, '');
  for (const cat of p.categories) {
    if (normaliseLabel(cat.code) === wanted || normaliseLabel(cat.en) === wanted) return cat;
    if (normaliseLabel(cat.ko).replace(/ /g, '') === wantedNoSpace) return cat;
  }
  return null;
}

/**
 * Like `findCategory`, but a missing category is an error.
 * @throws DomainError('unknown_category') with details `{ profile, category }`; DomainError('unknown_profile')
 */
export function requireCategory(profile: PolicyProfile | string, labelOrCode: string): Category {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  const found = findCategory(p, labelOrCode);
  if (found === null) {
    throw new DomainError('unknown_category', `"${labelOrCode}" is not a category of "${p.code}".`, {
      profile: p.code,
      category: labelOrCode,
    });
  }
  return found;
}
