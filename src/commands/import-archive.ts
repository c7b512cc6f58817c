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
  type ExistingArchivedPetition,
  findArchived,
  findArchivedByTitles,
} from '../repositories/archive.js';
import {
  type ArchivedPetitionPatch,
  insertArchivedResponses,
  insertPetitions,
  type NewArchivedResponse,
  patchArchivedPetition,
  refreshAfterBulkImport,
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

  await run(async (flush) => {
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
        options.onProgress?.(row.line);
        batch = [];
      }
    }
    if (batch.length > 0) await flush(batch);
  });
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

    for (const item of items) {
      const r = item.record;
      if (r.category && !findCategory(r.profile, r.category)) summary.uncategorised++;
      const current = existing.get(r.sourceId);
      const twin = current ? undefined : takeTwin(twins, r);
      if (current) {
        if (await completeFrom(trx, current, r, responses, now)) summary.merged++;
        else summary.unchanged++;
      } else if (twin && source === 'cwd-list') {
        // The board's own record is stored: this row is the same petition; it may only bring the final count.
        if (await completeFrom(trx, twin, { ...r, body: null, response: null }, responses, now))
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
        await completeFrom(trx, twin, r, responses, now);
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
      if (item.record.response && petitionId)
        responses.push(toResponse(petitionId, item.record, item.record.response));
    });
    summary.inserted += fresh.length;
    await insertArchivedResponses(trx, responses);
  }
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
): Promise<boolean> {
  const patch: ArchivedPetitionPatch = {};
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
  if (Object.keys(patch).length === 0) return addResponse;
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
