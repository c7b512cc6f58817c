import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { constituencyNameRow, nsplRow } from '../domain/places.js';
import { upsertConstituencies, upsertPostcodes } from '../repositories/writes/postcodes.js';

/** Rows stored per statement. */
const BATCH = 2_000;

/**
 * Imports the operator's copy of the ONS National Statistics Postcode Lookup (NSPL, CSV with a header row; the
 * columns read are `pcds`, `pcon`, `ctry`) into the postcode table, and optionally the constituency names file
 * (`PCONyyCD`, `PCONyyNM`). Rows already there are replaced (a newer NSPL moves postcodes between constituencies).
 * Rows without a constituency or with a malformed postcode are counted as skipped. The data is the ONS's (Open
 * Government Licence); the operator supplies it — nothing is downloaded.
 * @param progress called every 100,000 rows read, and at the end
 * @returns rows stored and skipped, per file
 */
export async function importPostcodes(
  db: Kysely<Database>,
  files: { nspl: string; names?: string | undefined },
  progress: (line: string) => void = () => {},
): Promise<{ postcodes: number; skipped: number; constituencies: number }> {
  let postcodes = 0;
  let skipped = 0;
  let constituencies = 0;
  if (files.names) {
    const names: Array<{ code: string; name: string }> = [];
    for await (const record of csvRecords(files.names)) {
      const row = constituencyNameRow(record);
      if (row) names.push(row);
    }
    for (let i = 0; i < names.length; i += BATCH) await upsertConstituencies(db, names.slice(i, i + BATCH));
    constituencies = names.length;
  }
  let batch: Array<{ postcode: string; constituency: string; country: string }> = [];
  let read = 0;
  for await (const record of csvRecords(files.nspl)) {
    read += 1;
    const row = nsplRow(record);
    if (row) batch.push(row);
    else skipped += 1;
    if (batch.length >= BATCH) {
      await upsertPostcodes(db, batch);
      postcodes += batch.length;
      batch = [];
    }
    if (read % 100_000 === 0) progress(`${read.toLocaleString('en-GB')} rows read, ${postcodes} stored`);
  }
  await upsertPostcodes(db, batch);
  postcodes += batch.length;
  progress(`${postcodes} postcodes stored, ${skipped} skipped, ${constituencies} constituency names`);
  return { postcodes, skipped, constituencies };
}

function csvRecords(path: string): AsyncIterable<Record<string, string>> {
  return createReadStream(path).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      relax_column_count: true,
    }),
  );
}
