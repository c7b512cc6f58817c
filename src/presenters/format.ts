import { DateTime } from 'luxon';
import * as i18n from '../i18n/index.js';

/**
 * Agreement count as Korean readers expect it: 2715626 → '2,715,626명'. Korean pages not yet translated use
 * this; translated pages call `formatCount(locale, n)` of src/i18n.
 */
export function formatCount(n: number): string {
  return i18n.formatCount('ko', n);
}

/** Plain grouped number: 200000 → '200,000' (Korean; see `formatNumber(locale, n)` of src/i18n). */
export function formatNumber(n: number): string {
  return i18n.formatNumber('ko', n);
}

/** Local calendar date of an instant in `zone`, as 'YYYY-MM-DD' (e.g. Asia/Seoul). */
export function formatDate(instant: Date | null | undefined, zone: string): string {
  if (!instant) return '';
  return DateTime.fromJSDate(instant, { zone }).toISODate() ?? '';
}

/**
 * The last day of a period that ends at the exclusive instant `closesAt` (the start of the next local day):
 * the local date of the millisecond before it.
 */
export function formatLastDay(closesAt: Date | null | undefined, zone: string): string {
  if (!closesAt) return '';
  return formatDate(new Date(closesAt.getTime() - 1), zone);
}

/** Progress toward a threshold in whole percent, capped at 100 (0 when there is no threshold). */
export function progressPercent(count: number, threshold: number | null): number {
  if (!threshold || threshold <= 0) return 0;
  return Math.min(100, Math.floor((count / threshold) * 100));
}
