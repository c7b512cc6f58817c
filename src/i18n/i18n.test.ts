import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import {
  CATALOGS,
  errorMessage,
  formatCount,
  formatDate,
  formatList,
  formatPeriod,
  LOCALES,
  t,
} from './index.js';

/** The arguments a message uses, with the kind of value each takes (walks the ICU AST, plural branches included). */
function argumentsOf(message: string): Map<string, 'number' | 'text' | 'date'> {
  const found = new Map<string, 'number' | 'text' | 'date'>();
  // type numbers of @formatjs/icu-messageformat-parser: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural
  const walk = (elements: any[]) => {
    for (const el of elements) {
      if (el.type === 1 || el.type === 5) found.set(el.value, found.get(el.value) ?? 'text');
      if (el.type === 2 || el.type === 6) found.set(el.value, 'number');
      if (el.type === 3 || el.type === 4) found.set(el.value, 'date');
      for (const option of Object.values(el.options ?? {}) as any[]) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en').getAst());
  return found;
}

describe('message catalogs', () => {
  it('have the same keys in Korean and English', () => {
    expect(Object.keys(CATALOGS.en).sort()).toEqual(Object.keys(CATALOGS.ko).sort());
  });

  it('use the same arguments in both languages, and every message formats with sample values', () => {
    for (const key of Object.keys(CATALOGS.ko) as Array<keyof typeof CATALOGS.ko>) {
      const args = argumentsOf(CATALOGS.ko[key]);
      expect([...argumentsOf(CATALOGS.en[key]).keys()].sort(), key).toEqual([...args.keys()].sort());
      const values = Object.fromEntries(
        [...args].map(([name, kind]) => [name, kind === 'number' ? 2 : kind === 'date' ? new Date() : 'x']),
      );
      for (const locale of LOCALES) {
        const text = t(locale, key, values);
        expect(text.length, `${locale} ${key}`).toBeGreaterThan(0);
        expect(text, `${locale} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('formats counts per locale, with English plurals', () => {
    expect(formatCount('ko', 2_715_626)).toBe('2,715,626명');
    expect(formatCount('en', 2_715_626)).toBe('2,715,626 agreements');
    expect(formatCount('en', 1)).toBe('1 agreement');
    expect(formatCount('en', 2)).toBe('2 agreements');
    expect(formatCount('en', 0)).toBe('0 agreements');
    expect(t('en', 'list.total', { count: 1 })).toBe('1 petition');
    expect(t('ko', 'list.total', { count: 1234 })).toBe('1,234건');
  });

  it('formats dates in the profile’s time zone, and a period up to the last day before the exclusive end', () => {
    // 2020-04-17 15:30 UTC is already 18 April in Seoul
    expect(formatDate('ko', new Date('2020-04-17T15:30:00Z'), 'Asia/Seoul')).toBe('2020. 4. 18.');
    expect(formatDate('en', new Date('2020-04-17T15:30:00Z'), 'Asia/Seoul')).toBe('18 Apr 2020');
    expect(formatDate('en', new Date('2020-04-17T15:30:00Z'), 'Europe/London')).toBe('17 Apr 2020');
    const opened = new Date('2020-03-17T15:00:00Z'); // 18 March 00:00 in Seoul
    const closes = new Date('2020-04-17T15:00:00Z'); // 18 April 00:00 in Seoul: the last day is 17 April
    expect(formatPeriod('ko', opened, closes, 'Asia/Seoul')).toBe('2020. 3. 18. ~ 2020. 4. 17.');
    // thin spaces around the dash, as CLDR has them
    expect(formatPeriod('en', opened, closes, 'Asia/Seoul')).toBe('18 Mar\u2009–\u200917 Apr 2020');
    expect(formatPeriod('en', opened, null, 'Asia/Seoul')).toBe('18 Mar 2020 ~ ');
    expect(formatPeriod('en', null, null, 'Asia/Seoul')).toBe('');
  });

  it('joins lists per locale', () => {
    expect(formatList('en', ['page', 'sort', 'category'])).toBe('page, sort and category');
    expect(formatList('ko', ['‘페이지’', '‘정렬’'])).toBe('‘페이지’ 및 ‘정렬’');
  });

  it('keeps an error message already in the language asked for, and uses the code’s sentence otherwise', () => {
    expect(errorMessage('ko', 'petition_not_found', '3번 청원을 찾을 수 없습니다.')).toBe(
      '3번 청원을 찾을 수 없습니다.',
    );
    expect(errorMessage('en', 'petition_not_found', '3번 청원을 찾을 수 없습니다.')).toBe(
      'There is no such petition.',
    );
    expect(errorMessage('ko', 'not_found', 'No API resource at /api/v1/x.')).toBe(
      '요청하신 것을 찾을 수 없습니다.',
    );
    expect(errorMessage('en', 'not_found', 'No API resource at /api/v1/x.')).toBe(
      'No API resource at /api/v1/x.',
    );
  });
});
