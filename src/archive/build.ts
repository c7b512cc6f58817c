/**
 * Building one record: field checks that turn a bad value into a rejection with a clear reason, and the final
 * invariant check so that no parser can emit half a record.
 */
import {
  type ArchivedPetitionRecord,
  type ArchivedResponse,
  RECORD_DEFAULTS,
  type RecordFields,
} from './record.js';
import { cleanTitle, isCalendarDate, parseCount, parseIsoDate, removeNul, show } from './text.js';

/** Thrown by a format mapper for a row that cannot become a record; parse-file turns it into a RejectedRow. */
export class RowRejection extends Error {
  override readonly name = 'RowRejection';
}

export function reject(reason: string): never {
  throw new RowRejection(reason);
}

/**
 * Longest title an archived record may have (characters). Some crawls glued text into titles; the real CWD list
 * has titles of up to ~900 characters. Matches the `petitions` table's check constraint.
 */
export const MAX_ARCHIVED_TITLE_LENGTH = 2000;

/** Plausible dates of a petition (inclusive); also keeps every date inside what the database stores. */
export const EARLIEST_DATE = '1990-01-01';
export const LATEST_DATE = '2100-12-31';

/** Largest agreement count accepted (the database column is a 32-bit integer; the largest real count is ~6 million). */
export const MAX_AGREEMENT_COUNT = 2_000_000_000;

/** A non-empty title (cleaned), or a rejection naming the field. */
export function requireTitle(raw: unknown, field: string): string {
  if (raw === undefined || raw === null) reject(`${field} (title) is missing`);
  if (typeof raw !== 'string') reject(`${field} (title) is not text: ${show(raw)}`);
  const t = cleanTitle(raw);
  if (t === '') reject(`${field} (title) is empty`);
  return t;
}

/** A real calendar date 'YYYY-MM-DD', or a rejection naming the field and value. */
export function requireDate(raw: unknown, field: string): string {
  const d = parseIsoDate(raw);
  if (d === null) {
    if (raw === undefined || raw === null || raw === '') reject(`${field} (date) is missing`);
    reject(`${field} is not a valid calendar date 'YYYY-MM-DD': ${show(raw)}`);
  }
  return d;
}

/** A whole number ≥ 0, or a rejection naming the field and value. */
export function requireCount(raw: unknown, field: string): number {
  const n = parseCount(raw);
  if (n === null) {
    if (raw === undefined || raw === null || raw === '') reject(`${field} (agreement count) is missing`);
    reject(`${field} is not a whole number ≥ 0: ${show(raw)}`);
  }
  return n;
}

/** A non-empty id (trimmed), from a string or a non-negative integer. */
export function requireId(raw: unknown, field: string): string {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  if (typeof raw === 'string' && raw.trim() !== '') return removeNul(raw).trim();
  reject(`${field} (id) is missing or invalid: ${show(raw)}`);
}

/** Checks `lastDay >= openedOn`, naming the source fields. */
export function requireOrder(
  openedOn: string,
  lastDay: string,
  openedField: string,
  lastField: string,
): void {
  if (lastDay < openedOn) reject(`${lastField} (${lastDay}) is before ${openedField} (${openedOn})`);
}

function nul(s: string): string {
  return removeNul(s);
}
function nulOrNull(s: string | null): string | null {
  return s === null ? null : removeNul(s);
}

/**
 * The last gate: removes U+0000 from every text field and checks the contract's invariants (non-empty source id
 * and title, real dates, lastDay ≥ openedOn, integer count ≥ 0, ISO instants). Rejects instead of emitting a
 * record that breaks them.
 */
export function finishRecord(r: ArchivedPetitionRecord): ArchivedPetitionRecord {
  const response: ArchivedResponse | null =
    r.response === null
      ? null
      : {
          body: nul(r.response.body),
          summary: nulOrNull(r.response.summary),
          publishedAt: r.response.publishedAt,
        };
  const out: ArchivedPetitionRecord = {
    source: r.source,
    sourceId: nul(r.sourceId).trim(),
    profile: r.profile,
    title: nul(r.title).trim(),
    body: nulOrNull(r.body),
    category: nulOrNull(r.category),
    openedOn: r.openedOn,
    lastDay: r.lastDay,
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    agreementCount: r.agreementCount,
    sourceState: nul(r.sourceState),
    answered: r.answered,
    ...(r.answeredAt !== undefined ? { answeredAt: r.answeredAt } : {}),
    response,
    sourceUrl: nulOrNull(r.sourceUrl),
    ...(r.thresholdsReachedAt !== undefined ? { thresholdsReachedAt: r.thresholdsReachedAt } : {}),
    ...(r.debate !== undefined ? { debate: r.debate } : {}),
    ...(r.areaCounts !== undefined
      ? {
          areaCounts: r.areaCounts.map((a) => ({
            ...a,
            code: nul(a.code),
            name: nul(a.name),
            mp: nulOrNull(a.mp),
          })),
        }
      : {}),
    ...(r.details !== undefined ? { details: r.details } : {}),
  };
  if (out.sourceId === '') reject('the source id is empty');
  if (out.title === '') reject('the title is empty');
  if (out.title.length > MAX_ARCHIVED_TITLE_LENGTH) {
    reject(`the title is ${out.title.length} characters long (at most ${MAX_ARCHIVED_TITLE_LENGTH})`);
  }
  if (out.body === '') out.body = null;
  if (out.category === '') out.category = null;
  if (!isCalendarDate(out.openedOn)) reject(`openedOn is not a calendar date: ${show(out.openedOn)}`);
  if (!isCalendarDate(out.lastDay)) reject(`lastDay is not a calendar date: ${show(out.lastDay)}`);
  for (const [name, date] of [
    ['the first day', out.openedOn],
    ['the last day', out.lastDay],
  ] as const) {
    if (date < EARLIEST_DATE || date > LATEST_DATE) {
      reject(`${name} (${date}) is outside ${EARLIEST_DATE}..${LATEST_DATE}: not a date of a real petition`);
    }
  }
  if (out.agreementCount > MAX_AGREEMENT_COUNT) {
    reject(
      `the agreement count ${out.agreementCount} is larger than any real petition's (at most ${MAX_AGREEMENT_COUNT})`,
    );
  }
  if (out.lastDay < out.openedOn)
    reject(`the last day (${out.lastDay}) is before the first day (${out.openedOn})`);
  if (!Number.isSafeInteger(out.agreementCount) || out.agreementCount < 0) {
    reject(`the agreement count is not a whole number ≥ 0: ${show(out.agreementCount)}`);
  }
  for (const [k, v] of [
    ['openedAt', out.openedAt],
    ['closedAt', out.closedAt],
    ['response.publishedAt', out.response?.publishedAt ?? null],
    ['answeredAt', out.answeredAt ?? null],
    ['thresholdsReachedAt.response', out.thresholdsReachedAt?.response ?? null],
    ['thresholdsReachedAt.debate', out.thresholdsReachedAt?.debate ?? null],
  ] as const) {
    if (v !== null && Number.isNaN(Date.parse(v))) reject(`${k} is not an instant: ${show(v)}`);
  }
  for (const a of out.areaCounts ?? []) {
    if (!Number.isSafeInteger(a.count) || a.count < 0 || a.count > MAX_AGREEMENT_COUNT) {
      reject(`the ${a.scope} count of ${show(a.name)} is not a whole number ≥ 0: ${show(a.count)}`);
    }
  }
  if (out.response !== null && out.response.body.trim() === '') out.response = null;
  return out;
}

/**
 * A finished record from what a source says: the fields it leaves unsaid take `RECORD_DEFAULTS` (record.ts), then
 * `finishRecord` cleans and checks the whole. Every format mapper builds its records here.
 * @throws RowRejection when the record breaks an invariant (see `finishRecord`)
 */
export function buildRecord(fields: RecordFields): ArchivedPetitionRecord {
  return finishRecord({ ...RECORD_DEFAULTS, ...fields });
}
