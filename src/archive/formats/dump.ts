/**
 * Cheongwon's own open-data dump (`cheongwon-dump/1`, written by src/open-data/dump.ts): gzip JSON Lines, a header
 * line, then one petition per line with the fields of the API's `Petition` object plus `answered_at` and
 * `archive.category_label`.
 *
 * Reading a dump reproduces its petitions as archived records:
 *  - a petition that was itself imported keeps its provenance (`archive.source`, `source_id`, state label, URL,
 *    the source's category label) and its exact instants, so import → dump → import gives the same public fields;
 *  - a petition created on the dumping deployment (`archive: null`) becomes source `cheongwon`, id = its number
 *    there, source state = its state then ('open' marks a count taken before close);
 *  - its total becomes the archived total; the first (oldest) official response is kept, like the other formats;
 *  - its `archived_area_counts` (UK signatures by country, constituency, region, `"source": "archive"`) become the
 *    record's area counts again (absent or null: none).
 * Texts are taken as written (the dump holds already-cleaned text); nothing is decoded twice.
 */
import { localDate } from '../../domain/closing-dates.js';
import { isAnswered, isResponseState } from '../../domain/petition-states.js';
import { getProfile, isProfileCode } from '../../domain/policy-profiles.js';
import { buildRecord, reject, requireCount, requireDate } from '../build.js';
import {
  ARCHIVE_SOURCES,
  type ArchivedAreaCount,
  type ArchivedPetitionRecord,
  type ArchiveSource,
} from '../record.js';
import { isObject, show } from '../text.js';

/** The dump schema versions this reader knows. */
export const DUMP_SCHEMAS = ['cheongwon-dump/1'] as const;

function text(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') reject(`${key} is missing or not text: ${show(v)}`);
  return v;
}

function optText(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') reject(`${key} is not text: ${show(v)}`);
  return v;
}

function instant(o: Record<string, unknown>, key: string): string | null {
  const v = optText(o, key);
  if (v !== null && Number.isNaN(Date.parse(v))) reject(`${key} is not an instant: ${show(v)}`);
  return v;
}

/**
 * One line of a dump: the header → null (not a petition); a petition → its record.
 * @throws RowRejection naming the field that is missing or malformed, or an unknown schema version
 */
export function mapDumpLine(o: Record<string, unknown>): ArchivedPetitionRecord | null {
  if (!(DUMP_SCHEMAS as readonly unknown[]).includes(o.schema)) {
    reject(`schema ${show(o.schema)} is not one this version reads (${DUMP_SCHEMAS.join(', ')})`);
  }
  if (o.record === 'header') return null;
  if (o.record !== 'petition') reject(`record is neither "header" nor "petition": ${show(o.record)}`);

  const id = o.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
    reject(`id is not a petition number: ${show(id)}`);
  const profile = text(o, 'profile');
  if (!isProfileCode(profile)) reject(`profile is not a known policy profile: ${show(profile)}`);
  const openedAt = instant(o, 'opened_at');
  if (openedAt === null) reject('opened_at is missing');
  const lastDay = requireDate(o.last_day, 'last_day');
  const state = text(o, 'state');

  let source: ArchiveSource = 'cheongwon';
  let sourceId = String(id);
  let sourceState = state;
  let sourceUrl: string | null = null;
  let categoryLabel: string | null = null;
  if (o.archive !== null && o.archive !== undefined) {
    if (!isObject(o.archive)) reject(`archive is not an object: ${show(o.archive)}`);
    const a = o.archive;
    const s = text(a, 'source');
    if (!(ARCHIVE_SOURCES as readonly string[]).includes(s))
      reject(`archive.source is not known: ${show(s)}`);
    source = s as ArchiveSource;
    sourceId = text(a, 'source_id');
    sourceState = optText(a, 'source_state') ?? state;
    sourceUrl = optText(a, 'url');
    categoryLabel = optText(a, 'category_label');
  }
  if (categoryLabel === null && o.category !== null && o.category !== undefined) {
    if (!isObject(o.category)) reject(`category is not an object: ${show(o.category)}`);
    categoryLabel = text(o.category, 'code');
  }

  const responses = o.official_responses ?? [];
  if (!Array.isArray(responses)) reject('official_responses is not a list');
  const first = responses[0];
  let response: ArchivedPetitionRecord['response'] = null;
  if (first !== undefined) {
    if (!isObject(first)) reject('official_responses[0] is not an object');
    response = {
      body: text(first, 'body'),
      summary: optText(first, 'summary'),
      publishedAt: instant(first, 'published_at'),
    };
  }
  const responseState = text(o, 'response_state');
  const areaCounts = dumpAreaCounts(o.archived_area_counts);

  return buildRecord({
    source,
    sourceId,
    profile,
    title: text(o, 'title'),
    body: optText(o, 'body'),
    category: categoryLabel,
    openedOn: localDate(new Date(openedAt), getProfile(profile).timeZone),
    lastDay,
    openedAt,
    closedAt: instant(o, 'closed_at'),
    agreementCount: requireCount(o.agreement_count, 'agreement_count'),
    sourceState,
    answered: isResponseState(responseState) && isAnswered(responseState),
    answeredAt: instant(o, 'answered_at'),
    response,
    sourceUrl,
    ...(areaCounts.length > 0 ? { areaCounts } : {}),
  });
}

const AREA_SCOPES = ['country', 'constituency', 'region'] as const;

/**
 * A dump line's `archived_area_counts` as record area counts (in each scope's order); [] when absent or null.
 * @throws RowRejection when it is not `{ source: 'archive', country: […], constituency: […], region: […] }` with
 *   `{ code, name, mp, count }` entries
 */
function dumpAreaCounts(raw: unknown): ArchivedAreaCount[] {
  if (raw === null || raw === undefined) return [];
  if (!isObject(raw)) reject(`archived_area_counts is not an object: ${show(raw)}`);
  if (raw.source !== 'archive') reject(`archived_area_counts.source is not "archive": ${show(raw.source)}`);
  const out: ArchivedAreaCount[] = [];
  for (const scope of AREA_SCOPES) {
    const list = raw[scope] ?? [];
    if (!Array.isArray(list)) reject(`archived_area_counts.${scope} is not a list`);
    list.forEach((entry: unknown, i: number) => {
      const field = `archived_area_counts.${scope}[${i}]`;
      if (!isObject(entry)) reject(`${field} is not an object`);
      out.push({
        scope,
        code: text(entry, 'code'),
        name: text(entry, 'name'),
        mp: optText(entry, 'mp'),
        count: requireCount(entry.count, `${field}.count`),
      });
    });
  }
  return out;
}
