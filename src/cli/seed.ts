import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isEmpty } from '../repositories/petitions.js';
import { importFiles } from './import-files.js';

/** The curated real sample shipped with the repository (see data/sample/README.md). */
export const SAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/sample');

/** Sample files in load order: board records first, so that later files only fill in what they lack. */
export function sampleFiles(dir = SAMPLE_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(jsonl|csv|json)(\.gz)?$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Loads the bundled real sample when the database holds no petition at all, so the first page a newcomer sees
 * is the real archive. Does nothing on a non-empty database.
 * @returns true when the sample was loaded now
 */
export async function seedIfEmpty(
  db: Kysely<Database>,
  options: { log: (line: string) => void; progress: boolean },
): Promise<boolean> {
  if (!(await isEmpty(db))) return false;
  options.log(`Empty database: loading the real archive sample from ${SAMPLE_DIR}`);
  await importFiles(db, sampleFiles(), {
    dryRun: false,
    progress: options.progress,
    log: options.log,
    now: () => new Date(),
  });
  return true;
}
