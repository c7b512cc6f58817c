import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  DEFAULT_PROFILE,
  effectiveSettings,
  findCategory,
  getProfile,
  isProfileCode,
  PROFILE_CODES,
  PROFILES,
  requireCategory,
  SETTING_KEYS,
  SETTING_SCHEMAS,
} from './policy-profiles.js';

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

// Labels exactly as the Blue House board wrote them (independent copy).
const CWD_LABELS = [
  '정치개혁',
  '외교/통일/국방',
  '일자리',
  '미래',
  '성장동력',
  '농산어촌',
  '보건복지',
  '육아/교육',
  '안전/환경',
  '저출산/고령화대책',
  '행정',
  '반려동물',
  '교통/건축/국토',
  '경제민주화',
  '인권/성평등',
  '문화/예술/체육/언론',
  '기타',
];

// Every label in the `category` column of na_petitions-assembly-dataset_jeongkyu.csv.
const ASSEMBLY_DATASET_LABELS = [
  '기타',
  '인권/성평등/노동',
  '교육',
  '보건의료',
  '수사/법무/사법제도',
  '정치/선거/국회운영',
  '저출산/고령화/아동/청소년/가족',
  '행정/지방자치',
  '외교/통일/국방/안보',
  '재난/안전/환경',
  '재정/세제/금융/예산',
  '국토/해양/교통',
  '문화/체육/관광/언론',
  '산업/통상',
  '과학기술/정보통신',
  '복지/보훈',
  '소비자/공정거래',
  '농업/임업/수산업/축산업',
];

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('policy profiles', () => {
  it('offers four profiles with cheongwadae as the default', () => {
    expect([...PROFILE_CODES]).toEqual(['cheongwadae', 'assembly', 'uk', 'wtp']);
    expect(DEFAULT_PROFILE).toBe('cheongwadae');
    expect(getProfile(DEFAULT_PROFILE).code).toBe('cheongwadae');
    for (const code of PROFILE_CODES) expect(PROFILES[code].code).toBe(code);
  });

  it('runs the Blue House rules: 17 categories, 100 pre-agreements, 30 days, 200,000, answer within 30 days of close', () => {
    const p = getProfile('cheongwadae');
    expect(p.timeZone).toBe('Asia/Seoul');
    expect(p.locale).toBe('ko');
    expect(p.categories).toHaveLength(17);
    expect(p.categories.map((c) => c.ko)).toEqual(CWD_LABELS);
    expect(p.defaults).toEqual({
      preAgreementThreshold: 100,
      preAgreementPeriod: { days: 30 },
      agreementPeriod: { days: 30 },
      responseThreshold: 200_000,
      debateThreshold: null,
      responseDeadline: { days: 30, from: 'close' },
    });
    expect(p.consequences).toEqual({ response: 'official_response', debate: null });
  });

  it('runs the National Assembly rules: 100 supporters, 30 days, 50,000 → committee referral, no fixed deadline', () => {
    const p = getProfile('assembly');
    expect(p.timeZone).toBe('Asia/Seoul');
    expect(p.defaults.preAgreementThreshold).toBe(100);
    expect(p.defaults.preAgreementPeriod).toEqual({ days: 30 });
    expect(p.defaults.agreementPeriod).toEqual({ days: 30 });
    expect(p.defaults.responseThreshold).toBe(50_000);
    expect(p.defaults.responseDeadline).toBeNull();
    expect(p.consequences.response).toBe('committee_referral');
    expect(p.categories).toHaveLength(18);
    for (const label of ASSEMBLY_DATASET_LABELS) expect(findCategory(p, label)?.ko, label).toBe(label);
  });

  it('runs the UK rules: 5 sponsors, 6 months, 10,000 → response in 21 days of crossing, 100,000 → debate', () => {
    const p = getProfile('uk');
    expect(p.timeZone).toBe('Europe/London');
    expect(p.locale).toBe('en');
    expect(p.defaults).toMatchObject({
      preAgreementThreshold: 5,
      agreementPeriod: { months: 6 },
      responseThreshold: 10_000,
      debateThreshold: 100_000,
      responseDeadline: { days: 21, from: 'threshold' },
    });
    expect(p.consequences).toEqual({ response: 'government_response', debate: 'debate_consideration' });
  });

  it('keeps We the People as an archive-only profile with the 2013 threshold', () => {
    const p = getProfile('wtp');
    expect(p.archiveOnly).toBe(true);
    expect(p.timeZone).toBe('America/New_York');
    expect(p.defaults.agreementPeriod).toEqual({ days: 30 });
    expect(p.defaults.responseThreshold).toBe(100_000);
    expect(findCategory(p, 'Civil Rights & Equality')?.code).toBe('civil-rights-equality');
  });

  it('gives every category a unique ASCII slug and both labels', () => {
    for (const code of PROFILE_CODES) {
      const cats = PROFILES[code].categories;
      expect(new Set(cats.map((c) => c.code)).size, code).toBe(cats.length);
      for (const c of cats) {
        expect(c.code, `${code}/${c.code}`).toMatch(SLUG);
        expect(c.ko.length).toBeGreaterThan(0);
        expect(c.en.length).toBeGreaterThan(0);
        expect(findCategory(code, c.code)).toBe(c);
        expect(findCategory(code, c.ko)).toBe(c);
        expect(findCategory(code, c.en)).toBe(c);
      }
    }
  });

  it('refuses an unknown profile', () => {
    const err = domainError(() => getProfile('blue-house'));
    expect(err.code).toBe('unknown_profile');
    expect(err.details).toMatchObject({ profile: 'blue-house' });
    expect(domainError(() => effectiveSettings('nope', {})).code).toBe('unknown_profile');
    expect(domainError(() => findCategory('nope', '기타')).code).toBe('unknown_profile');
    expect(isProfileCode('uk')).toBe(true);
    expect(isProfileCode('UK')).toBe(false);
  });

  it('cannot be changed at runtime by mutating the data', () => {
    const p = getProfile('cheongwadae');
    expect(() => {
      (p.defaults as { responseThreshold: number }).responseThreshold = 1;
    }).toThrow(TypeError);
    expect(p.defaults.responseThreshold).toBe(200_000);
  });
});

describe('categories', () => {
  it('finds a Blue House category by the label the archive writes', () => {
    expect(findCategory('cheongwadae', '인권/성평등')?.code).toBe('human-rights-gender-equality');
    expect(findCategory('cheongwadae', '기타')?.code).toBe('other');
    expect(findCategory('cheongwadae', '저출산/고령화대책')?.code).toBe('low-birth-rate-ageing');
  });

  it('normalises whitespace and case', () => {
    expect(findCategory('cheongwadae', '  외교 / 통일 / 국방 ')?.code).toBe('diplomacy-unification-defense');
    expect(findCategory('cheongwadae', '저출산/고령화 대책')?.code).toBe('low-birth-rate-ageing');
    expect(findCategory('cheongwadae', 'HUMAN-RIGHTS-GENDER-EQUALITY')?.ko).toBe('인권/성평등');
    expect(findCategory('cheongwadae', 'human rights  &  gender equality')?.ko).toBe('인권/성평등');
  });

  it('does not match a label of another profile or a partial label', () => {
    expect(findCategory('cheongwadae', '인권/성평등/노동')).toBeNull();
    expect(findCategory('assembly', '인권/성평등')).toBeNull();
    expect(findCategory('cheongwadae', '인권')).toBeNull();
    expect(findCategory('cheongwadae', '')).toBeNull();
    expect(findCategory('cheongwadae', '   ')).toBeNull();
  });

  it('requireCategory refuses an unknown category', () => {
    expect(requireCategory('assembly', '교육').code).toBe('education');
    const err = domainError(() => requireCategory('cheongwadae', '우주'));
    expect(err.code).toBe('unknown_category');
    expect(err.details).toEqual({ profile: 'cheongwadae', category: '우주' });
  });
});

describe('runtime settings', () => {
  it('lists the setting keys with a schema for each', () => {
    expect([...SETTING_KEYS].sort()).toEqual(Object.keys(SETTING_SCHEMAS).sort());
    expect(SETTING_KEYS).toEqual([
      'preAgreementThreshold',
      'preAgreementPeriod',
      'agreementPeriod',
      'responseThreshold',
      'debateThreshold',
      'responseDeadline',
    ]);
  });

  it('uses the defaults when nothing is overridden', () => {
    expect(effectiveSettings('cheongwadae', null)).toEqual(PROFILES.cheongwadae.defaults);
    expect(effectiveSettings('cheongwadae', undefined)).toEqual(PROFILES.cheongwadae.defaults);
    expect(effectiveSettings(PROFILES.uk, {})).toEqual(PROFILES.uk.defaults);
  });

  it('merges valid overrides over the defaults without touching the profile', () => {
    const s = effectiveSettings('cheongwadae', {
      responseThreshold: 150_000,
      agreementPeriod: { months: 1 },
      responseDeadline: null,
    });
    expect(s).toEqual({
      ...PROFILES.cheongwadae.defaults,
      responseThreshold: 150_000,
      agreementPeriod: { months: 1 },
      responseDeadline: null,
    });
    expect(PROFILES.cheongwadae.defaults.responseThreshold).toBe(200_000);
    expect(effectiveSettings('uk', { debateThreshold: null }).debateThreshold).toBeNull();
    expect(effectiveSettings('cheongwadae', { preAgreementThreshold: 0 }).preAgreementThreshold).toBe(0);
  });

  it.each([
    ['a number as text', { responseThreshold: '200000' }, 'responseThreshold'],
    ['a fraction', { responseThreshold: 1.5 }, 'responseThreshold'],
    ['zero threshold', { responseThreshold: 0 }, 'responseThreshold'],
    ['negative pre-agreements', { preAgreementThreshold: -1 }, 'preAgreementThreshold'],
    ['weeks', { agreementPeriod: { weeks: 2 } }, 'agreementPeriod'],
    ['zero days', { agreementPeriod: { days: 0 } }, 'agreementPeriod'],
    ['days and months', { agreementPeriod: { days: 30, months: 1 } }, 'agreementPeriod'],
    ['a null period', { agreementPeriod: null }, 'agreementPeriod'],
    ['a deadline from nowhere', { responseDeadline: { days: 30, from: 'open' } }, 'responseDeadline'],
    ['an unknown key', { threshold: 5 }, 'threshold'],
    ['a snake_case key', { response_threshold: 5 }, 'response_threshold'],
  ])('refuses %s with invalid_setting naming the key', (_name, overrides, key) => {
    const err = domainError(() => effectiveSettings('cheongwadae', overrides));
    expect(err.code).toBe('invalid_setting');
    expect(err.details).toMatchObject({ profile: 'cheongwadae', key });
    expect(err.message).toContain(key);
  });

  it('refuses overrides that are not an object', () => {
    for (const bad of [[], 'x', 42, true]) {
      const err = domainError(() => effectiveSettings('uk', bad));
      expect(err.code).toBe('invalid_setting');
      expect(err.details).toMatchObject({ key: null });
    }
  });

  it('refuses a debate threshold not above the response threshold', () => {
    const err = domainError(() => effectiveSettings('uk', { debateThreshold: 10_000 }));
    expect(err.code).toBe('invalid_setting');
    expect(err.details).toMatchObject({ key: 'debateThreshold' });
    expect(domainError(() => effectiveSettings('uk', { responseThreshold: 200_000 })).details).toMatchObject({
      key: 'debateThreshold',
    });
    expect(effectiveSettings('uk', { responseThreshold: 20_000 }).responseThreshold).toBe(20_000);
  });
});
