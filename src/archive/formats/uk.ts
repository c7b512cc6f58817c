/**
 * petition.parliament.uk `petitions/<id>.json`: `{ links, data: { type: 'petition', id, attributes: { action,
 * background, additional_details, state, signature_count, created_at, opened_at, closed_at, government_response:
 * { responded_on, summary, details, created_at, updated_at } | null, signatures_by_country[],
 * signatures_by_constituency[], signatures_by_region[], … } } }`. One petition per document (a list document
 * with `data: [...]` gives one record per element).
 *
 * Mapping: title = action; body = background + blank line + additional_details (empty parts skipped);
 * openedAt/closedAt = opened_at/closed_at (UTC instants as given); openedOn = opened_at's local date in
 * Europe/London; agreementCount = signature_count; sourceState = state; answered = government_response present;
 * response = { body: details (summary if details is empty), summary, publishedAt: the response's created_at, else
 * attributes.government_response_at, else responded_on at 00:00 London }.
 *
 * lastDay:
 *  - closed petitions: the site closes petitions with a job that runs at midnight after the deadline day
 *    (`closed_at` 2024-05-29T23:01Z = 00:01 BST on 30 May, the 2024 dissolution), so lastDay = the London date of
 *    closed_at, minus one day when closed_at is before 02:00 London time (this also covers a job stamped at
 *    00:00 UTC, which is 01:00 in British Summer Time); a petition closed later in the day (by hand) keeps that day;
 *  - no closed_at (a snapshot of an open petition, e.g. the 2019-03-24 snapshot of 241584 'Revoke Article 50'):
 *    state stays as the snapshot says ('open'), closedAt null, and lastDay = openedOn + 6 months (the site's
 *    standard period, `(open_at + 6.months).end_of_day`): 2019-02-20 → 2019-08-20. The count is the snapshot's
 *    (5,156,603), not the final total.
 * A petition without opened_at (rejected / never published) is rejected: it has no agreement period.
 * `creator_name` is never read.
 *
 * Nothing else the document holds is dropped: `response_threshold_reached_at` / `debate_threshold_reached_at` →
 * `thresholdsReachedAt`; the debate track → `debate` (see `ukDebate`); `signatures_by_country`,
 * `signatures_by_constituency`, `signatures_by_region` → `areaCounts` (imported aggregates, in the source's order);
 * every other attribute (debate links and overview, departments, topics, moderation threshold time, committee
 * note, the government response's own dates, …) → `details`, as published.
 */
import { DateTime } from 'luxon';
import { addToLocalDate } from '../../domain/closing-dates.js';
import { DomainError } from '../../domain/errors.js';
import { buildRecord, reject, requireCount, requireId, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord, ArchivedResponse } from '../record.js';
import { cleanBody, isObject, parseIsoDate, show } from '../text.js';

export const UK_ZONE = 'Europe/London';
export const UK_PERIOD_MONTHS = 6;

/** An ISO-8601 instant field → normalised 'YYYY-MM-DDTHH:mm:ss.sssZ'; null when null/absent; rejects garbage. */
function instant(v: unknown, field: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string') reject(`${field} is not an ISO-8601 instant: ${show(v)}`);
  const dt = DateTime.fromISO(v, { setZone: true });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}T/.test(v))
    reject(`${field} is not a valid ISO-8601 instant: ${show(v)}`);
  return dt.toUTC().toISO() as string;
}

function londonDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: UK_ZONE }).toISODate() as string;
}

/** Last day open for a petition closed at `closedAt` (see module comment). */
export function ukLastDayFromClosedAt(closedAt: string): string {
  const local = DateTime.fromISO(closedAt, { zone: UK_ZONE });
  return (local.hour < 2 ? local.minus({ days: 1 }) : local).toISODate() as string;
}

/** The `data` objects of a petition JSON document (one, or several for a list document). */
export function ukPetitionData(doc: unknown): unknown[] {
  if (!isObject(doc)) reject('the JSON document is not an object');
  const data = doc.data;
  if (Array.isArray(data)) return data;
  if (isObject(data)) return [data];
  return reject('the JSON document has no "data" object');
}

/** Maps one `data` object of a petition document. */
export function mapUkPetition(data: unknown): ArchivedPetitionRecord {
  if (!isObject(data)) reject('"data" is not an object');
  const a = data.attributes;
  if (!isObject(a)) reject('data.attributes is missing');
  const sourceId = requireId(data.id, 'data.id');
  if (!/^\d+$/.test(sourceId)) reject(`data.id is not a petition number: ${show(data.id)}`);
  const title = requireTitle(a.action, 'action');
  const state =
    typeof a.state === 'string' && a.state.trim() !== '' ? a.state.trim() : reject('state is missing');
  const openedAt = instant(a.opened_at, 'opened_at');
  if (openedAt === null)
    reject(`opened_at is missing: the petition never opened (state ${JSON.stringify(state)})`);
  const closedAt = instant(a.closed_at, 'closed_at');
  const openedOn = londonDate(openedAt);
  const lastDay =
    closedAt !== null
      ? ukLastDayFromClosedAt(closedAt)
      : addToLocalDate(openedOn, { months: UK_PERIOD_MONTHS });
  const agreementCount = requireCount(a.signature_count, 'signature_count');
  const parts = [a.background, a.additional_details]
    .map((p) => (typeof p === 'string' ? cleanBody(p) : null))
    .filter((p): p is string => p !== null);
  const gr = a.government_response;
  let response: ArchivedResponse | null = null;
  if (isObject(gr)) {
    const details = typeof gr.details === 'string' ? cleanBody(gr.details) : null;
    const summary = typeof gr.summary === 'string' ? cleanBody(gr.summary) : null;
    const respondedOn = parseIsoDate(gr.responded_on);
    const publishedAt =
      instant(gr.created_at, 'government_response.created_at') ??
      instant(a.government_response_at, 'government_response_at') ??
      (respondedOn === null
        ? null
        : (DateTime.fromISO(respondedOn, { zone: UK_ZONE }).toUTC().toISO() as string));
    const body = details ?? summary;
    response = body === null ? null : { body, summary, publishedAt };
  } else if (gr !== null && gr !== undefined) {
    reject(`government_response is not an object: ${show(gr)}`);
  }
  let regional: UkRegionalCounts;
  try {
    regional = ukRegionalCounts(data);
  } catch (e) {
    if (e instanceof DomainError) reject(e.message);
    throw e;
  }
  return buildRecord({
    source: 'uk',
    sourceId,
    profile: 'uk',
    title,
    body: parts.length === 0 ? null : parts.join('\n\n'),
    category: null,
    openedOn,
    lastDay,
    openedAt,
    closedAt,
    agreementCount,
    sourceState: state,
    answered: isObject(gr),
    response,
    sourceUrl: `https://petition.parliament.uk/petitions/${sourceId}`,
    thresholdsReachedAt: {
      response: instant(a.response_threshold_reached_at, 'response_threshold_reached_at'),
      debate: instant(a.debate_threshold_reached_at, 'debate_threshold_reached_at'),
    },
    debate: ukDebate(a),
    areaCounts: [
      ...regional.byCountry.map((c) => ({
        scope: 'country' as const,
        code: c.code,
        name: c.name,
        mp: null,
        count: c.signatureCount,
      })),
      ...regional.byConstituency.map((c) => ({
        scope: 'constituency' as const,
        code: c.onsCode,
        name: c.name,
        mp: c.mp,
        count: c.signatureCount,
      })),
      ...regional.byRegion.map((c) => ({
        scope: 'region' as const,
        code: c.onsCode,
        name: c.name,
        mp: null,
        count: c.signatureCount,
      })),
    ],
    details: ukDetails(data, a),
  });
}

/** Attributes the record carries in fields of its own (or never reads: `creator_name`, personal data). */
const UK_MAPPED_ATTRIBUTES = new Set([
  'action',
  'background',
  'additional_details',
  'state',
  'signature_count',
  'opened_at',
  'closed_at',
  'response_threshold_reached_at',
  'debate_threshold_reached_at',
  'creator_name',
  'signatures_by_country',
  'signatures_by_constituency',
  'signatures_by_region',
]);

/**
 * What else the document says, as published: every attribute not mapped to a field, the government response's
 * metadata (its text is the record's response), and the petition's `links` / `type` where given.
 */
function ukDetails(data: Record<string, unknown>, a: Record<string, unknown>): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if (UK_MAPPED_ATTRIBUTES.has(k)) continue;
    if (k === 'government_response' && isObject(v)) {
      const { summary: _s, details: _d, ...meta } = v;
      details[k] = meta;
    } else details[k] = v;
  }
  if (data.links !== undefined) details.links = data.links;
  return details;
}

/**
 * The debate track of a UK petition from its attributes: debated (a `debate` object with `debated_on` or
 * `debated: true`), not debated (`debate.debated === false`), scheduled (`scheduled_debate_date`), awaiting (the
 * debate threshold reached), otherwise none. `scheduledOn`: the debate's day (debated or scheduled), 'YYYY-MM-DD'.
 */
export function ukDebate(a: Record<string, unknown>): NonNullable<ArchivedPetitionRecord['debate']> {
  const debate = isObject(a.debate) ? a.debate : null;
  const debatedOn = debate ? parseIsoDate(debate.debated_on) : null;
  const scheduled = parseIsoDate(a.scheduled_debate_date);
  if (debate && debate.debated === false) return { state: 'not_debated', scheduledOn: null };
  if (debate && (debatedOn !== null || debate.debated === true))
    return { state: 'debated', scheduledOn: debatedOn ?? scheduled };
  if (scheduled !== null) return { state: 'scheduled', scheduledOn: scheduled };
  if (typeof a.debate_threshold_reached_at === 'string' && a.debate_threshold_reached_at !== '')
    return { state: 'awaiting', scheduledOn: null };
  return { state: 'none', scheduledOn: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Regional counts (the record's `areaCounts`)

export interface UkCountryCount {
  name: string;
  /** ISO 3166 alpha-2 as the site gives it ('GB', 'AF', …). */
  code: string;
  signatureCount: number;
}
export interface UkConstituencyCount {
  name: string;
  onsCode: string;
  /** The constituency's MP at the time of the snapshot (a public office holder); null when the site gave none. */
  mp: string | null;
  signatureCount: number;
}
export interface UkRegionCount {
  name: string;
  onsCode: string;
  signatureCount: number;
}
export interface UkRegionalCounts {
  petitionId: string;
  /** The petition's total at the same moment. */
  signatureCount: number;
  byCountry: UkCountryCount[];
  byConstituency: UkConstituencyCount[];
  byRegion: UkRegionCount[];
}

function bad(message: string): never {
  throw new DomainError('invalid_record', message);
}

function countOf(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    bad(`${where}: signature_count is not a count`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') bad(`${where} is not text`);
  return v;
}

function list(v: unknown, where: string): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObject)) bad(`${where} is not a list of objects`);
  return v;
}

/**
 * Per-country, per-constituency and per-region signature counts of a UK petition JSON document (the parsed
 * document or its `data` object). Lists the site omitted come back empty (older snapshots have no regions).
 * @throws DomainError('invalid_record') when the document is not a petition document or a list is malformed
 */
export function ukRegionalCounts(json: unknown): UkRegionalCounts {
  const data = isObject(json) && isObject(json.data) ? json.data : json;
  if (!isObject(data) || !isObject(data.attributes)) bad('not a petition.parliament.uk petition document');
  const a = data.attributes;
  const id = data.id;
  if (
    !(typeof id === 'number' && Number.isSafeInteger(id)) &&
    !(typeof id === 'string' && /^\d+$/.test(id))
  ) {
    bad('data.id is not a petition number');
  }
  return {
    petitionId: String(id),
    signatureCount: countOf(a.signature_count, 'attributes'),
    byCountry: list(a.signatures_by_country, 'signatures_by_country').map((c, i) => ({
      name: str(c.name, `signatures_by_country[${i}].name`),
      code: str(c.code, `signatures_by_country[${i}].code`),
      signatureCount: countOf(c.signature_count, `signatures_by_country[${i}]`),
    })),
    byConstituency: list(a.signatures_by_constituency, 'signatures_by_constituency').map((c, i) => ({
      name: str(c.name, `signatures_by_constituency[${i}].name`),
      onsCode: str(c.ons_code, `signatures_by_constituency[${i}].ons_code`),
      mp: typeof c.mp === 'string' ? c.mp : null,
      signatureCount: countOf(c.signature_count, `signatures_by_constituency[${i}]`),
    })),
    byRegion: list(a.signatures_by_region, 'signatures_by_region').map((c, i) => ({
      name: str(c.name, `signatures_by_region[${i}].name`),
      onsCode: str(c.ons_code, `signatures_by_region[${i}].ons_code`),
      signatureCount: countOf(c.signature_count, `signatures_by_region[${i}]`),
    })),
  };
}
