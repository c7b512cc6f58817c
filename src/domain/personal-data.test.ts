import { describe, expect, it } from 'vitest';
import {
  applyMasks,
  detectPersonalData,
  PERSONAL_DATA_KINDS,
  type PersonalDataFlag,
  type PersonalDataKind,
} from './personal-data.js';
import {
  cardIssuer,
  ibanValid,
  isRrnFront,
  luhnCheckDigit,
  luhnValid,
  rrnCheckDigit,
  rrnCheckDigitValid,
} from './personal-data-numbers.js';

/** The flags of `text` as `kind:text` strings. */
const found = (text: string) => detectPersonalData(text).map((f) => `${f.kind}:${f.text}`);
const only = (text: string): PersonalDataFlag => {
  const flags = detectPersonalData(text);
  expect(flags, JSON.stringify(flags)).toHaveLength(1);
  return flags[0] as PersonalDataFlag;
};

// Synthetic numbers, check digits computed here.
const RRN_FRONT12 = '900101123456';
const RRN = `${RRN_FRONT12}${rrnCheckDigit(RRN_FRONT12)}`; // 900101-1234568
const FOREIGN12 = '850315512345';
const FOREIGN_RRN = `${FOREIGN12}${rrnCheckDigit(FOREIGN12)}`;
const VISA = '4111111111111111';

describe('check digits', () => {
  it('computes the 주민등록번호 check digit, citizens and foreigners', () => {
    expect(RRN).toBe('9001011234568');
    expect(rrnCheckDigitValid(RRN)).toBe(true);
    expect(rrnCheckDigitValid('9001011234567')).toBe(false);
    expect(rrnCheckDigitValid(FOREIGN_RRN)).toBe(true);
    // The foreigner formula differs by 2 from the citizen one.
    expect(
      (rrnCheckDigit(FOREIGN12) - rrnCheckDigit(`${FOREIGN12.slice(0, 6)}1${FOREIGN12.slice(7)}`) + 10) % 10,
    ).not.toBe(0);
    expect(() => rrnCheckDigit('12345')).toThrow(RangeError);
  });

  it('accepts only real dates in the century the 7th digit states', () => {
    expect(isRrnFront('0002293')).toBe(true); // 2000-02-29
    expect(isRrnFront('0102293')).toBe(false); // 2001-02-29
    expect(isRrnFront('9913011')).toBe(false); // month 13
    expect(isRrnFront('9001019')).toBe(false); // born in the 1800s
  });

  it('checks Luhn and issuer prefixes', () => {
    expect(luhnValid(VISA)).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(cardIssuer(VISA)).toBe('visa');
    expect(cardIssuer('5500000000000004')).toBe('mastercard');
    expect(cardIssuer('378282246310005')).toBe('amex');
    expect(cardIssuer('1234567812345670')).toBeNull();
    expect(ibanValid('GB29NWBK60161331926819')).toBe(true);
    expect(ibanValid('GB28NWBK60161331926819')).toBe(false);
  });
});

describe('resident registration numbers', () => {
  it('flags a valid number in the forms people write it, Hangul glued around', () => {
    for (const form of [
      '900101-1234568',
      '900101 1234568',
      '9001011234568',
      '900101 - 1234568',
      '900101–1234568',
    ])
      expect(only(`주민번호${form}입니다`)).toMatchObject({
        kind: 'rrn',
        confidence: 'high',
        mask: '900101-*******',
      });
    expect(only(`외국인등록번호 ${FOREIGN_RRN.slice(0, 6)}-${FOREIGN_RRN.slice(6)}`).kind).toBe(
      'foreigner_rrn',
    );
  });

  it('flags post-2020 numbers without a valid check digit in two groups (dash or one space) or next to a keyword', () => {
    expect(only('가입 번호 900101-1234567 입니다')).toMatchObject({ kind: 'rrn', confidence: 'review' });
    expect(only('우리 아이 번호 900101 1234567 로 가입')).toMatchObject({
      kind: 'rrn',
      text: '900101 1234567',
      confidence: 'review',
      mask: '900101-*******',
    });
    expect(only('주민등록번호 9001011234567')).toMatchObject({ kind: 'rrn', confidence: 'high' });
    expect(found('주문번호 9001011234567')).toEqual([]);
    expect(found('주문번호 900101  1234567')).toEqual([]);
  });

  it('takes English cue words for a number whose check digit fails', () => {
    for (const cue of ['resident number', 'resident registration no.', 'registration number', 'national ID'])
      expect(only(`my ${cue} 9001011234567 was leaked`)).toMatchObject({ kind: 'rrn', confidence: 'high' });
  });

  it('ignores numbers whose front is no date', () => {
    expect(found('주민번호 991301-1234568')).toEqual([]);
    expect(found('문서번호 123456-9876543')).toEqual([]);
  });
});

describe('phone numbers', () => {
  it.each([
    ['제 번호는 010 1234 5678 입니다', '010 1234 5678'],
    ['연락처: 01012345678', '01012345678'],
    ['번호는010-1234-5678이에요', '010-1234-5678'],
    ['010.1234.5678', '010.1234.5678'],
    ['010 - 1234 - 5678', '010 - 1234 - 5678'],
    ['+82 10-1234-5678로 연락', '+82 10-1234-5678'],
    ['+821012345678', '+821012345678'],
    ['０１０－１２３４－５６７８', '０１０－１２３４－５６７８'],
    ['010ㅡ1234ㅡ5678', '010ㅡ1234ㅡ5678'],
    ['공일공 일이삼사 오육칠팔로 문자주세요', '공일공 일이삼사 오육칠팔'],
    ['번호는 공일공-1234-5678이에요', '공일공-1234-5678'],
    ['(010)1234-5678', '(010)1234-5678'],
    ['call me on 07700 900123', '07700 900123'],
    ['+44 7700 900123', '+44 7700 900123'],
  ])('mobile: %s', (text, span) => {
    expect(only(text)).toMatchObject({ kind: 'phone_mobile', text: span, confidence: 'high' });
  });

  it('leaves a parenthesis around the whole number outside the span, so the masked text keeps both', () => {
    expect(found('학교 행정실(031-552-8841)에 전화했지만')).toEqual(['phone_landline:031-552-8841']);
    expect(found('(010-1234-5678)')).toEqual(['phone_mobile:010-1234-5678']);
    expect(found('집 (02)1234-5678, (031) 229-4455')).toEqual([
      'phone_landline:(02)1234-5678',
      'phone_landline:(031) 229-4455',
    ]);
  });

  it('masks the middle group and keeps the area code and the last four digits', () => {
    expect(only('제 번호는 010 1234 5678 입니다').mask).toBe('010-****-5678');
    expect(only('공일공 일이삼사 오육칠팔').mask).toBe('010-****-5678');
    expect(only('+82 10-1234-5678').mask).toBe('+82 10-****-5678');
  });

  it.each([
    ['02-123-4567', '02-123-4567'],
    ['사무실 031-123-4567로', '031-123-4567'],
    ['(02) 1234-5678', '(02) 1234-5678'],
    ['051)123-4567', '051)123-4567'],
    ['070-1234-5678', '070-1234-5678'],
    ['+82 2 1234 5678', '+82 2 1234 5678'],
    ['전화 0212345678', '0212345678'],
    ['ring (555) 012-3456 now', '(555) 012-3456'],
    ['555-012-3456', '555-012-3456'],
    ['020 7946 0018', '020 7946 0018'],
    ['0161 496 0000', '0161 496 0000'],
  ])('landline: %s', (text, span) => {
    expect(only(text)).toMatchObject({ kind: 'phone_landline', text: span });
  });

  it('leaves business representative numbers, toll-free numbers and hotlines alone', () => {
    expect(found('고객센터 1588-1234 또는 1577-0000, 1661-1234로 문의')).toEqual([]);
    expect(found('수신자부담 080-123-4567, 여성긴급전화 1366, 112에 신고')).toEqual([]);
  });

  it('does not read a longer number, a bare landline without a phone word, or a Hangul particle as a phone', () => {
    expect(found('문서 4549-02-123-8147 참조')).toEqual([]);
    expect(found('코드 0212345678')).toEqual([]);
    expect(found('가해자 번호는011-808-7336이고 영구 보존')).toEqual(['phone_mobile:011-808-7336']);
    expect(found('2019-2020년, 1234-5678')).toEqual([]);
  });
});

describe('email addresses', () => {
  it('flags addresses glued to Hangul, and bracket obfuscations for review', () => {
    expect(found('메일은hong.gil@naver.com으로 주세요')).toEqual(['email:hong.gil@naver.com']);
    expect(only('hong@gmail.com입니다').mask).toBe('h***@gmail.com');
    expect(only('write to j.smith@example.co.uk.')).toMatchObject({
      text: 'j.smith@example.co.uk',
      confidence: 'high',
    });
    expect(only('john(at)example(dot)com')).toMatchObject({ kind: 'email', confidence: 'review' });
    expect(only('ｈｏｎｇ＠ｇｍａｉｌ．ｃｏｍ').kind).toBe('email');
  });

  it('flags addresses written with spaces around @, the whole address as one span', () => {
    for (const [text, span] of [
      ['제보는 sky1234 @ daum.net 으로', 'sky1234 @ daum.net'],
      ['이메일: minji_kim@ gmail.com', 'minji_kim@ gmail.com'],
      ['Reply to thomas.p @outlook.com please', 'thomas.p @outlook.com'],
    ])
      expect(only(text as string)).toMatchObject({ kind: 'email', text: span, confidence: 'high' });
    expect(only('j.smith @ example.co.uk').mask).toBe('j***@example.co.uk');
  });

  it('does not flag prose with "at" or @, or a bare @handle', () => {
    expect(found('Email me at the office. Meet at noon.')).toEqual([]);
    expect(
      found('트위터 @someone 계정, 회비 @ 10,000원, price @ 5.99 each, email us @ the usual place'),
    ).toEqual([]);
  });
});

describe('cards and bank accounts', () => {
  it('flags Luhn-valid card numbers with an issuer prefix, with and without separators', () => {
    for (const form of [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      VISA,
      '3782-822463-10005',
      '5500 0000 0000 0004',
    ])
      expect(only(`카드번호 ${form} 로 결제`)).toMatchObject({
        kind: 'card',
        text: form,
        confidence: 'high',
      });
    expect(only(`card ${VISA}`).mask).toBe('************1111');
    expect(only('4111-1111-1111-1111').mask).toBe('****-****-****-1111');
  });

  it('does not flag a 16-digit number failing Luhn or lacking an issuer', () => {
    expect(found('주문 4111111111111112 처리')).toEqual([]);
    expect(found('1234567812345670')).toEqual([]);
    expect(only('카드 1234-5678-9012-3456').confidence).toBe('review'); // 4-4-4-4 next to 카드: a person checks
  });

  it('flags account numbers in Korean banks’ forms only with a bank word nearby', () => {
    for (const [bank, number] of [
      ['국민은행', '123456-01-123456'],
      ['신한은행', '110-123-456789'],
      ['카카오뱅크', '3333-01-1234567'],
      ['농협', '302-1234-5678-91'],
      ['우리은행', '1002123456789'],
    ])
      expect(only(`후원계좌: ${bank} ${number} (예금주 홍길동)`)).toMatchObject({
        kind: 'bank_account',
        text: number,
      });
    expect(found('문서번호 123456-01-123456')).toEqual([]);
    expect(only('IBAN GB29 NWBK 6016 1331 9268 19').kind).toBe('bank_account');
  });
});

describe('addresses', () => {
  it.each([
    ['서울특별시 종로구 세종대로 209', '서울특별시 종로구 세종대로 209'],
    [
      '주소는 경기도 성남시 분당구 판교역로 235, 101동 1001호입니다',
      '경기도 성남시 분당구 판교역로 235, 101동 1001호',
    ],
    ['그 집은 중앙로12번길 34입니다', '중앙로12번길 34'],
    ['서울시 관악구 신림동 1234번지', '서울시 관악구 신림동 1234번지'],
    ['저는 역삼동 123-45에 살고 있습니다', '역삼동 123-45'],
    ['래미안아파트 101동 1001호', '래미안아파트 101동 1001호'],
    ['He lives at 221B Baker Street, London NW1 6XE now', '221B Baker Street, London NW1 6XE'],
  ])('flags %s', (text, span) => {
    expect(only(text)).toMatchObject({ kind: 'address', text: span });
  });

  it('flags a flat’s 동/호 without an apartment word, but not a district office or a 가 that is no street', () => {
    expect(found('푸르지오 112동 1501호 에 사는 사람')).toEqual(['address:112동 1501호']);
    expect(found('행정복지센터 1동 101호, 경계가 35번지 사유지 방향')).toEqual([]);
    expect(found('종로3가 123번지')).toEqual(['address:종로3가 123번지']);
  });

  it('keeps 시/도/구 in the mask', () => {
    expect(only('서울특별시 종로구 세종대로 209').mask).toBe('서울특별시 종로구 [주소 숨김]');
  });

  it('does not read the particle 로 followed by a number as a road', () => {
    expect(found('법적으로 2020년 이유로 3개월 최초로 1명 다시 1.5미터')).toEqual([]);
    expect(found('The Prime Minister at 10 Downing Street')).toEqual([]);
  });
});

describe('vehicle plates', () => {
  it('flags plates with and without region', () => {
    expect(found('12가3456 차량')).toEqual(['vehicle_plate:12가3456']);
    expect(found('차량번호123가 4567을')).toEqual(['vehicle_plate:123가 4567']);
    expect(only('서울12가3456').mask).toBe('서울12가****');
  });

  it('does not flag money, counts or court case numbers', () => {
    expect(found('13조 5000억원, 20대 1000명')).toEqual([]);
    expect(found('11조 7000 억 원, 46조 6971억에, 12조 3000만원, 0.14로 1000명중 1명')).toEqual([]);
    expect(found('대법원 1997.4.11. 선고 96도1234 판결')).toEqual([]);
  });

  it('flags a plate before a word that merely starts with a unit syllable', () => {
    for (const next of [
      '주인이',
      '주차 위반',
      '일대에서',
      '번호판',
      '여성 운전자',
      '회색',
      '명의로',
      '등록',
      '분실',
      '개인택시',
      '천천히',
      '세단',
    ])
      expect(found(`45라 6789 ${next}`), next).toEqual(['vehicle_plate:45라 6789']);
    expect(found('12가3456번 차량')).toEqual(['vehicle_plate:12가3456']);
  });
});

describe('chat invites and file-sharing links', () => {
  it.each([
    [
      't.me/joinchat/AAAAAEx_abc-123에서',
      't.me/joinchat/AAAAAEx_abc-123',
      'chat_invite',
      '[텔레그램 링크 숨김]',
    ],
    [
      'https://t.me/+AbCdEf12345 들어오세요',
      'https://t.me/+AbCdEf12345',
      'chat_invite',
      '[텔레그램 링크 숨김]',
    ],
    ['telegram.me/joinchat/BBBBBB 방', 'telegram.me/joinchat/BBBBBB', 'chat_invite', '[텔레그램 링크 숨김]'],
    [
      '오픈채팅 open.kakao.com/o/gAbCdEf 입니다',
      'open.kakao.com/o/gAbCdEf',
      'chat_invite',
      '[오픈채팅 링크 숨김]',
    ],
    ['방 discord.gg/abc123.', 'discord.gg/abc123', 'chat_invite', '[디스코드 초대 링크 숨김]'],
    [
      '영상 https://mega.nz/folder/abc#key 공유',
      'https://mega.nz/folder/abc#key',
      'file_share_link',
      '[파일 공유 링크 숨김]',
    ],
    [
      '자료 drive.google.com/file/d/1abc/view?usp=sharing 참조',
      'drive.google.com/file/d/1abc/view?usp=sharing',
      'file_share_link',
      '[파일 공유 링크 숨김]',
    ],
    [
      'www.dropbox.com/s/abc123/v.zip?dl=0에',
      'www.dropbox.com/s/abc123/v.zip?dl=0',
      'file_share_link',
      '[파일 공유 링크 숨김]',
    ],
  ])('%s', (text, span, kind, mask) => {
    expect(only(text)).toMatchObject({ text: span, kind, mask, confidence: 'high' });
  });

  it.each([
    ['tg://join?invite=Qm7pL2xVt9KcRz4w 방', 'tg://join?invite=Qm7pL2xVt9KcRz4w'],
    ['채널 tg://resolve?domain=room_n_2020.', 'tg://resolve?domain=room_n_2020'],
    ['링크: https://telegram.me/darkroom_share', 'https://telegram.me/darkroom_share'],
    ['채널 t.me/some_channel 참고', 't.me/some_channel'],
    ['https://telegram.me/s/leaks_room 미리보기', 'https://telegram.me/s/leaks_room'],
  ])('flags a Telegram deep link or named room as a chat invite to mask: %s', (text, span) => {
    expect(only(text)).toMatchObject({ kind: 'chat_invite', text: span, confidence: 'high' });
  });

  it('masks in English in English text, and ignores bare host names', () => {
    expect(only('join t.me/+AbCdEf12345').mask).toBe('[Telegram link hidden]');
    expect(found('텔레그램(t.me)과 dropbox.com 같은 서비스')).toEqual([]);
  });
});

describe('names of victims', () => {
  it('flags a name next to 피해자/故/victim for review, masked to the surname', () => {
    expect(only('피해자 김지영 씨는 아직도')).toMatchObject({
      kind: 'victim_name',
      text: '김지영',
      mask: '김○○',
      confidence: 'review',
    });
    expect(found('故 박서준 님의 죽음')).toEqual(['victim_name:박서준']);
    expect(found('이민수(15) 피해자의 부모')).toEqual(['victim_name:이민수']);
    expect(only('the victim, Sarah Smith, was 15')).toMatchObject({ text: 'Sarah Smith', mask: 'S. S.' });
  });

  it('does not flag words after 피해자, a bare surname with 씨, or victim support services', () => {
    expect(found('피해자 가족들은 피해자 보호를 원하고 피해자 신상을 지켜야 합니다. 피해자 김씨는')).toEqual(
      [],
    );
    expect(found('피해자라고 불러야')).toEqual([]);
    expect(found('Contact Victim Support Services today')).toEqual([]);
  });

  it('does not read kinship words after 피해자 as names (모 = mother), nor the press’s 김모 씨', () => {
    for (const kin of [
      '모는',
      '모가',
      '모친이',
      '이모가',
      '이모부가',
      '고모가',
      '조카도',
      '손자가',
      '남매는',
      '남동생은',
      '장남은',
      '신랑은',
      '배우자는',
      '여동생도',
    ])
      expect(found(`피해자 ${kin} 증언했습니다`), kin).toEqual([]);
    expect(found('피해자 김모 씨는, 피해자 이모(32) 씨, 피해자 모 씨는')).toEqual([]);
  });

  it('takes 고 (故 in Hangul) only with an honorific after the name, and leaves public office holders alone', () => {
    expect(found('고 한지우 씨의 유족입니다')).toEqual(['victim_name:한지우']);
    expect(found('최고 이수민 씨, 하고 김지영 씨, 고 김지영 이라는')).toEqual([]);
    expect(found('故 노무현 대통령, 故 박원순 서울특별시장, 고(故) 백선엽 장군')).toEqual([]);
  });

  it('does not read a word and its particle after 피해자 as a name', () => {
    expect(found('피해 아이의 부모님 마음을 알고, 피해자 위주로 된 법, 숨진 기사를 읽고')).toEqual([]);
    expect(found('US Victims Families From Fees')).toEqual([]);
  });

  it('finds a relative’s name after a kinship word, and a name with a particle after its honorific', () => {
    expect(found('피해자 모 김영희 씨가 청원합니다')).toEqual(['victim_name:김영희']);
    expect(found('피해자의 어머니 이정숙 씨는')).toEqual(['victim_name:이정숙']);
    expect(found('피해자 권서윤님이 원하는 것은')).toEqual(['victim_name:권서윤']);
  });
});

describe('merging, spans and masks', () => {
  it('lets the most specific reading win: email over the phone inside it, card over phone-like groups', () => {
    expect(found('01012345678@naver.com')).toEqual(['email:01012345678@naver.com']);
    expect(found(`카드 ${VISA}`)).toEqual([`card:${VISA}`]);
    expect(found('t.me/joinchat/01012345678abc')).toEqual(['chat_invite:t.me/joinchat/01012345678abc']);
  });

  const mixed =
    `제 번호는 010 1234 5678, 집 전화 02-123-4567, 메일 hong@gmail.com, 주민번호 ${RRN.slice(0, 6)}-${RRN.slice(6)}, ` +
    `카드 ${VISA}, 국민은행 123456-01-123456, 서울특별시 종로구 세종대로 209, 차량 12가3456, ` +
    't.me/+AbCdEf12345 그리고 mega.nz/file/abc#key 피해자 김지영 씨';

  it('finds every kind in one text, with spans inside the text that match `text`, sorted and disjoint', () => {
    const flags = detectPersonalData(mixed);
    const kinds = new Set<PersonalDataKind>(flags.map((f) => f.kind));
    for (const k of PERSONAL_DATA_KINDS.filter((k) => k !== 'foreigner_rrn')) expect(kinds, k).toContain(k);
    let last = 0;
    for (const f of flags) {
      expect(f.start).toBeGreaterThanOrEqual(last);
      expect(f.end).toBeGreaterThan(f.start);
      expect(f.end).toBeLessThanOrEqual(mixed.length);
      expect(mixed.slice(f.start, f.end)).toBe(f.text);
      last = f.end;
    }
  });

  it('masks so that the digits of numbers and the links are gone', () => {
    const masked = applyMasks(mixed, detectPersonalData(mixed));
    for (const secret of [
      '1234 5678',
      '123-4567',
      'hong@',
      RRN.slice(6),
      VISA,
      '01-123456',
      '세종대로',
      '가3456',
      'AbCdEf',
      'abc#key',
      '김지영',
    ])
      expect(masked, secret).not.toContain(secret);
    expect(masked).toContain('010-****-5678');
    expect(detectPersonalData(masked).filter((f) => f.confidence === 'high')).toEqual([]);
  });

  it('keeps UTF-16 spans right around astral characters', () => {
    const text = '😀😀 연락처 010-1234-5678 👍';
    const f = only(text);
    expect(text.slice(f.start, f.end)).toBe('010-1234-5678');
    expect(applyMasks(text, [f])).toBe('😀😀 연락처 010-****-5678 👍');
  });

  it('refuses stale, overlapping or out-of-range flags', () => {
    const f = only('연락처 010-1234-5678');
    expect(() => applyMasks('연락처 010-1234-5679', [f])).toThrow(RangeError);
    expect(() => applyMasks('연락처 010-1234-5678', [f, f])).toThrow(RangeError);
    expect(() => applyMasks('짧음', [f])).toThrow(RangeError);
    expect(applyMasks('연락처 010-1234-5678', [])).toBe('연락처 010-1234-5678');
  });

  it('handles empty text, NUL bytes, lone surrogates and non-strings', () => {
    expect(detectPersonalData('')).toEqual([]);
    expect(found('\u0000010-1234-5678\u0000\ud800')).toEqual(['phone_mobile:010-1234-5678']);
    expect(() => detectPersonalData(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('adversarial input', () => {
  // Not timed: each must simply return (a catastrophically backtracking pattern would not, within the test timeout).
  const KB100 = 100 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(KB100 / unit.length)).slice(0, KB100);
  it.each([
    ['digits', fill('0')],
    ['dashed digits', fill('1-')],
    ['digit groups', fill('010 ')],
    ['letters', fill('a')],
    ['dotted labels', fill('a.')],
    ['at signs', fill('a@a')],
    ['Hangul digit words', fill('공일')],
    ['roads', fill('가로')],
    ['admin units', fill('서울시 ')],
    ['victims', fill('피해자 ')],
    ['links', fill('t.me/')],
    ['capitalised words', fill('Victim A ')],
    ['spaced at signs', fill('a @ a.')],
    ['deep links', fill('tg://join?')],
    ['kinship words', fill('피해자 모 ')],
    ['plates and units', fill('12가3456 억')],
    ['flat units', fill('12동 ')],
  ])('returns on 100 KB of %s', (_name, text) => {
    expect(Array.isArray(detectPersonalData(text))).toBe(true);
  });
});
