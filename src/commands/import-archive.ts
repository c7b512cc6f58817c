import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import { detectFileFormat, parseArchiveFile } from '../archive/parse-file.js';
import type { ArchivedPetitionRecord, ArchiveFormat, RejectedRow } from '../archive/record.js';
import type { Database, NewPetition } from '../db/schema.js';
import { closesAtForLastDay, startOfLocalDay } from '../domain/closing-dates.js';
import { findCategory, getProfile } from '../domain/policy-profiles.js';
import {
  fillMissing,
  findArchived,
  findArchivedByTitleAndDeadline,
  insertArchivedResponses,
  insertPetitions,
  markAnswered,
  type NewArchivedResponse,
  refreshAfterBulkImport,
  titleDeadlineKey,
} from '../repositories/archive.js';

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
 * and changes nothing. A later file may only fill what is missing (body, category, official answer); it never
 * overwrites. Rows of the CWD list crawl (`cwd-list`, its own numbering) that are the same petition as an already
 * imported board record (same title and deadline) are skipped with that reason.
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
  trx: Kysely<Database>,
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
    let candidates = items;
    if (source === 'cwd-list') candidates = await dropKnownBoardPetitions(trx, file, items, summary);

    const existing = new Map(
      (
        await findArchived(
          trx,
          source,
          candidates.map((i) => i.record.sourceId),
        )
      ).map((e) => [e.archive_source_id, e]),
    );
    const fresh = candidates.filter((i) => !existing.has(i.record.sourceId));
    const ids = await insertPetitions(
      trx,
      fresh.map((i) => toPetitionRow(i.record, now)),
    );
    const responses: NewArchivedResponse[] = [];
    fresh.forEach((item, index) => {
      const response = item.record.response;
      const petitionId = ids[index];
      if (response && petitionId) responses.push(toResponse(petitionId, item.record, response));
    });
    summary.inserted += fresh.length;

    for (const item of candidates) {
      const current = existing.get(item.record.sourceId);
      if (!current) continue;
      const r = item.record;
      const category = r.category ? findCategory(r.profile, r.category)?.code : undefined;
      const fill: { body?: string; category?: string } = {};
      if (current.body === null && r.body) fill.body = r.body;
      if (current.category === null && category) fill.category = category;
      const addResponse = !current.has_response && r.response !== null;
      const markAsAnswered = current.response_state !== 'answered' && r.answered;
      if (fill.body !== undefined || fill.category !== undefined)
        await fillMissing(trx, current.id, fill, now);
      if (addResponse && r.response) responses.push(toResponse(current.id, r, r.response));
      if (markAsAnswered) await markAnswered(trx, current.id, parseInstant(r.response?.publishedAt), now);
      if (fill.body !== undefined || fill.category !== undefined || addResponse || markAsAnswered)
        summary.merged++;
      else summary.unchanged++;
    }
    await insertArchivedResponses(trx, responses);
  }
}

/** CWD list rows describe board petitions under another numbering; keep only those not already imported. */
async function dropKnownBoardPetitions(
  trx: Kysely<Database>,
  file: string,
  items: PendingRecord[],
  summary: ImportSummary,
): Promise<PendingRecord[]> {
  const zone = getProfile('cheongwadae').timeZone;
  const keyed = items.map((item) => ({ item, closesAt: memoDay('closes', item.record.lastDay, zone) }));
  const known = await findArchivedByTitleAndDeadline(
    trx,
    'cwd',
    keyed.map((k) => ({
      title: k.item.record.title,
      closesAt: k.closesAt,
      count: k.item.record.agreementCount,
    })),
  );
  const kept: PendingRecord[] = [];
  for (const { item, closesAt } of keyed) {
    const boardId = known.get(titleDeadlineKey(item.record.title, closesAt, item.record.agreementCount));
    if (boardId) summary.skipped.push({ file, line: item.line, reason: `same petition as cwd/${boardId}` });
    else kept.push(item);
  }
  return kept;
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

function toPetitionRow(r: ArchivedPetitionRecord, now: Date): NewPetition {
  const profile = getProfile(r.profile);
  const closesAt = memoDay('closes', r.lastDay, profile.timeZone);
  const category = r.category ? findCategory(r.profile, r.category) : undefined;
  return {
    profile: profile.code,
    category: category?.code ?? null,
    title: r.title,
    body: r.body,
    state: 'closed',
    response_state: r.answered ? 'answered' : 'none',
    archived_agreement_count: r.agreementCount,
    opened_at: parseInstant(r.openedAt) ?? memoDay('start', r.openedOn, profile.timeZone),
    closes_at: closesAt,
    closed_at: parseInstant(r.closedAt) ?? closesAt,
    answered_at: r.answered ? parseInstant(r.response?.publishedAt) : null,
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
