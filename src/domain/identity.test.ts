import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  canonicalEmail,
  canonicalName,
  displayName,
  type Identity,
  parseRegion,
  personKey,
  REGIONS,
  region,
  signerKey,
} from './identity.js';

/** Runs `fn` and returns the DomainError it throws (fails the test if it throws anything else or nothing). */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

const SECRET = 'k'.repeat(32);
const OTHER_SECRET = new Uint8Array(32).fill(7);

describe('canonicalEmail', () => {
  it('folds a Googlemail address with dots, a +tag and capitals to one Gmail mailbox', () => {
    expect(canonicalEmail('John.Smith+x@GoogleMail.com')).toBe('johnsmith@gmail.com');
    expect(canonicalEmail('  j.o.h.n.smith@GMAIL.COM ')).toBe('johnsmith@gmail.com');
  });

  it('lower-cases the whole address, local part included', () => {
    expect(canonicalEmail('Anna.Kim@Example.COM')).toBe('anna.kim@example.com');
  });

  it('keeps dots outside Gmail', () => {
    expect(canonicalEmail('anna.kim@naver.com')).toBe('anna.kim@naver.com');
  });

  it('converts internationalised domains to ASCII (punycode)', () => {
    expect(canonicalEmail('user@例え.jp')).toBe('user@xn--r8jz45g.jp');
    expect(canonicalEmail('홍길동@한국.kr')).toBe('홍길동@xn--3e0b707e.kr');
    expect(canonicalEmail('user@例え。jp')).toBe('user@xn--r8jz45g.jp');
  });

  it('treats a decomposed Korean local part like the composed one', () => {
    expect(canonicalEmail('홍길동@example.kr'.normalize('NFD'))).toBe('홍길동@example.kr');
  });

  it('folds +tags on every domain, so one inbox cannot sign twice', () => {
    expect(canonicalEmail('anna+petition1@naver.com')).toBe('anna@naver.com');
    expect(canonicalEmail('anna+petition2+again@naver.com')).toBe('anna@naver.com');
  });

  const invalid: Array<[string, string, string]> = [
    ['empty', '', 'empty'],
    ['white space only', ' \u3000 ', 'empty'],
    ['longer than 254 characters', `${'a'.repeat(60)}@${'b'.repeat(190)}.com`, 'too_long'],
    ['a null byte', 'anna\u0000@example.com', 'control_character'],
    ['a control character', 'anna\u0007@example.com', 'control_character'],
    ['a line break inside', 'anna@exa\nmple.com', 'control_character'],
    ['a zero-width space', 'an\u200Bna@example.com', 'control_character'],
    ['a space inside', 'anna kim@example.com', 'whitespace'],
    ['an ideographic space inside', 'anna\u3000kim@example.com', 'whitespace'],
    ['a quoted local part', '"anna@kim"@example.com', 'quoted'],
    ['no @', 'anna.example.com', 'missing_at'],
    ['two @', 'anna@kim@example.com', 'multiple_at'],
    ['an empty local part', '@example.com', 'empty_local_part'],
    ['a leading dot', '.anna@example.com', 'invalid_local_part'],
    ['a trailing dot', 'anna.@example.com', 'invalid_local_part'],
    ['two dots in a row', 'an..na@example.com', 'invalid_local_part'],
    ['a special character', 'an<na@example.com', 'invalid_local_part'],
    ['a local part over 64 bytes', `${'a'.repeat(65)}@example.com`, 'local_part_too_long'],
    ['an empty domain', 'anna@', 'empty_domain'],
    ['a domain without a dot', 'anna@localhost', 'domain_without_dot'],
    ['a domain with an empty label', 'anna@example..com', 'invalid_domain'],
    ['a trailing dot in the domain', 'anna@example.com.', 'invalid_domain'],
    ['a label starting with a hyphen', 'anna@-example.com', 'invalid_domain'],
    ['a label ending with a hyphen', 'anna@example-.com', 'invalid_domain'],
    ['an underscore in the domain', 'anna@ex_ample.com', 'invalid_domain'],
    ['a label longer than 63', `anna@${'a'.repeat(64)}.com`, 'invalid_domain'],
    ['invalid punycode', 'anna@xn--zz.com', 'invalid_domain'],
    ['a percent sign in the domain', 'anna@exa%mple.com', 'invalid_domain'],
    ['an IP address', 'anna@192.168.0.1', 'invalid_domain'],
    ['an address literal', 'anna@[192.168.0.1]', 'invalid_domain'],
    ['nothing before the +tag', '+x@example.com', 'empty_after_folding'],
    ['nothing but dots and a tag at Gmail', '+john.smith@gmail.com', 'empty_after_folding'],
  ];

  it.each(invalid)('refuses %s', (_label, raw, reason) => {
    const error = refusal(() => canonicalEmail(raw));
    expect(error.code).toBe('invalid_email');
    expect(error.details).toEqual({ field: 'email', reason });
    expect(error.message).not.toBe('');
  });

  it('accepts 254 characters exactly', () => {
    const raw = `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.com`;
    expect(raw.length).toBe(254);
    expect(canonicalEmail(raw)).toBe(raw);
  });

  it('refuses an IDN domain that is too long once converted to ASCII', () => {
    // Four labels of 18 different Hangul syllables: 78 characters, 242 in punycode (59 per label).
    const label = (offset: number) =>
      Array.from({ length: 18 }, (_, i) => String.fromCodePoint(0xac00 + offset + i * 397)).join('');
    const raw = `${'a'.repeat(20)}@${[label(0), label(7), label(13), label(29)].join('.')}.kr`;
    expect(raw.length).toBeLessThan(100);
    expect(refusal(() => canonicalEmail(raw)).details).toEqual({ field: 'email', reason: 'too_long' });
  });
});

describe('canonicalName and displayName', () => {
  it('keeps Hangul names whole', () => {
    expect(canonicalName('홍길동')).toBe('홍길동');
    expect(displayName(' 홍길동 ')).toBe('홍길동');
  });

  it('gives decomposed (NFD) Hangul the same result as composed (NFC)', () => {
    const nfd = '홍길동'.normalize('NFD');
    expect(nfd).not.toBe('홍길동');
    expect(canonicalName(nfd)).toBe('홍길동');
    expect(displayName(nfd)).toBe('홍길동');
  });

  it('folds case and collapses white space for comparison, but keeps case for display', () => {
    expect(canonicalName('ANNA  Kim')).toBe('anna kim');
    expect(canonicalName('\tAnna Kim\n')).toBe('anna kim');
    expect(displayName('ANNA  Kim')).toBe('ANNA Kim');
  });

  it('treats the ideographic space (U+3000) as white space', () => {
    expect(canonicalName('홍\u3000\u3000길동\u3000')).toBe('홍 길동');
    expect(displayName('\u3000Anna\u3000Kim')).toBe('Anna Kim');
  });

  it('keeps accented Latin letters and lower-cases them', () => {
    expect(canonicalName('ÉLODIE Müller')).toBe('élodie müller');
    expect(canonicalName('E\u0301lodie')).toBe('élodie');
  });

  it('accepts 100 characters and refuses 101 (counting code points, not UTF-16 units)', () => {
    const emoji = '𝓐'.repeat(100); // 2 UTF-16 units each
    expect(displayName(emoji)).toBe(emoji);
    for (const raw of ['가'.repeat(101), '𝓐'.repeat(101)]) {
      const error = refusal(() => canonicalName(raw));
      expect(error.code).toBe('invalid_name');
      expect(error.details).toEqual({ field: 'name', reason: 'too_long' });
    }
  });

  it('counts decomposed Hangul after composing it', () => {
    expect(canonicalName('가'.repeat(100).normalize('NFD'))).toBe('가'.repeat(100));
  });

  const invalid: Array<[string, string, string]> = [
    ['a null byte', 'Anna\u0000Kim', 'control_character'],
    ['a line break inside', 'Anna\nKim', 'control_character'],
    ['a DEL character', 'Anna\u007f', 'control_character'],
    ['a lone surrogate', 'Anna\uD800', 'control_character'],
    ['an empty name', '', 'empty'],
    ['white space only', ' \u3000\t ', 'empty'],
    ['only Hangul fillers', '\u3164\u3164', 'empty'],
    ['only zero-width characters', '\u200B\u200D', 'empty'],
  ];

  it.each(invalid)('refuses %s', (_label, raw, reason) => {
    for (const fn of [canonicalName, displayName]) {
      const error = refusal(() => fn(raw));
      expect(error.code).toBe('invalid_name');
      expect(error.details).toEqual({ field: 'name', reason });
    }
  });
});

describe('regions', () => {
  it('lists the 17 시·도 and overseas, with unique codes', () => {
    expect(REGIONS).toHaveLength(18);
    expect(REGIONS.filter((r) => r.kind === 'sido')).toHaveLength(17);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(18);
    expect(REGIONS.at(-1)).toMatchObject({ code: 'overseas', ko: '해외' });
    expect(region('jeonbuk')).toMatchObject({ ko: '전북특별자치도' });
  });

  it('parses codes, Korean names, English names and former names', () => {
    expect(parseRegion('seoul')).toBe('seoul');
    expect(parseRegion(' SEJONG ')).toBe('sejong');
    expect(parseRegion('서울특별시')).toBe('seoul');
    expect(parseRegion('제주특별자치도'.normalize('NFD'))).toBe('jeju');
    expect(parseRegion('서울')).toBe('seoul');
    expect(parseRegion('강원도')).toBe('gangwon');
    expect(parseRegion('전라북도')).toBe('jeonbuk');
    expect(parseRegion('South Gyeongsang Province')).toBe('gyeongnam');
    expect(parseRegion('해외')).toBe('overseas');
    for (const r of REGIONS) expect(parseRegion(r.ko)).toBe(r.code);
  });

  it('reads an absent region as null', () => {
    expect(parseRegion(undefined)).toBeNull();
    expect(parseRegion(null)).toBeNull();
    expect(parseRegion('')).toBeNull();
    expect(parseRegion('  ')).toBeNull();
  });

  it('refuses an unknown region', () => {
    for (const raw of ['tokyo', '북한', 'seoul2']) {
      const error = refusal(() => parseRegion(raw));
      expect(error.code).toBe('invalid_region');
      expect(error.details).toEqual({ field: 'region' });
    }
  });
});

describe('personKey', () => {
  it('keys an email identity by the canonical address', () => {
    expect(personKey({ kind: 'email', email: 'John.Smith+x@GoogleMail.com' })).toBe(
      'email:johnsmith@gmail.com',
    );
  });

  it('keys an OIDC login by issuer and subject, exactly as given', () => {
    expect(personKey({ kind: 'oidc', issuer: 'https://kauth.kakao.com', subject: 'AbC123' })).toBe(
      'oidc:https://kauth.kakao.com\nAbC123',
    );
  });

  it('keys a shared claim (연계정보 CI) the same whichever provider gave it', () => {
    const ci = 'ZmFrZS1jaS12YWx1ZQ==';
    expect(personKey({ kind: 'claim', claim: 'kr-ci', value: ci })).toBe(`claim:kr-ci\n${ci}`);
  });

  it('refuses invalid email identities with invalid_email', () => {
    expect(refusal(() => personKey({ kind: 'email', email: 'nope' })).code).toBe('invalid_email');
  });

  const invalid: Array<[string, Identity, string]> = [
    ['an empty issuer', { kind: 'oidc', issuer: '', subject: 's' }, 'issuer'],
    ['an empty subject', { kind: 'oidc', issuer: 'https://idp.example', subject: '' }, 'subject'],
    ['a separator inside the issuer', { kind: 'oidc', issuer: 'a\nb', subject: 's' }, 'issuer'],
    [
      'a null byte in the subject',
      { kind: 'oidc', issuer: 'https://idp.example', subject: 's\u0000' },
      'subject',
    ],
    ['an empty claim name', { kind: 'claim', claim: '', value: 'v' }, 'claim'],
    ['an empty claim value', { kind: 'claim', claim: 'kr-ci', value: '' }, 'value'],
    ['a tab in the claim value', { kind: 'claim', claim: 'kr-ci', value: 'a\tb' }, 'value'],
  ];

  it.each(invalid)('refuses %s', (_label, identity, field) => {
    const error = refusal(() => personKey(identity));
    expect(error.code).toBe('invalid_parameter');
    expect(error.details).toMatchObject({ field });
  });
});

describe('signerKey', () => {
  const person = personKey({ kind: 'email', email: 'anna@example.com' });

  it('is 64 lower-case hex characters and deterministic', () => {
    const key = signerKey(SECRET, '42', person);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(signerKey(SECRET, '42', person)).toBe(key);
  });

  it('differs per petition, per person and per secret', () => {
    const key = signerKey(SECRET, '42', person);
    expect(signerKey(SECRET, '43', person)).not.toBe(key);
    expect(signerKey(SECRET, '42', personKey({ kind: 'email', email: 'bora@example.com' }))).not.toBe(key);
    expect(signerKey(OTHER_SECRET, '42', person)).not.toBe(key);
    expect(signerKey(`${SECRET}x`, '42', person)).not.toBe(key);
  });

  it('is HMAC-SHA256 over petitionId, newline, personKey', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET).update('42\nemail:anna@example.com').digest('hex');
    expect(signerKey(SECRET, '42', person)).toBe(expected);
  });

  it('gives two spellings of the same Gmail address the same key', () => {
    const a = signerKey(SECRET, '7', personKey({ kind: 'email', email: 'John.Smith+x@GoogleMail.com' }));
    const b = signerKey(SECRET, '7', personKey({ kind: 'email', email: 'johnsmith@gmail.com' }));
    expect(a).toBe(b);
  });

  it('refuses a secret shorter than 32 bytes as a configuration error', () => {
    for (const secret of ['k'.repeat(31), new Uint8Array(31), '']) {
      let thrown: unknown;
      try {
        signerKey(secret, '42', person);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(DomainError);
      expect((thrown as Error).message).toMatch(/at least 32/);
    }
    // 11 Hangul syllables are 33 UTF-8 bytes: long enough though only 11 characters.
    expect(signerKey('가'.repeat(11), '42', person)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an empty petition id, a petition id with a newline, and an empty person key', () => {
    expect(refusal(() => signerKey(SECRET, '', person)).code).toBe('invalid_parameter');
    expect(refusal(() => signerKey(SECRET, '4\n2', person)).code).toBe('invalid_parameter');
    expect(refusal(() => signerKey(SECRET, '42', '')).code).toBe('invalid_parameter');
  });
});
