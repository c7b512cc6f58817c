import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Kysely } from 'kysely';
import { countLines, type ImportSummary, importArchiveFile } from '../commands/import-archive.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';

export interface ImportFilesOptions {
  dryRun: boolean;
  invalidUtf8?: 'reject' | 'windows-1252';
  /** Show a progress bar (on a terminal) — off in tests and when output is piped. */
  progress: boolean;
  log: (line: string) => void;
  /** Where file-level errors go (default: `log`). */
  error?: (line: string) => void;
  now: () => Date;
}

/**
 * Imports each file in turn, with a progress bar per file and a summary line per file
 * (inserted / merged / unchanged / skipped, then every skipped row with file:line and reason, up to 20 per file).
 * A file that cannot be read at all is reported (`error [code] FILE: reason`) and the others are still imported.
 * @returns the summaries, the files that failed, and the wall time in seconds
 */
export async function importFiles(
  db: Kysely<Database>,
  files: string[],
  options: ImportFilesOptions,
): Promise<{ summaries: ImportSummary[]; failed: string[]; seconds: number }> {
  const started = performance.now();
  const summaries: ImportSummary[] = [];
  const failed: string[] = [];
  for (const file of files) {
    const fileStarted = performance.now();
    let bar: SingleBar | null = null;
    if (options.progress) {
      const total = await countLines(file);
      bar = new SingleBar({
        format: `${path.basename(file)} [{bar}] {percentage}% | line {value}/{total} | {duration}s`,
        hideCursor: true,
      });
      bar.start(total, 0);
    }
    let summary: ImportSummary;
    try {
      summary = await importArchiveFile(db, file, {
        dryRun: options.dryRun,
        invalidUtf8: options.invalidUtf8 ?? 'reject',
        now: options.now(),
        onProgress: (line) => bar?.update(line),
      });
      bar?.update(bar.getTotal());
    } catch (error) {
      // A file that cannot be read at all (unknown format, truncated gzip, a directory…): say which, go on.
      bar?.stop();
      const code = error instanceof DomainError ? ` [${error.code}]` : '';
      (options.error ?? options.log)(
        `error${code} ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
      failed.push(file);
      continue;
    } finally {
      bar?.stop();
    }
    summaries.push(summary);
    const secs = (performance.now() - fileStarted) / 1000;
    const processed = summary.inserted + summary.merged + summary.unchanged + summary.skipped.length;
    const verb = summary.dryRun ? 'would insert' : 'inserted';
    options.log(
      `${summary.dryRun ? '[dry run] ' : ''}${file} (${summary.format}): ${verb} ${summary.inserted}, ` +
        `merged ${summary.merged}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length} ` +
        `— ${secs.toFixed(1)} s, ${Math.round(processed / Math.max(secs, 0.001))} rows/s`,
    );
    if (summary.uncategorised > 0) {
      options.log(
        `  ${summary.uncategorised} rows have a category the profile does not know: stored without one`,
      );
    }
    for (const s of summary.skipped.slice(0, 20)) options.log(`  skipped ${s.file}:${s.line}: ${s.reason}`);
    if (summary.skipped.length > 20) options.log(`  … and ${summary.skipped.length - 20} more skipped rows`);
  }
  return { summaries, failed, seconds: (performance.now() - started) / 1000 };
}
