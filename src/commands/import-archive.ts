import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import { detectFileFormat, parseArchiveFile } from '../archive/parse-file.js';
import {
  type ArchivedPetitionRecord,
  type ArchiveFormat,
  archivedPetitionColumns,
  isFinalCount,
  type RejectedRow,
} from '../archive/record.js';
import type { Database, NewPetitionText } from '../db/schema.js';
import { closesAtForLastDay, startOfLocalDay } from '../domain/closing-dates.js';
import { isAnswered } from '../domain/petition-states.js';
import { findCategory, getProfile } from '../domain/policy-profiles.js';
import {
  countStoredPetitions,
  type ExistingArchivedPetition,
  findArchived,
  findArchivedByTitles,
} from '../repositories/archive.js';
import {
  type ArchivedPetitionPatch,
  deferSearchIndexes,
  insertArchivedAreaCounts,
  insertArchivedDetails,
  insertArchivedResponses,
  insertPetitions,
  type NewArchivedAreaCount,
  type NewArchivedResponse,
  patchArchivedPetition,
  refreshAfterBulkImport,
  restoreDeferredIndexes,
} from '../repositories/writes/archive.js';

export interface ImportOptions {
  /** Report what would change and store nothing (everything runs in one transaction that is rolled back). */
  dryRun?: boolean;
  /** Wall-clock time of the import, stored as `imported_at` (UTC). */
  now: Date;
  /** Records per transaction (default 500). A batch is all-or-nothing: no record is ever half stored. */
  batchSize?: number;
  /** Called after each batch with the physical line reached (1-based). */
  onProgress?: (line: number) => void;
  /** Rows that are not valid UTF-8: rejected (default), or decoded as Windows-1252 (the We the People CSV). */
  invalidUtf8?: 'reject' | 'windows-1252';
  /**
   * Load in bulk when it pays (default true): see `shouldLoadInBulk`. false: keep the search indexes up to date row
   * by row (the path before bulk loading; kept for comparison in `bench:import`).
   */
  bulk?: boolean;
}

export interface ImportSummary {
  file: string;
  format: ArchiveFormat;
  /** New petitions stored. */
  inserted: number;
  /** Petitions already imported that this file completed (missing body, category or official answer filled). */
  merged: number;
  /** Petitions already imported with nothing new in this file. */
  unchanged: number;
  /** Rows not stored, with file, line and the reason. */
  skipped: RejectedRow[];
  /** Records whose category label the profile does not know (stored without a category, label kept). */
  uncategorised: number;
  dryRun: boolean;
  /** True when the search indexes were dropped for the load and built again before the import returned. */
  bulk: boolean;
}

/** Smallest file (physical lines) loaded in bulk: below it, rebuilding the indexes costs more than it saves. */
export const BULK_MIN_LINES = 1000;

/** Share of new petitions in a file's first batch from which the rest of it is loaded in bulk. */
export const BULK_MIN_NEW_SHARE = 0.9;

/**
 * Whether a file may be loaded in bulk — drop the GIN search indexes, insert, build them again once — instead of
 * maintaining them row by row (about 2.4 times the cost of one build on PostgreSQL). Only where nobody loses by it:
 * the table holds no petition of this platform's own (a deployment taking agreements keeps its indexes; building one
 * blocks writes to `petitions` for its duration), the file has at least `BULK_MIN_LINES` lines, and it would at
 * least double the table (the build's cost grows with the whole table). A UK document is one petition: never.
 * The importer then loads in bulk only when the first batch was at least `BULK_MIN_NEW_SHARE` new petitions (the
 * first batch itself is stored with the indexes in place).
 */
export function shouldLoadInBulk(
  format: ArchiveFormat,
  fileLines: number,
  stored: { total: number; own: number },
): boolean {
  return format !== 'uk-json' && stored.own === 0 && fileLines >= BULK_MIN_LINES && fileLines >= stored.total;
}

class DryRunRollback extends Error {}

interface PendingRecord {
  line: number;
  record: ArchivedPetitionRecord;
}

/**
 * Imports one historic archive file (format detected from its content) as archived petitions: closed, with their
 * final count stored as `archived_agreement_count` (no signer rows), answered where the source says so, with the
 * official answer text where the source has it.
 *
 * Idempotent: a petition is keyed by (archive source, archive id); importing the same file again inserts nothing
 * and changes nothing. A later file may only fill what is missing (body, category, official answer) or replace a
 * count taken before close by a final one; it never overwrites. The board's own crawls (`cwd`) and the list crawl
 * (`cwd-list`, another numbering) describe the same petitions: whichever comes first, each is stored once, under
 * the board's id (matched by title, deadline and count — see `takeTwin`).
 *
 * Bulk loading: a large file of new petitions into a table of archived petitions (`shouldLoadInBulk`, then a first
 * batch of new petitions) is stored, after its first batch, with the GIN search indexes dropped (their definitions recorded in `deferred_indexes` first) and built once at the end, before the
 * import returns — also when it fails; an import killed half-way has them rebuilt by the next import's first step.
 * Records are inserted with multi-row statements, one transaction per `batchSize` records either way.
 *
 * @throws DomainError('unknown_format') when the content is not a known archive format; database errors abort the
 *         current batch (earlier batches stay committed unless `dryRun`).
 */
export async function importArchiveFile(
  db: Kysely<Database>,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const format = await detectFileFormat(path);
  const summary: ImportSummary = {
    file: path,
    format,
    inserted: 0,
    merged: 0,
    unchanged: 0,
    skipped: [],
    uncategorised: 0,
    dryRun: options.dryRun ?? false,
    bulk: false,
  };
  // an import that died half-way through a bulk load left its indexes to rebuild: first of all, rebuild them
  await restoreDeferredIndexes(db);
  // bulk is decided after the first batch: only when that batch was (nearly) all new petitions — a re-import of a
  // file already stored must not rebuild the indexes for nothing
  const bulkCandidate =
    !summary.dryRun &&
    options.bulk !== false &&
    shouldLoadInBulk(format, await countLines(path), await countStoredPetitions(db));
  let batches = 0;
  const afterBatch = async (size: number) => {
    if (++batches !== 1 || !bulkCandidate || summary.inserted < BULK_MIN_NEW_SHARE * size) return;
    await deferSearchIndexes(db);
    summary.bulk = true;
  };
  const batchSize = options.batchSize ?? 500;
  const firstLineOf = new Map<string, number>();

  const run = async (withBatch: (flush: (batch: PendingRecord[]) => Promise<void>) => Promise<void>) => {
    if (!summary.dryRun) {
      await withBatch((batch) =>
        db.transaction().execute((trx) => storeBatch(trx, path, batch, summary, options.now)),
      );
      return;
    }
    try {
      await db.transaction().execute(async (trx) => {
        await withBatch((batch) => storeBatch(trx, path, batch, summary, options.now));
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
  };

  const load = () =>
    run(async (flush) => {
      let batch: PendingRecord[] = [];
      for await (const row of parseArchiveFile(path, { invalidUtf8: options.invalidUtf8 ?? 'reject' })) {
        if (!row.ok) {
          summary.skipped.push(row.rejected);
          continue;
        }
        const key = `${row.record.source}/${row.record.sourceId}`;
        const first = firstLineOf.get(key);
        if (first !== undefined) {
          summary.skipped.push({
            file: path,
            line: row.line,
            reason: `same petition as line ${first} (${key})`,
          });
          continue;
        }
        firstLineOf.set(key, row.line);
        batch.push({ line: row.line, record: row.record });
        if (batch.length >= batchSize) {
          await flush(batch);
          await afterBatch(batch.length);
          options.onProgress?.(row.line);
          batch = [];
        }
      }
      if (batch.length > 0) await flush(batch);
    });

  try {
    await load();
  } finally {
    // the indexes are complete again before the import returns, whether it succeeded or not
    if (summary.bulk) await restoreDeferredIndexes(db);
  }
  if (!summary.dryRun && summary.inserted + summary.merged > 0) await refreshAfterBulkImport(db);
  return summary;
}

async function storeBatch(
  trx: Transaction<Database>,
  file: string,
  batch: PendingRecord[],
  summary: ImportSummary,
  now: Date,
): Promise<void> {
  const bySource = new Map<string, PendingRecord[]>();
  for (const item of batch) {
    const list = bySource.get(item.record.source) ?? [];
    list.push(item);
    bySource.set(item.record.source, list);
  }
  for (const [source, items] of bySource) {
    const existing = new Map(
      (
        await findArchived(
          trx,
          source,
          items.map((i) => i.record.sourceId),
        )
      ).map((e) => [e.archive_source_id, e]),
    );
    // a dump's records already carry their final identity: no twin matching, each record is its own petition
    const twinSource = summary.format === 'cheongwon-dump' ? undefined : TWIN_SOURCE[source];
    const twins = twinSource
      ? await findArchivedByTitles(
          trx,
          twinSource,
          items.filter((i) => !existing.has(i.record.sourceId)).map((i) => i.record.title),
        )
      : [];
    const fresh: PendingRecord[] = [];
    const responses: NewArchivedResponse[] = [];
    const extras: Extras = { areaCounts: [], details: [] };

    for (const item of items) {
      const r = item.record;
      if (r.category && !findCategory(r.profile, r.category)) summary.uncategorised++;
      const current = existing.get(r.sourceId);
      const twin = current ? undefined : takeTwin(twins, r);
      if (current) {
        if (await completeFrom(trx, current, r, responses, now, extras)) summary.merged++;
        else summary.unchanged++;
      } else if (twin && source === 'cwd-list') {
        // The board's own record is stored: this row is the same petition; it may only bring the final count.
        if (await completeFrom(trx, twin, { ...r, body: null, response: null }, responses, now, extras))
          summary.merged++;
        else
          summary.skipped.push({
            file,
            line: item.line,
            reason: `already stored as cwd/${twin.archive_source_id}`,
          });
      } else if (twin) {
        // A list-crawl row holds this petition: re-key it under the board's id, then complete it.
        const identity = {
          source: r.source,
          sourceId: r.sourceId,
          sourceState: r.sourceState,
          url: r.sourceUrl,
        };
        await patchArchivedPetition(trx, twin.id, { identity }, now);
        await completeFrom(trx, twin, r, responses, now, extras);
        summary.merged++;
      } else {
        fresh.push(item);
      }
    }

    const ids = await insertPetitions(
      trx,
      fresh.map((i) => toPetitionRow(i.record, now)),
    );
    fresh.forEach((item, index) => {
      const petitionId = ids[index];
      if (!petitionId) return;
      if (item.record.response) responses.push(toResponse(petitionId, item.record, item.record.response));
      addExtras(extras, petitionId, item.record, { areaCounts: true, details: true });
    });
    summary.inserted += fresh.length;
    await insertArchivedResponses(trx, responses);
    await insertArchivedAreaCounts(trx, extras.areaCounts);
    await insertArchivedDetails(trx, extras.details);
  }
}

/** Rows beside the petitions a batch stores: imported area counts and the source's other details. */
interface Extras {
  areaCounts: NewArchivedAreaCount[];
  details: Array<{ petitionId: string; details: Record<string, unknown> }>;
}

/** Queues a record's area counts and details for petition `petitionId` (those `which` asks for). */
function addExtras(
  extras: Extras,
  petitionId: string,
  r: ArchivedPetitionRecord,
  which: { areaCounts: boolean; details: boolean },
): boolean {
  let added = false;
  if (which.areaCounts && r.areaCounts && r.areaCounts.length > 0) {
    const positions = { country: 0, constituency: 0, region: 0 };
    for (const a of r.areaCounts) {
      extras.areaCounts.push({ petitionId, position: positions[a.scope]++, ...a });
    }
    added = true;
  }
  if (which.details && r.details && Object.keys(r.details).length > 0) {
    extras.details.push({ petitionId, details: r.details });
    added = true;
  }
  return added;
}

/**
 * Two crawls of the Blue House board number its petitions differently: the board's own ids (`cwd`) and the
 * 2019–2021 list crawl's (`cwd-list`). A petition found in both must be stored once, whichever file comes first.
 */
const TWIN_SOURCE: Partial<Record<string, string>> = { cwd: 'cwd-list', 'cwd-list': 'cwd' };

/**
 * Fills what a stored archived petition lacks from another record of the same petition: body, category, the
 * official answer, answered state, and a final (or later) count replacing one taken before close. Never
 * overwrites what is there.
 * @returns true when anything changed
 */
async function completeFrom(
  trx: Transaction<Database>,
  current: ExistingArchivedPetition,
  r: ArchivedPetitionRecord,
  responses: NewArchivedResponse[],
  now: Date,
  extras: Extras,
): Promise<boolean> {
  const patch: ArchivedPetitionPatch = {};
  const reached = r.thresholdsReachedAt;
  if (
    reached &&
    ((current.response_threshold_reached_at === null && reached.response !== null) ||
      (current.debate_threshold_reached_at === null && reached.debate !== null))
  ) {
    patch.reachedAt = { response: parseInstant(reached.response), debate: parseInstant(reached.debate) };
  }
  if (r.debate && r.debate.state !== 'none' && current.debate_state === 'none') patch.debate = r.debate;
  const addedExtras = addExtras(extras, current.id, r, {
    areaCounts: !current.has_area_counts,
    details: !current.has_details,
  });
  if (current.body === null && r.body) patch.body = r.body;
  const category = r.category ? findCategory(r.profile, r.category)?.code : undefined;
  if (current.category === null && category) patch.category = category;
  if (!isAnswered(current.response_state) && r.answered) {
    patch.answered = { at: parseInstant(answeredAtOf(r)) };
  }
  const final = isFinalCount(r);
  const moreRecent = final || r.agreementCount > current.archived_agreement_count;
  if (!current.archived_count_final && moreRecent) patch.count = { total: r.agreementCount, final };
  const addResponse = !current.has_response && r.response !== null;
  if (addResponse && r.response) responses.push(toResponse(current.id, r, r.response));
  if (Object.keys(patch).length === 0) return addResponse || addedExtras;
  await patchArchivedPetition(trx, current.id, patch, now);
  return true;
}

/**
 * The stored twin of `r` among `pool` (same title and deadline), taken out of the pool so that matches stay
 * one-to-one: the one with the same count; otherwise the only one whose count could have grown into the other's
 * (one side counted before close). Several petitions often share a title on one day ('미세먼지'), so without such
 * evidence there is no match.
 */
function takeTwin(
  pool: ExistingArchivedPetition[],
  r: ArchivedPetitionRecord,
): ExistingArchivedPetition | undefined {
  const closesAt = memoDay('closes', r.lastDay, getProfile(r.profile).timeZone).getTime();
  const same = pool.filter((t) => t.title === r.title && t.closes_at?.getTime() === closesAt);
  let pick = same.find((t) => t.archived_agreement_count === r.agreementCount);
  if (!pick) {
    const recordFinal = isFinalCount(r);
    const plausible = same.filter(
      (t) =>
        (!t.archived_count_final && t.archived_agreement_count <= r.agreementCount) ||
        (!recordFinal && r.agreementCount <= t.archived_agreement_count),
    );
    if (plausible.length === 1) pick = plausible[0];
  }
  if (pick) pool.splice(pool.indexOf(pick), 1);
  return pick;
}

/** Local day → instant conversions repeat for every petition of a day: memoised per zone and date. */
const dayInstants = new Map<string, Date>();
function memoDay(kind: 'start' | 'closes', date: string, zone: string): Date {
  const key = `${kind} ${zone} ${date}`;
  let instant = dayInstants.get(key);
  if (!instant) {
    instant = kind === 'start' ? startOfLocalDay(date, zone) : closesAtForLastDay(date, zone);
    dayInstants.set(key, instant);
  }
  return new Date(instant);
}

function toPetitionRow(r: ArchivedPetitionRecord, now: Date): NewPetitionText {
  const profile = getProfile(r.profile);
  const closesAt = memoDay('closes', r.lastDay, profile.timeZone);
  const category = r.category ? findCategory(r.profile, r.category) : undefined;
  return {
    profile: profile.code,
    category: category?.code ?? null,
    title: r.title,
    body: r.body,
    ...archivedPetitionColumns(r),
    // the rules of the time: the profile's own thresholds, not today's runtime overrides
    response_threshold: profile.defaults.responseThreshold,
    debate_threshold: profile.defaults.debateThreshold,
    opened_at: parseInstant(r.openedAt) ?? memoDay('start', r.openedOn, profile.timeZone),
    closes_at: closesAt,
    closed_at: parseInstant(r.closedAt) ?? closesAt,
    answered_at: r.answered ? parseInstant(answeredAtOf(r)) : null,
    response_threshold_reached_at: parseInstant(r.thresholdsReachedAt?.response),
    debate_threshold_reached_at: parseInstant(r.thresholdsReachedAt?.debate),
    ...(r.debate ? { debate_state: r.debate.state, debate_scheduled_on: r.debate.scheduledOn } : {}),
    archive_source: r.source,
    archive_source_id: r.sourceId,
    archive_source_state: r.sourceState,
    archive_source_url: r.sourceUrl,
    archive_category_label: r.category,
    imported_at: now,
  };
}

function toResponse(
  petitionId: string,
  r: ArchivedPetitionRecord,
  response: NonNullable<ArchivedPetitionRecord['response']>,
): NewArchivedResponse {
  return {
    petitionId,
    source: r.source,
    sourceId: r.sourceId,
    body: response.body,
    summary: response.summary,
    publishedAt: parseInstant(response.publishedAt),
  };
}

/** When a record's petition was answered: its own `answeredAt` where the source gives one, else its response's date. */
function answeredAtOf(r: ArchivedPetitionRecord): string | null | undefined {
  return r.answeredAt !== undefined ? r.answeredAt : r.response?.publishedAt;
}

function parseInstant(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Number of physical lines in a file (gunzipped when it starts with the gzip magic bytes), for progress bars.
 * Streams the file; memory stays constant.
 */
export async function countLines(path: string): Promise<number> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(path);
  const stream = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  return last === 0x0a ? lines : lines + 1;
}
