/**
 * `npm run bench:verify`: how long `cheongwon verify count` takes on a Room-N-sized petition from local tiles, and
 * how many files it reads against how many it needs (issue 13 target: ≤ 10 s on the project's 2-core machine).
 *
 * Builds, in a temporary directory, a site with one petition log of 2,715,700 agreements, a statement, 74
 * invalidations and a close entry (count 2,715,626, the size of the Room-N petition), written as C2SP tiles and
 * entry bundles by the same core the site uses, plus a heads log cosigned by 2 of 3 witnesses. Then times
 *   1. verifyCount in this process (dirSource), and
 *   2. the CLI as a journalist runs it: `cheongwon verify count <id> --dir <dir>` (a child process, tsx included).
 *
 * Environment / flags: BENCH_VERIFY_AGREEMENTS (default 2715700), `--keep <dir>` builds once into <dir> and reuses
 * it on later runs, BENCH_APPEND=0 to print without appending to BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ENTRY_AGREEMENT,
  encodeCloseEntry,
  encodeInvalidationEntry,
  encodeStatementEntry,
  statementHash,
} from '../src/domain/tlog/entries.js';
import { tilesForSize } from '../src/domain/tlog/tiles.js';
import { verifyCount } from '../src/verify/count.js';
import { dirSource } from '../src/verify/source.js';
import { LogSite } from '../test/support/tlog-site.js';
import { appendToBenchmarks, machine } from './support/harness.js';

const AGREEMENTS = Number(process.env.BENCH_VERIFY_AGREEMENTS ?? 2_715_700);
const INVALIDATED = 74;
const PETITION = 2214;
const keepAt = process.argv.indexOf('--keep');
const keepDir = keepAt >= 0 ? process.argv[keepAt + 1] : undefined;
const dir = keepDir ? path.resolve(keepDir) : mkdtempSync(path.join(os.tmpdir(), 'cheongwon-bench-verify-'));

function build(): { buildSeconds: number } {
  const started = performance.now();
  const site = new LogSite(dir);
  const batch = 65_536;
  for (let at = 0; at < AGREEMENTS; at += batch) {
    const n = Math.min(batch, AGREEMENTS - at);
    // Random tags and commitments: what HMAC and SHA-256 outputs look like, without computing 2.7 M of them here.
    const random = randomBytes(n * 64);
    const entries: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const e = new Uint8Array(65);
      e[0] = ENTRY_AGREEMENT;
      e.set(random.subarray(i * 64, i * 64 + 64), 1);
      entries.push(e);
    }
    site.petition(PETITION).append(entries);
    process.stdout.write(`\rbuilding: ${(at + n).toLocaleString('en-US')} agreements`);
  }
  const statement = AGREEMENTS;
  const tail = [
    encodeStatementEntry({
      statementHash: statementHash('74 automated agreements'),
      invalidates: INVALIDATED,
    }),
    ...Array.from({ length: INVALIDATED }, (_, i) =>
      encodeInvalidationEntry({ target: i * Math.floor(AGREEMENTS / INVALIDATED), statement, reason: 2 }),
    ),
    encodeCloseEntry(AGREEMENTS - INVALIDATED),
  ];
  site.appendToPetition(PETITION, tail);
  // Some other petitions around it in the heads log.
  for (let p = 1; p <= 20; p++)
    site.appendToPetition(p, [new Uint8Array([ENTRY_AGREEMENT, ...randomBytes(64)])]);
  site.publishHeads([0, 1]);
  process.stdout.write('\n');
  return { buildSeconds: (performance.now() - started) / 1000 };
}

function countFiles(d: string): number {
  let n = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    n += e.isDirectory() ? countFiles(path.join(d, e.name)) : 1;
  }
  return n;
}

let buildSeconds: number | undefined;
if (!keepDir || !existsSync(path.join(dir, `log/petitions/${PETITION}/checkpoint`)))
  ({ buildSeconds } = build());
const petitionDir = path.join(dir, `log/petitions/${PETITION}`);
const filesInLog = countFiles(petitionDir);
const size = AGREEMENTS + 1 + INVALIDATED + 1;
const tilesOfLog = tilesForSize(size).length;

const load = () => os.loadavg()[0]?.toFixed(1);
const loadBefore = load();
const c0 = process.cpuUsage();
const t0 = performance.now();
const report = await verifyCount(dirSource(dir), String(PETITION));
const inProcess = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
if (report.derived.count !== AGREEMENTS - INVALIDATED) throw new Error(`count ${report.derived.count}`);

const root = path.resolve(import.meta.dirname, '..');
const t1 = performance.now();
const cli = await promisify(execFile)(
  path.join(root, 'node_modules/.bin/tsx'),
  [path.join(root, 'src/cli/main.ts'), 'verify', 'count', String(PETITION), '--dir', dir, '--no-progress'],
  { maxBuffer: 1 << 20 },
);
const cliSeconds = (performance.now() - t1) / 1000;
const loadAfter = load();
process.stdout.write(cli.stdout);

const mb = (report.files.bytes / 1e6).toFixed(1);
const lines = [
  `## Verifying a Room-N-sized count — \`npm run bench:verify\``,
  '',
  `${new Date().toISOString().slice(0, 10)}, ${machine()}; shared with other engineers' runs (load average ${loadBefore} before, ${loadAfter} after).`,
  `One petition log of ${size.toLocaleString('en-US')} entries (${AGREEMENTS.toLocaleString('en-US')} agreements, a statement, ${INVALIDATED} invalidations, a close: count ${(AGREEMENTS - INVALIDATED).toLocaleString('en-US')}), built as C2SP tiles by the site's own core${buildSeconds ? ` in ${buildSeconds.toFixed(0)} s` : ''}; a heads log cosigned by 2 of 3 witnesses.`,
  '',
  '| run | wall seconds | CPU seconds (all threads) | files read | files needed | MB read |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| verifyCount in-process (dirSource) | ${inProcess.toFixed(1)} | ${cpuSeconds.toFixed(1)} | ${report.files.fetched.toLocaleString('en-US')} | ${report.files.needed.toLocaleString('en-US')} | ${mb} |`,
  `| \`cheongwon verify count ${PETITION} --dir …\` (child process, tsx start included) | ${cliSeconds.toFixed(1)} | — | same | same | same |`,
  '',
  `Files read: ${report.files.bundles.toLocaleString('en-US')} entry bundles, the petition checkpoint, /log/key, the heads checkpoint, ${report.files.headsBundles} heads bundle(s) and ${report.files.headsTiles} heads tile(s). The petition's ${tilesOfLog.toLocaleString('en-US')} hash tiles (of ${filesInLog.toLocaleString('en-US')} files in its directory) are not read: the root is rebuilt from the entries. Target: ≤ 10 s.`,
  '',
  `Command: \`npm run bench:verify\` (\`-- --keep <dir>\` reuses a built log).`,
];
const section = lines.join('\n');
console.log(`\n${section}`);
if (process.env.BENCH_APPEND !== '0') appendToBenchmarks(section);
if (!keepDir) rmSync(dir, { recursive: true, force: true });
