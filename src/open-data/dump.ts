/**
 * The daily full dump of the open data: every public petition (open and closed) with its official response(s), as
 * gzip-compressed JSON Lines, with a SHA-256 checksum file and the data's attribution.
 *
 * File layout (in the dump directory):
 *   cheongwon-petitions-<UTC stamp>.jsonl.gz          the dump
 *   cheongwon-petitions-<UTC stamp>.jsonl.gz.sha256   `<hex>  <file name>` (the `sha256sum -c` format)
 *   latest.json                                       manifest of the newest dump (see `DumpManifest`)
 *   NOTICE                                            the attribution of the archive data
 * Older dumps beyond `keep` are deleted. Files are written under a temporary name and renamed, so a reader never
 * sees half a dump.
 *
 * Content (schema `cheongwon-dump/1`), one JSON object per line:
 *   line 1: `{"schema":"cheongwon-dump/1","record":"header","generated_at":…,"publisher":…,"licence":…,
 *            "attribution":…}` — the attribution travels with the data;
 *   then, in petition id order: `{"schema":"cheongwon-dump/1","record":"petition", …}` with exactly the fields of
 *   the API's `Petition` object (GET /api/v1/petitions/{id}) plus `answered_at`, `archive.category_label` and
 *   `archived_area_counts` (see `DumpAreaCounts`: the signatures per area an archive source published, UK
 *   petitions only, marked `"source": "archive"` as in the API's /agreements/by-* answers; null otherwise).
 * No per-signer data: counts only. `cheongwon import` reads a dump back (src/archive/formats/dump.ts).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { ProfileView } from '../config/runtime-settings.js';
import type { Database, PetitionRow } from '../db/schema.js';
import { type ModerationSettings, withheldReason } from '../domain/moderation.js';
import { PUBLIC_STATES } from '../domain/petition-states.js';
import { type PetitionJson, presentPetition } from '../presenters/petitions.js';
import { loadModerationSettings } from '../repositories/moderation-settings.js';
import {
  type ArchivedAreaCount,
  archivedAreaCountsFor,
  countPetitions,
  petitionsAfter,
} from '../repositories/open-data.js';
import { responsesForPetitions } from '../repositories/petitions.js';

/** Version of the dump's record format; a reader refuses versions it does not know. */
export const DUMP_SCHEMA = 'cheongwon-dump/1';

/** The repository's NOTICE (two levels above both src/open-data/ and dist/open-data/). */
const NOTICE_TEXT = readFileSync(new URL('../../NOTICE', import.meta.url), 'utf8');

const DUMP_NAME = /^cheongwon-petitions-\d{8}T\d{6}Z\.jsonl\.gz$/;

/** What `latest.json` says about the newest dump. */
export interface DumpManifest {
  schema: string;
  /** File name of the dump inside the dump directory. */
  file: string;
  /** Lower-case hex SHA-256 of the dump file's bytes (the gzip file as served). */
  sha256: string;
  bytes: number;
  petitions: number;
  /** When the dump started (UTC ISO-8601). */
  generated_at: string;
}

/** The first line of a dump. */
export interface DumpHeader {
  schema: string;
  record: 'header';
  generated_at: string;
  publisher: string | null;
  licence: string;
  attribution: string;
}

/** One petition line: the API's Petition plus what an import needs to reproduce it. */
export interface DumpPetition extends Omit<PetitionJson, 'archive'> {
  schema: string;
  record: 'petition';
  answered_at: string | null;
  archive: (NonNullable<PetitionJson['archive']> & { category_label: string | null }) | null;
  /** Signatures per area as the archive source published them; null when it published none (every live petition). */
  archived_area_counts: DumpAreaCounts | null;
}

/** One area's count in a dump (the API's /agreements/by-country|by-constituency shape). */
export interface DumpAreaCount {
  /** ISO 3166 alpha-2 for a country, ONS code for a constituency or region, as the source gave it. */
  code: string;
  name: string;
  /** The constituency's MP when the source counted; null otherwise. */
  mp: string | null;
  count: number;
}

/**
 * Imported aggregates (UK signatures by country, constituency, region), in the source's order within each scope.
 * `source: 'archive'`: numbers the source published, with no agreement rows behind them (nothing here can be
 * checked against the count log), as the API marks them.
 */
export interface DumpAreaCounts {
  source: 'archive';
  country: DumpAreaCount[];
  constituency: DumpAreaCount[];
  region: DumpAreaCount[];
}

/** The dump form of a petition's imported area counts (`archivedAreaCountsFor`), or null when it has none. */
export function dumpAreaCounts(counts: readonly ArchivedAreaCount[]): DumpAreaCounts | null {
  if (counts.length === 0) return null;
  const of = (scope: ArchivedAreaCount['scope']) =>
    counts.filter((c) => c.scope === scope).map(({ code, name, mp, count }) => ({ code, name, mp, count }));
  return {
    source: 'archive',
    country: of('country'),
    constituency: of('constituency'),
    region: of('region'),
  };
}

export interface WriteDumpOptions {
  /** Directory the dump goes into (created if missing). */
  dir: string;
  /** Start of the dump (names the file; `generated_at`). */
  now: Date;
  /** The profile views presenters use (category names, thresholds). */
  profile: (code: string) => ProfileView;
  /** Base URL of the deployment, written to the header as the publisher; null when unknown. */
  publicUrl?: string | null;
  /** Called after each page with the petitions written so far and the total expected. */
  onProgress?: (written: number, total: number) => void;
  /** How many dumps to keep (newest first; default 7). */
  keep?: number;
  /** Petitions per query (default 500). */
  pageSize?: number;
}

/**
 * The dump record of one petition; `withheld` (the election switch's public reason) empties its text, as the API
 * and the page do; `areaCounts`: its imported area counts (`archivedAreaCountsFor`), [] for none.
 */
export function dumpRecord(
  row: PetitionRow,
  responses: Parameters<typeof presentPetition>[1],
  profile: ProfileView,
  withheld: string | null = null,
  areaCounts: readonly ArchivedAreaCount[] = [],
): DumpPetition {
  const presented = presentPetition(row, responses, profile, withheld);
  return {
    schema: DUMP_SCHEMA,
    record: 'petition',
    ...presented,
    answered_at: row.answered_at ? row.answered_at.toISOString() : null,
    archive: presented.archive ? { ...presented.archive, category_label: row.archive_category_label } : null,
    archived_area_counts: dumpAreaCounts(areaCounts),
  };
}

/**
 * Writes a full dump of the public petitions into `options.dir`, then points `latest.json` at it and prunes old
 * dumps. Reads in keyset pages (one short query per 500 petitions), so it never holds a long transaction; the
 * petitions are as of the moment each page was read.
 * @returns the new manifest
 * @throws file-system and database errors; a failed dump leaves the previous one in place
 */
export async function writeDump(db: Kysely<Database>, options: WriteDumpOptions): Promise<DumpManifest> {
  await mkdir(options.dir, { recursive: true });
  const generatedAt = options.now.toISOString();
  const file = `cheongwon-petitions-${generatedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.jsonl.gz`;
  const tmp = path.join(options.dir, `.${file}.${process.pid}.tmp`);
  const total = await countPetitions(db, PUBLIC_STATES);
  const pageSize = options.pageSize ?? 500;
  let written = 0;

  async function* lines(): AsyncGenerator<string> {
    const header: DumpHeader = {
      schema: DUMP_SCHEMA,
      record: 'header',
      generated_at: generatedAt,
      publisher: options.publicUrl ?? null,
      licence:
        'Petition texts were written by citizens; official answers are government works (Korean Copyright Act ' +
        'art. 24-2). Sources and their licences: see attribution. Keep this attribution wherever the data goes.',
      attribution: NOTICE_TEXT,
    };
    yield `${JSON.stringify(header)}\n`;
    // the election-period switch, read once per profile for the whole dump
    const settings = new Map<string, ModerationSettings>();
    const withheld = async (row: PetitionRow) => {
      let s = settings.get(row.profile);
      if (!s) {
        s = await loadModerationSettings(db, row.profile);
        settings.set(row.profile, s);
      }
      return withheldReason(s, row.category);
    };
    let after = '0';
    for (;;) {
      const rows = await petitionsAfter(db, PUBLIC_STATES, after, pageSize);
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      const responses = await responsesForPetitions(db, ids);
      const archived = rows.filter((r) => r.archived_agreement_count !== null).map((r) => r.id);
      const areaCounts = await archivedAreaCountsFor(db, archived);
      let chunk = '';
      for (const row of rows) {
        const record = dumpRecord(
          row,
          responses.get(row.id) ?? [],
          options.profile(row.profile),
          await withheld(row),
          areaCounts.get(row.id),
        );
        chunk += `${JSON.stringify(record)}\n`;
      }
      yield chunk;
      written += rows.length;
      after = (rows[rows.length - 1] as PetitionRow).id;
      options.onProgress?.(written, Math.max(total, written));
    }
  }

  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      Readable.from(lines()),
      createGzip({ level: 9 }),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp),
    );
    await rename(tmp, path.join(options.dir, file));
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  const manifest: DumpManifest = {
    schema: DUMP_SCHEMA,
    file,
    sha256: hash.digest('hex'),
    bytes,
    petitions: written,
    generated_at: generatedAt,
  };
  await writeAtomically(path.join(options.dir, `${file}.sha256`), checksumLine(manifest));
  await writeAtomically(path.join(options.dir, 'NOTICE'), NOTICE_TEXT);
  await writeAtomically(path.join(options.dir, 'latest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await pruneDumps(options.dir, options.keep ?? 7);
  return manifest;
}

/** The checksum file's content: `<hex>  <file name>\n`, as `sha256sum` writes it (verify with `sha256sum -c`). */
export function checksumLine(manifest: Pick<DumpManifest, 'sha256' | 'file'>): string {
  return `${manifest.sha256}  ${manifest.file}\n`;
}

/** The manifest of the newest dump in `dir`, or null when there is none (or it is unreadable). */
export async function readLatestManifest(dir: string): Promise<DumpManifest | null> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8')) as DumpManifest;
    return DUMP_NAME.test(parsed.file) && /^[0-9a-f]{64}$/.test(parsed.sha256) ? parsed : null;
  } catch {
    return null;
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** Deletes all but the newest `keep` dumps (names sort by time) and their checksum files. */
async function pruneDumps(dir: string, keep: number): Promise<void> {
  const dumps = (await readdir(dir)).filter((name) => DUMP_NAME.test(name)).sort();
  for (const name of dumps.slice(0, Math.max(0, dumps.length - keep))) {
    await rm(path.join(dir, name), { force: true });
    await rm(path.join(dir, `${name}.sha256`), { force: true });
  }
}
