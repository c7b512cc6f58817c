/**
 * Measures the personal-data detector (`personal-data.ts`) on real petition texts with synthetic personal data
 * inserted in realistic forms and contexts. Everything inserted is made up here: check digits are computed so the
 * numbers look valid, names are combinations of common syllables, phone numbers use the ranges broadcasters use
 * for fiction where such ranges exist (UK 07700 900xxx, NANP 555-01xx). The texts themselves are public
 * petitions; a share of them is left untouched, so what the detector finds there is measured as false positives.
 *
 * Used by `scripts/evaluate-personal-data.ts` (npm run eval:personal-data) and by its test on the bundled sample.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArchiveFile } from '../archive/parse-file.js';
import {
  applyMasks,
  detectPersonalData,
  type PersonalDataFamily,
  type PersonalDataFlag,
  type PersonalDataKind,
  personalDataFamily,
} from '../domain/personal-data.js';
import { cardIssuer, luhnCheckDigit, rrnCheckDigit } from '../domain/personal-data-numbers.js';

/** A real petition text (title, blank line, body) from an archive file. */
export interface PetitionText {
  /** e.g. 'cwd:586819', 'wtp:…' */
  ref: string;
  lang: 'ko' | 'en';
  text: string;
}

/** Where the texts came from: ../shared/data (full archives) or the repository's data/sample. */
export type TextOrigin = 'shared' | 'sample';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared/data beside the repository. */
export const SHARED_DATA_DIR = path.resolve(REPO, '../shared/data');
/** The bundled sample (Korean only). */
export const SAMPLE_DIR = path.resolve(REPO, 'data/sample');

const SHARED_FILES: readonly { file: string; lang: 'ko' | 'en' }[] = [
  { file: 'cwd/cwd_2020_korkeep.jsonl', lang: 'ko' },
  { file: 'cwd/cwd_lovit_petitions_2017-08.jsonl', lang: 'ko' },
  { file: 'cwd/cwd_lovit_petitions_2019-04.jsonl', lang: 'ko' },
  { file: 'cwd/cwd_lovit_petitions_2019-05.jsonl', lang: 'ko' },
  { file: 'cwd/cwd_lovit_petitions_2019-06.jsonl', lang: 'ko' },
  { file: 'assembly/na_petitions-assembly-dataset_jeongkyu.csv', lang: 'ko' },
  { file: 'uk/uk_241584_revoke_article_50_snapshot_2019-03-24.json', lang: 'en' },
  { file: 'uk/uk_653440.json', lang: 'en' },
  { file: 'uk/uk_653561.json', lang: 'en' },
  { file: 'us/us_wtp_dataset_1K.csv', lang: 'en' },
];

/**
 * Reads petition texts with the project's archive parsers: from `../shared/data` when it exists (Korean Blue House
 * and National Assembly, English UK Parliament and We the People), else from `data/sample` (Korean only).
 * Petitions without a body are skipped; rejected rows are ignored (the importer reports them).
 * @param origin force one origin; default: 'shared' when present
 * @throws Error when the chosen folder does not exist
 */
export async function loadPetitionTexts(
  origin: TextOrigin = existsSync(SHARED_DATA_DIR) ? 'shared' : 'sample',
): Promise<{ origin: TextOrigin; texts: PetitionText[] }> {
  const files =
    origin === 'shared'
      ? SHARED_FILES.map((f) => ({ path: path.join(SHARED_DATA_DIR, f.file), lang: f.lang }))
      : readdirSync(SAMPLE_DIR)
          .filter((n) => /\.(jsonl|csv|json)(\.gz)?$/.test(n))
          .sort()
          .map((n) => ({ path: path.join(SAMPLE_DIR, n), lang: 'ko' as const }));
  const texts: PetitionText[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (!existsSync(f.path)) throw new Error(`${f.path} does not exist`);
    for await (const row of parseArchiveFile(f.path)) {
      if (!row.ok || row.record.body === null) continue;
      const ref = `${row.record.source}:${row.record.sourceId}`;
      if (seen.has(ref)) continue; // the same petition in two crawls
      seen.add(ref);
      texts.push({ ref, lang: f.lang, text: `${row.record.title}\n\n${row.record.body}` });
    }
  }
  return { origin, texts };
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same labelled set on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => int(rng, 0, 9)).join('');
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

// ---------------------------------------------------------------------------------------------------------------
// Synthetic personal data

/** One inserted piece: the sentence and, inside it, the span that is personal data. */
interface Insert {
  kind: PersonalDataKind;
  /** Template name, to report recall by form. */
  form: string;
  before: string;
  value: string;
  after: string;
}

function rrnValue(rng: Rng, foreigner: boolean, validCheck: boolean): string {
  const year = int(rng, 1940, 2019);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, 28);
  const g = (year >= 2000 ? [3, 4] : [1, 2]).map((x) => x + (foreigner ? 4 : 0));
  const first12 = `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}${pick(rng, g)}${digits(rng, 5)}`;
  const check = rrnCheckDigit(first12);
  return first12 + String(validCheck ? check : (check + int(rng, 1, 9)) % 10);
}

const KO_DIGIT_WORDS = ['공', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];

function mobileValue(rng: Rng): { form: string; value: string } {
  const mid = `${int(rng, 2, 9)}${digits(rng, 3)}`;
  const last = digits(rng, 4);
  const spelled = (s: string) => [...s].map((d) => KO_DIGIT_WORDS[Number(d)]).join('');
  const forms: [string, string][] = [
    ['dash', `010-${mid}-${last}`],
    ['space', `010 ${mid} ${last}`],
    ['bare', `010${mid}${last}`],
    ['dot', `010.${mid}.${last}`],
    ['spaced-dash', `010 - ${mid} - ${last}`],
    ['intl', `+82 10-${mid}-${last}`],
    ['intl-bare', `+8210${mid}${last}`],
    [
      'fullwidth',
      `０１０－${[...mid].map((d) => String.fromCharCode(0xff10 + Number(d))).join('')}－${last}`,
    ],
    ['spelled', `공일공 ${spelled(mid)} ${spelled(last)}`],
    ['spelled-mixed', `공일공-${mid}-${last}`],
    ['hangul-dash', `010ㅡ${mid}ㅡ${last}`],
    ['paren', `(010)${mid}-${last}`],
    ['old-011', `011-${int(rng, 200, 999)}-${last}`],
  ];
  const [form, value] = pick(rng, forms);
  return { form: `mobile-${form}`, value };
}

function landlineValue(rng: Rng): { form: string; value: string } {
  const area = pick(rng, ['02', '031', '032', '051', '053', '062', '042', '064', '070']);
  const mid =
    area === '02' || area === '070'
      ? `${int(rng, 2, 9)}${digits(rng, int(rng, 2, 3))}`
      : `${int(rng, 2, 9)}${digits(rng, 2)}`;
  const last = digits(rng, 4);
  const forms: [string, string][] = [
    ['dash', `${area}-${mid}-${last}`],
    ['paren', `(${area}) ${mid}-${last}`],
    ['half-paren', `${area})${mid}-${last}`],
    ['space', `${area} ${mid} ${last}`],
    ['intl', `+82 ${area.slice(1)}-${mid}-${last}`],
  ];
  const [form, value] = pick(rng, forms);
  return { form: `landline-${form}`, value };
}

function englishPhoneValue(rng: Rng): { form: string; value: string; kind: PersonalDataKind } {
  const ukMobile = `07700 900${digits(rng, 3)}`;
  const forms: [string, string, PersonalDataKind][] = [
    ['uk-mobile', ukMobile, 'phone_mobile'],
    ['uk-mobile-intl', `+44 7700 900${digits(rng, 3)}`, 'phone_mobile'],
    ['uk-mobile-bare', `07700900${digits(rng, 3)}`, 'phone_mobile'],
    ['uk-london', `020 7946 0${digits(rng, 3)}`, 'phone_landline'],
    ['uk-geo', `0161 496 0${digits(rng, 3)}`, 'phone_landline'],
    ['us-paren', `(555) 01${digits(rng, 1)}-${digits(rng, 4)}`, 'phone_landline'],
    ['us-dash', `555-01${digits(rng, 1)}-${digits(rng, 4)}`, 'phone_landline'],
    ['us-dot', `555.01${digits(rng, 1)}.${digits(rng, 4)}`, 'phone_landline'],
    ['us-intl', `+1 555 01${digits(rng, 1)} ${digits(rng, 4)}`, 'phone_landline'],
  ];
  const [form, value, kind] = pick(rng, forms);
  return { form: `phone-${form}`, value, kind };
}

function cardValue(rng: Rng): { form: string; value: string } {
  for (;;) {
    const [scheme, prefix, length] = pick(rng, [
      ['visa', '4', 16],
      ['mastercard', pick(rng, ['51', '52', '53', '54', '55', '2221', '2720']), 16],
      ['amex', pick(rng, ['34', '37']), 15],
      ['jcb', '3530', 16],
      ['unionpay', '62', 16],
      ['kr-domestic', '9410', 16],
    ] as const);
    const partial = prefix + digits(rng, length - prefix.length - 1);
    const number = partial + String(luhnCheckDigit(partial));
    if (cardIssuer(number) === null) continue;
    const sep = pick(rng, ['-', ' ', '']);
    const groups = length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
    const parts = groups.map((g, i) => {
      const from = groups.slice(0, i).reduce((x, y) => x + y, 0);
      return number.slice(from, from + g);
    });
    return {
      form: `card-${scheme}-${sep === '' ? 'bare' : sep === '-' ? 'dash' : 'space'}`,
      value: parts.join(sep),
    };
  }
}

const BANK_FORMS: readonly [string, number[]][] = [
  ['국민은행', [6, 2, 6]],
  ['신한은행', [3, 3, 6]],
  ['우리은행', [4, 3, 6]],
  ['하나은행', [3, 6, 5]],
  ['농협', [3, 4, 4, 2]],
  ['기업은행', [3, 6, 2, 3]],
  ['카카오뱅크', [4, 2, 7]],
  ['토스뱅크', [4, 4, 4]],
  ['우체국', [6, 2, 6]],
  ['SC제일은행', [3, 2, 6]],
];

function emailValue(rng: Rng): string {
  const local = pick(rng, [
    'hong.gildong',
    'minji_kim',
    'sky1234',
    'parkjh88',
    'j.smith',
    'anna.lee',
    'user.test',
  ]);
  const n = rng() < 0.5 ? String(int(rng, 1, 999)) : '';
  return `${local}${n}@${pick(rng, ['naver.com', 'gmail.com', 'daum.net', 'hanmail.net', 'kakao.com', 'example.co.uk', 'outlook.com'])}`;
}

const ROAD_STEMS = [
  '중앙',
  '번영',
  '희망',
  '평화',
  '새싹',
  '은행나무',
  '문화',
  '시청',
  '역전',
  '공원',
  '호수',
  '무지개',
  '꽃마을',
];
const SIDO_NAMES = [
  '서울특별시',
  '서울시',
  '부산광역시',
  '경기도',
  '인천광역시',
  '대구시',
  '충청남도',
  '전라북도',
];
const SIGUNGU_NAMES = [
  '강남구',
  '관악구',
  '수원시 팔달구',
  '성남시 분당구',
  '해운대구',
  '중구',
  '천안시',
  '전주시 완산구',
];
const DONG_NAMES = ['신림동', '역삼동', '행복동', '부평동', '송정리', '대평리', '중앙동'];

function addressValue(rng: Rng): { form: string; value: string; before: string; after: string } {
  const road = `${pick(rng, ROAD_STEMS)}${pick(rng, ['로', '대로', '길'])}`;
  const bldg = String(int(rng, 1, 300));
  const detail = rng() < 0.4 ? `, ${int(rng, 101, 120)}동 ${int(rng, 1, 25)}0${int(rng, 1, 4)}호` : '';
  const admin = `${pick(rng, SIDO_NAMES)} ${pick(rng, SIGUNGU_NAMES)}`;
  const forms: [string, string, string, string][] = [
    ['road-admin', '제 주소는 ', `${admin} ${road} ${bldg}${detail}`, '입니다.'],
    ['road-admin-plain', '가해자는 ', `${admin} ${road} ${bldg}${detail}`, '에 살고 있습니다.'],
    ['road-bungil', '그 집은 ', `${pick(rng, ROAD_STEMS)}로${int(rng, 1, 99)}번길 ${bldg}`, '입니다.'],
    ['road-context', '현재 거주지는 ', `${road} ${bldg}-${int(rng, 1, 20)}`, '입니다.'],
    [
      'jibun-bunji',
      '주소: ',
      `${pick(rng, SIDO_NAMES)} ${pick(rng, SIGUNGU_NAMES)} ${pick(rng, DONG_NAMES)} ${int(rng, 1, 999)}번지`,
      '',
    ],
    [
      'jibun-dash',
      '저는 ',
      `${pick(rng, DONG_NAMES)} ${int(rng, 1, 999)}-${int(rng, 1, 99)}`,
      '에 살고 있습니다.',
    ],
    [
      'apartment',
      '가해자는 ',
      `${pick(rng, ['래미안', '푸르지오', '한빛', '자이'])}아파트 ${int(rng, 101, 115)}동 ${int(rng, 1, 20)}0${int(rng, 1, 4)}호`,
      '에 삽니다.',
    ],
  ];
  const [form, before, value, after] = pick(rng, forms);
  return { form: `address-${form}`, before, value, after };
}

const GIVEN_SYLLABLES = [
  '서',
  '연',
  '지',
  '민',
  '준',
  '현',
  '우',
  '윤',
  '수',
  '하',
  '은',
  '예',
  '도',
  '아',
  '채',
  '유',
  '진',
  '영',
  '호',
  '혜',
];
const FAMILY_NAMES = [
  '김',
  '이',
  '박',
  '최',
  '정',
  '강',
  '조',
  '윤',
  '장',
  '임',
  '한',
  '오',
  '서',
  '신',
  '권',
];
const EN_FIRST = [
  'Emily',
  'James',
  'Sarah',
  'Oliver',
  'Grace',
  'Daniel',
  'Chloe',
  'Thomas',
  'Hannah',
  'Lucas',
];
const EN_LAST = [
  'Carter',
  'Hughes',
  'Bennett',
  'Foster',
  'Turner',
  'Palmer',
  'Walsh',
  'Doyle',
  'Marsh',
  'Reed',
];

const KO_CONTEXTS: Record<string, readonly [string, string][]> = {
  phone: [
    ['제 번호는 ', ' 입니다.'],
    ['연락처: ', ''],
    ['연락은 ', '로 주세요.'],
    ['궁금하신 분은 ', ' 으로 문자 주세요.'],
    ['가해자 핸드폰 번호는', '이고 지금도 연락이 옵니다.'],
    ['(제보: ', ')'],
  ],
  rrn: [
    ['주민번호 ', ' 로 대출이 되어 있었습니다.'],
    ['제 주민등록번호(', ')가 유출되었습니다.'],
    ['가해자가 ', ' 이 번호로 가입했습니다.'],
    ['외국인등록번호 ', '를 도용당했습니다.'],
  ],
  email: [
    ['메일은', '입니다.'],
    ['제보는 ', ' 으로 보내주세요.'],
    ['이메일: ', ''],
  ],
  card: [
    ['카드번호 ', ' 로 결제가 되었습니다.'],
    ['제 카드(', ')가 도용되어'],
    ['', ' 이 카드로 200만원이 빠져나갔습니다.'],
  ],
  bank: [
    ['후원계좌: ', ''],
    ['', ' 으로 입금하라고 했습니다.'],
    ['사기범 계좌는 ', ' 입니다.'],
  ],
  plate: [
    ['차량번호 ', ' 차량이 아이를 치고 도망갔습니다.'],
    ['번호판이 ', '인 흰색 승용차'],
    ['가해 차량(', ')을 찾아주세요.'],
  ],
  link: [
    ['이 방 링크 ', ' 입니다.'],
    ['', '에서 영상이 공유되고 있습니다.'],
    ['링크: ', ''],
    ['지금도 (', ') 방이 운영되고 있습니다.'],
  ],
  victim: [
    ['피해자 ', ' 씨는 아직도 고통받고 있습니다.'],
    ['피해자인 ', ' 양의 부모님은'],
    ['故 ', ' 님의 억울한 죽음을 밝혀주세요.'],
    ['숨진 ', ' 군은 겨우 일곱 살이었습니다.'],
  ],
};

const EN_CONTEXTS: Record<string, readonly [string, string][]> = {
  phone: [
    ['Call me on ', ' if you can help.'],
    ['My number is ', '.'],
    ['Contact: ', ''],
  ],
  email: [
    ['Email me at ', ' for details.'],
    ['Write to ', '.'],
  ],
  card: [['My card ', ' was charged twice.']],
  victim: [
    ['The victim, ', ', was only 15.'],
    ['The family of victim ', ' deserve answers.'],
  ],
  address: [['He lives at ', ' and nobody acts.']],
  link: [['They share videos at ', ' every night.']],
};

function linkValue(rng: Rng): { form: string; value: string; kind: PersonalDataKind } {
  const id = (n: number) =>
    Array.from({ length: n }, () =>
      pick(rng, [...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789_-']),
    ).join('');
  const forms: [string, string, PersonalDataKind][] = [
    ['telegram-joinchat', `t.me/joinchat/${id(22)}`, 'chat_invite'],
    ['telegram-plus', `https://t.me/+${id(16)}`, 'chat_invite'],
    ['telegram-me', `https://telegram.me/joinchat/${id(22)}`, 'chat_invite'],
    ['kakao-open', `https://open.kakao.com/o/g${id(7).replace(/[_-]/g, 'x')}`, 'chat_invite'],
    ['discord', `discord.gg/${id(8).replace(/[_-]/g, 'q')}`, 'chat_invite'],
    ['mega', `https://mega.nz/folder/${id(8)}#${id(22)}`, 'file_share_link'],
    ['gdrive', `https://drive.google.com/drive/folders/${id(28)}`, 'file_share_link'],
    ['dropbox', `https://www.dropbox.com/s/${id(15).toLowerCase()}/video.zip?dl=0`, 'file_share_link'],
  ];
  const [form, value, kind] = pick(rng, forms);
  return { form: `link-${form}`, value, kind };
}

function ibanValue(rng: Rng): string {
  const bban = `NWBK${digits(rng, 14)}`;
  const numeric = [...`${bban}GB00`].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  const iban = `GB${pad(98 - rem, 2)}${bban}`;
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

/** One synthetic piece of personal data in a sentence, Korean or English. */
function makeInsert(rng: Rng, lang: 'ko' | 'en'): Insert {
  const family = pick(rng, [
    'phone',
    'phone',
    'rrn',
    'email',
    'card',
    'bank',
    'address',
    'plate',
    'link',
    'victim',
  ]);
  if (lang === 'en') {
    const ctx = (k: string) => pick(rng, EN_CONTEXTS[k] ?? []);
    switch (family) {
      case 'email': {
        const [b, a] = ctx('email');
        return { kind: 'email', form: 'email-en', before: b, value: emailValue(rng), after: a };
      }
      case 'card': {
        const [b, a] = ctx('card');
        const c = cardValue(rng);
        return { kind: 'card', form: c.form, before: b, value: c.value, after: a };
      }
      case 'victim': {
        const [b, a] = ctx('victim');
        return {
          kind: 'victim_name',
          form: 'victim-en',
          before: b,
          value: `${pick(rng, EN_FIRST)} ${pick(rng, EN_LAST)}`,
          after: a,
        };
      }
      case 'address': {
        const [b, a] = ctx('address');
        const street = `${int(rng, 2, 180)} ${pick(rng, ['Elm', 'Acacia', 'Station', 'Church', 'Mill'])} ${pick(rng, ['Road', 'Avenue', 'Street', 'Lane'])}`;
        const post =
          rng() < 0.5
            ? `, ${pick(rng, ['Leeds LS1', 'London SW9', 'Bristol BS8'])} ${int(rng, 1, 9)}${pick(rng, ['AB', 'XY', 'QT'])}`
            : '';
        return {
          kind: 'address',
          form: post ? 'address-en-postcode' : 'address-en',
          before: b,
          value: street + post,
          after: a,
        };
      }
      case 'link': {
        const [b, a] = ctx('link');
        const l = linkValue(rng);
        return { kind: l.kind, form: l.form, before: b, value: l.value, after: a };
      }
      case 'bank':
        return {
          kind: 'bank_account',
          form: 'bank-iban',
          before: 'Donations: IBAN ',
          value: ibanValue(rng),
          after: '.',
        };
      default: {
        const [b, a] = ctx('phone');
        const p = englishPhoneValue(rng);
        return { kind: p.kind, form: p.form, before: b, value: p.value, after: a };
      }
    }
  }
  const ctx = (k: string) => pick(rng, KO_CONTEXTS[k] ?? []);
  switch (family) {
    case 'phone': {
      const [b, a] = ctx('phone');
      const landline = rng() < 0.3;
      const p = landline ? landlineValue(rng) : mobileValue(rng);
      return {
        kind: landline ? 'phone_landline' : 'phone_mobile',
        form: p.form,
        before: b,
        value: p.value,
        after: a,
      };
    }
    case 'rrn': {
      const [b, a] = ctx('rrn');
      const foreigner = b.startsWith('외국인');
      const valid = rng() < 0.8;
      const raw = rrnValue(rng, foreigner, valid);
      const sep = valid ? pick(rng, ['-', ' ', '']) : '-'; // post-2020 numbers (no check digit) in their usual form
      return {
        kind: foreigner ? 'foreigner_rrn' : 'rrn',
        form: `rrn-${valid ? 'check' : 'post2020'}-${sep === '-' ? 'dash' : sep === ' ' ? 'space' : 'bare'}`,
        before: b,
        value: `${raw.slice(0, 6)}${sep}${raw.slice(6)}`,
        after: a,
      };
    }
    case 'email': {
      const [b, a] = ctx('email');
      return { kind: 'email', form: 'email-ko', before: b, value: emailValue(rng), after: a };
    }
    case 'card': {
      const [b, a] = ctx('card');
      const c = cardValue(rng);
      return { kind: 'card', form: c.form, before: b, value: c.value, after: a };
    }
    case 'bank': {
      const [b, a] = ctx('bank');
      const [bank, groups] = pick(rng, BANK_FORMS);
      const sep = rng() < 0.8 ? '-' : '';
      return {
        kind: 'bank_account',
        form: `bank-${sep ? 'dash' : 'bare'}`,
        before: `${b}${bank} `,
        value: groups.map((g) => digits(rng, g)).join(sep),
        after: a,
      };
    }
    case 'address': {
      const ad = addressValue(rng);
      return { kind: 'address', form: ad.form, before: ad.before, value: ad.value, after: ad.after };
    }
    case 'plate': {
      const [b, a] = ctx('plate');
      const letter = pick(rng, [...'가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호']);
      const region = rng() < 0.3 ? pick(rng, ['서울', '경기', '부산']) : '';
      const value = `${region}${digits(rng, pick(rng, [2, 3]))}${letter}${rng() < 0.3 ? ' ' : ''}${digits(rng, 4)}`;
      return { kind: 'vehicle_plate', form: region ? 'plate-region' : 'plate', before: b, value, after: a };
    }
    case 'link': {
      const [b, a] = ctx('link');
      const l = linkValue(rng);
      return { kind: l.kind, form: l.form, before: b, value: l.value, after: a };
    }
    default: {
      const [b, a] = ctx('victim');
      const name = `${pick(rng, FAMILY_NAMES)}${pick(rng, GIVEN_SYLLABLES)}${pick(rng, GIVEN_SYLLABLES)}`;
      return { kind: 'victim_name', form: 'victim-ko', before: b, value: name, after: a };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The labelled set

export interface GoldSpan {
  kind: PersonalDataKind;
  form: string;
  start: number;
  end: number;
  /** The inserted sentence (all synthetic), for reports of what was missed. */
  sentence: string;
}

export interface LabelledText {
  ref: string;
  lang: 'ko' | 'en';
  text: string;
  /** The synthetic personal data inserted; empty for untouched texts. */
  gold: GoldSpan[];
}

export interface LabelledSetOptions {
  seed: number;
  /** How many Korean / English texts to draw (at most what there is). */
  korean: number;
  english: number;
  /** Share of drawn texts left untouched (0..1). */
  untouched: number;
  /** Share of inserts in Korean texts written in English forms (mixed texts; covers English forms when only
   *  Korean texts are available). */
  englishFormsInKorean: number;
}

export const DEFAULT_LABELLED_SET: LabelledSetOptions = {
  seed: 20261129,
  korean: 4000,
  english: 1000,
  untouched: 0.3,
  englishFormsInKorean: 0.15,
};

/** Positions just after a sentence end or line break (and the text's start/end): where a sentence can go. */
function sentenceBoundaries(text: string): number[] {
  const out = [0, text.length];
  for (const m of text.matchAll(/[.!?。]\s+|\n+/g)) out.push((m.index as number) + m[0].length);
  return out;
}

/**
 * Draws texts deterministically (seeded shuffle) and inserts 1–3 synthetic sentences with personal data into all
 * but the `untouched` share. Same inputs and seed → the same set.
 */
export function buildLabelledSet(
  texts: readonly PetitionText[],
  opts: LabelledSetOptions = DEFAULT_LABELLED_SET,
): LabelledText[] {
  const rng = seededRandom(opts.seed);
  const draw = (lang: 'ko' | 'en', n: number) => {
    const pool = texts
      .filter((t) => t.lang === lang)
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as PetitionText, pool[i] as PetitionText];
    }
    return pool.slice(0, n);
  };
  const drawn = [...draw('ko', opts.korean), ...draw('en', opts.english)];
  return drawn.map((t) => {
    if (rng() < opts.untouched) return { ...t, gold: [] };
    let text = t.text;
    const gold: GoldSpan[] = [];
    const n = int(rng, 1, 3);
    for (let k = 0; k < n; k++) {
      const formLang = t.lang === 'en' || rng() < opts.englishFormsInKorean ? 'en' : 'ko';
      const ins = makeInsert(rng, formLang);
      const at = pick(rng, sentenceBoundaries(text));
      const lead = at > 0 && !/\s$/.test(text.slice(0, at)) ? ' ' : '';
      const sentence = `${lead}${ins.before}${ins.value}${ins.after} `;
      const start = at + lead.length + ins.before.length;
      const shift = sentence.length;
      for (const g of gold) {
        if (g.start < at) continue;
        g.start += shift;
        g.end += shift;
      }
      gold.push({
        kind: ins.kind,
        form: ins.form,
        start,
        end: start + ins.value.length,
        sentence: sentence.trim(),
      });
      text = text.slice(0, at) + sentence + text.slice(at);
    }
    return { ...t, text, gold: gold.sort((a, b) => a.start - b.start) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring

export interface FamilyScore {
  family: PersonalDataFamily;
  gold: number;
  found: number;
  predicted: number;
  truePositives: number;
  /** Of the predictions with confidence 'high'. */
  predictedHigh: number;
  truePositivesHigh: number;
  precision: number | null;
  precisionHigh: number | null;
  recall: number | null;
}

export interface FalsePositiveExample {
  kind: PersonalDataKind;
  confidence: 'high' | 'review';
  ref: string;
  /** Context with every detection in it replaced by its mask (⟦…⟧ marks this one). */
  context: string;
}

export interface Evaluation {
  texts: number;
  untouched: number;
  characters: number;
  families: FamilyScore[];
  /** False positives per predicted kind. */
  falsePositives: Partial<Record<PersonalDataKind, { count: number; examples: FalsePositiveExample[] }>>;
  /** Recall per insertion form, to see which written forms are missed. */
  forms: Record<string, { gold: number; found: number }>;
  missed: { form: string; value: string; sentence: string }[];
  detectMs: number;
}

const FAMILIES: readonly PersonalDataFamily[] = [
  'rrn',
  'phone',
  'email',
  'card',
  'bank_account',
  'address',
  'vehicle_plate',
  'link',
  'victim_name',
];

function maskedContext(
  text: string,
  flags: PersonalDataFlag[],
  target: PersonalDataFlag,
  width = 40,
): string {
  const from = Math.max(0, target.start - width);
  const to = Math.min(text.length, target.end + width);
  const inside = flags.filter((f) => f.start >= from && f.end <= to);
  const marked = inside.map((f) => (f === target ? { ...f, mask: `⟦${f.mask}⟧` } : f));
  const shifted = marked.map((f) => ({ ...f, start: f.start - from, end: f.end - from }));
  const piece = applyMasks(text.slice(from, to), shifted);
  return `${from > 0 ? '…' : ''}${piece.replace(/\s+/g, ' ')}${to < text.length ? '…' : ''}`;
}

/**
 * Runs the detector on every labelled text and scores it per family, span-level: a prediction is a true positive
 * when it overlaps a gold span of the same family; a gold span is found when some prediction of its family
 * overlaps it. Everything the detector finds that was not inserted counts as a false positive (so real personal
 * data already in the public texts counts against precision too; the examples show which it is).
 * @param onProgress called after each text with (done, total)
 */
export function evaluate(
  set: readonly LabelledText[],
  opts: {
    examplesPerKind?: number;
    onProgress?: (done: number, total: number) => void;
    /** Another version of the detector to measure (default `detectPersonalData`). */
    detect?: (text: string) => PersonalDataFlag[];
  } = {},
): Evaluation {
  const examplesPerKind = opts.examplesPerKind ?? 8;
  const acc = new Map(
    FAMILIES.map((f) => [f, { gold: 0, found: 0, predicted: 0, tp: 0, predictedHigh: 0, tpHigh: 0 }]),
  );
  const falsePositives: Evaluation['falsePositives'] = {};
  const forms: Evaluation['forms'] = {};
  const missed: Evaluation['missed'] = [];
  let detectMs = 0;
  let characters = 0;
  set.forEach((item, i) => {
    characters += item.text.length;
    const t0 = performance.now();
    const flags = (opts.detect ?? detectPersonalData)(item.text);
    detectMs += performance.now() - t0;
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
      a.start < b.end && b.start < a.end;
    for (const f of flags) {
      const fam = personalDataFamily(f.kind);
      const a = acc.get(fam);
      if (!a) continue;
      const hit = item.gold.some((g) => personalDataFamily(g.kind) === fam && overlaps(g, f));
      a.predicted++;
      if (f.confidence === 'high') a.predictedHigh++;
      if (hit) {
        a.tp++;
        if (f.confidence === 'high') a.tpHigh++;
      } else {
        const entry = falsePositives[f.kind] ?? { count: 0, examples: [] };
        entry.count++;
        if (entry.examples.length < examplesPerKind)
          entry.examples.push({
            kind: f.kind,
            confidence: f.confidence,
            ref: item.ref,
            context: maskedContext(item.text, flags, f),
          });
        falsePositives[f.kind] = entry;
      }
    }
    for (const g of item.gold) {
      const fam = personalDataFamily(g.kind);
      const a = acc.get(fam);
      if (!a) continue;
      const found = flags.some((f) => personalDataFamily(f.kind) === fam && overlaps(g, f));
      a.gold++;
      const form = forms[g.form] ?? { gold: 0, found: 0 };
      form.gold++;
      if (found) {
        a.found++;
        form.found++;
      } else missed.push({ form: g.form, value: item.text.slice(g.start, g.end), sentence: g.sentence });
      forms[g.form] = form;
    }
    opts.onProgress?.(i + 1, set.length);
  });
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  return {
    texts: set.length,
    untouched: set.filter((t) => t.gold.length === 0).length,
    characters,
    families: FAMILIES.map((family) => {
      const a = acc.get(family) as NonNullable<ReturnType<typeof acc.get>>;
      return {
        family,
        gold: a.gold,
        found: a.found,
        predicted: a.predicted,
        truePositives: a.tp,
        predictedHigh: a.predictedHigh,
        truePositivesHigh: a.tpHigh,
        precision: ratio(a.tp, a.predicted),
        precisionHigh: ratio(a.tpHigh, a.predictedHigh),
        recall: ratio(a.found, a.gold),
      };
    }),
    falsePositives,
    forms,
    missed,
    detectMs,
  };
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** The per-family table as Markdown rows (also printed by the script). */
export function familyTable(e: Evaluation): string {
  const rows = e.families.map(
    (f) =>
      `| ${f.family} | ${f.gold} | ${f.found} | ${fmt(f.recall)} | ${f.predicted} | ${fmt(f.precision)} | ${f.predictedHigh} | ${fmt(f.precisionHigh)} |`,
  );
  return [
    '| kind | gold spans | found | recall | flags | precision | high flags | precision (high) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
