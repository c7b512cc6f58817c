import { IntlMessageFormat } from 'intl-messageformat';
import type { ErrorCode } from '../domain/errors.js';
import { FORMAT_TAG, type Locale } from './locale.js';
import { en } from './messages/en.js';
import { ko, type MessageKey } from './messages/ko.js';

export { asLocale, DEFAULT_LOCALE, FORMAT_TAG, LOCALES, type Locale, otherLocale } from './locale.js';
export type { MessageKey } from './messages/ko.js';

/** The catalogs, one per locale, with the same keys (ICU MessageFormat sources). */
export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { ko, en };

/** Values a message may interpolate: text, numbers (`{count, number}`, plurals) and instants (`{d, date}`). */
export type MessageValues = Record<string, string | number | Date>;

const compiled = new Map<string, IntlMessageFormat>();

/**
 * The message `key` in `locale`, formatted with `values` by FormatJS `intl-messageformat` (ICU MessageFormat:
 * `{count, number}명` → '2,715,626명'; `{count, plural, one {# agreement} other {# agreements}}` → '1 agreement',
 * '2 agreements'). Each message is parsed once per process and cached.
 * @throws Error when a value the message needs is missing (a programming error, caught by the catalog test)
 */
export function t(locale: Locale, key: MessageKey, values?: MessageValues): string {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(CATALOGS[locale][key], FORMAT_TAG[locale]);
    compiled.set(id, format);
  }
  return String(format.format(values));
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const listFormats = new Map<Locale, Intl.ListFormat>();

/** A grouped number: 200000 → '200,000' (both locales group by thousands). */
export function formatNumber(locale: Locale, n: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(FORMAT_TAG[locale]);
    numberFormats.set(locale, format);
  }
  return format.format(n);
}

/** An agreement count: ko '2,715,626명'; en '1 agreement', '2,715,626 agreements'. */
export function formatCount(locale: Locale, count: number): string {
  return t(locale, 'petition.count', { count });
}

function dateFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const id = `${locale}\u0000${timeZone}`;
  let format = dateFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(FORMAT_TAG[locale], { dateStyle: 'medium', timeZone });
    dateFormats.set(id, format);
  }
  return format;
}

/**
 * The calendar date of an instant in the IANA `timeZone` (the petition's profile's, e.g. Asia/Seoul), per locale:
 * ko '2020. 4. 17.', en '17 Apr 2020'. Empty for no instant.
 */
export function formatDate(locale: Locale, instant: Date | null | undefined, timeZone: string): string {
  return instant ? dateFormat(locale, timeZone).format(instant) : '';
}

/**
 * A petition's period from `openedAt` to the last day before the exclusive end `closesAt` (the start of the next
 * local day, so the last day is the local date of the millisecond before it), as a locale's date range:
 * ko '2020. 3. 18. ~ 2020. 4. 17.', en '18 Mar – 17 Apr 2020'. Either end may be missing; both missing → ''.
 */
export function formatPeriod(
  locale: Locale,
  openedAt: Date | null | undefined,
  closesAt: Date | null | undefined,
  timeZone: string,
): string {
  const lastDay = closesAt ? new Date(closesAt.getTime() - 1) : null;
  if (openedAt && lastDay && openedAt <= lastDay)
    return dateFormat(locale, timeZone).formatRange(openedAt, lastDay);
  const from = formatDate(locale, openedAt, timeZone);
  const to = formatDate(locale, lastDay, timeZone);
  return from || to ? `${from} ~ ${to}` : '';
}

/** A conjunction list per locale: ko '‘검색어’, ‘페이지’ 및 ‘정렬’'; en 'search text, page and sort'. */
export function formatList(locale: Locale, items: string[]): string {
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(FORMAT_TAG[locale], { type: 'conjunction' });
    listFormats.set(locale, format);
  }
  return format.format(items);
}

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * The message to show for an error in `locale`: the thrown message when it is already in that language (a Korean
 * message has Hangul; an English one has none), otherwise the catalog's sentence for the error's code — so an
 * English page never shows a Korean refusal and vice versa, at the cost of the specific detail (the code and
 * `details` still carry it).
 */
export function errorMessage(locale: Locale, code: ErrorCode, message: string): string {
  const isKorean = HANGUL.test(message);
  if (message && isKorean === (locale === 'ko')) return message;
  const key = `error.${code}`;
  // a code this build does not know (an error relayed from elsewhere) keeps its message
  return key in CATALOGS[locale] ? t(locale, key as MessageKey) : message;
}
