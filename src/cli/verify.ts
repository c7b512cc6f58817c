import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { PolicyError } from '../domain/tlog/policy.js';
import { type LogKeys, parseLogKeys } from '../domain/tlog/site-log.js';
import { verifyConsistencyOf } from '../verify/consistency.js';
import { type CountReport, loadLogKeys, verifyCount } from '../verify/count.js';
import { monitorPass, readMonitorState, writeMonitorState } from '../verify/monitor.js';
import { EXIT_CODES, FAILURE_LABELS, VerifyFailure } from '../verify/outcome.js';
import { verifyReceipt } from '../verify/receipt.js';
import { dirSource, httpSource, type LogSource } from '../verify/source.js';

interface SourceOptions {
  from?: string;
  dir?: string;
  json?: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');

function sourceOf(o: SourceOptions, required: boolean): LogSource | undefined {
  if (o.from && o.dir) throw new VerifyFailure('usage', 'give --from or --dir, not both');
  if (o.from) return httpSource(o.from);
  if (o.dir) return dirSource(o.dir);
  if (required)
    throw new VerifyFailure('usage', 'give --from <site URL> or --dir <directory of downloaded log files>');
  return undefined;
}

/** Runs a verification, printing a failure as `LABEL: message` and setting the exit code of its kind. */
async function run(log: (line: string) => void, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof VerifyFailure) {
      const report = (e as VerifyFailure & { report?: CountReport }).report;
      if (report) printCount(log, report);
      console.error(`${FAILURE_LABELS[e.kind]}: ${e.message}`);
      process.exitCode = e.exitCode;
      return;
    }
    throw e;
  }
}

function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_s: string, _d: number, _t: number) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: '{stage} [{bar}] {value}/{total} files',
    clearOnComplete: true,
    hideCursor: true,
  });
  let stage = '';
  return {
    update: (s: string, done: number, total: number) => {
      if (s !== stage) {
        if (stage) bar.stop();
        stage = s;
        bar.start(total, done, { stage: s.padEnd(7) });
      } else bar.update(done);
    },
    stop: () => {
      if (stage) bar.stop();
    },
  };
}

function printCount(log: (line: string) => void, r: CountReport): void {
  const d = r.derived;
  log(`Petition ${r.petition} (${r.origin})`);
  log(
    `  count      ${n(d.count)} = ${n(d.agreements)} agreements − ${n(d.invalidated)} invalidated + ${n(d.reinstated)} reinstated` +
      (d.statements > 0 ? ` (${d.statements} published statement(s))` : ''),
  );
  log(`  log        ${n(r.size)} entries rebuild the signed root ${r.root}`);
  if (d.closedAt !== undefined) log(`  closed     the close entry says ${n(d.closedAt)}`);
  if (r.siteCount) log(`  site shows ${n(r.siteCount.count)} (${r.siteCount.state})`);
  const lag = r.size - r.heads.witnessedSize;
  log(
    `  witnessed  heads entry ${n(r.heads.entryIndex)} of ${n(r.heads.size)} records size ${n(r.heads.witnessedSize)}` +
      (lag > 0 ? ` (the last ${n(lag)} entries are not witnessed yet)` : '') +
      `; cosigned by ${r.heads.witnesses.map((w) => w.name).join(', ') || 'no witness (quorum none)'}`,
  );
  log(
    `  files      ${n(r.files.fetched)} fetched (${(r.files.bytes / 1e6).toFixed(1)} MB) of ${n(r.files.needed)} needed: ` +
      `${n(r.files.bundles)} entry bundles, 3 checkpoints/keys, ${r.files.headsBundles} heads bundle(s), ${r.files.headsTiles} heads tile(s); no hash tile of the petition`,
  );
}

/** Reads the site keys from --log-key (a file) or from the source's /log/key. */
async function keysFor(o: { logKey?: string }, source: LogSource | undefined): Promise<LogKeys> {
  if (o.logKey) {
    try {
      return parseLogKeys(readFileSync(o.logKey, 'utf8'));
    } catch (e) {
      if (e instanceof PolicyError) throw new VerifyFailure('usage', `${o.logKey}: ${e.message}`);
      throw new VerifyFailure('usage', `cannot read ${o.logKey}: ${(e as Error).message}`);
    }
  }
  if (!source)
    throw new VerifyFailure('usage', "give --log-key <file>, or --from / --dir to read the site's /log/key");
  return loadLogKeys(source);
}

/**
 * `cheongwon verify`: check Cheongwon's transparency logs with no access to its database — against the live site
 * (`--from URL`) or a directory of downloaded log files (`--dir`). Exit codes: src/verify/outcome.ts EXIT_CODES
 * (README, "Checking a count yourself").
 */
export function registerVerifyCommands(program: Command, log: (line: string) => void): void {
  const verify = program
    .command('verify')
    .description("check a petition's count, a receipt or the logs' history from the public log files alone")
    .addHelpText(
      'after',
      `\nExit codes:\n${Object.entries(EXIT_CODES)
        .map(([k, v]) => `  ${String(v).padStart(2)}  ${k}`)
        .join('\n')}`,
    );

  const withSource = (c: Command) =>
    c
      .option('--from <url>', 'the site, e.g. https://cheongwon.example')
      .option('--dir <dir>', 'a directory with the same layout (log/key, log/petitions/<id>/…, log/heads/…)');

  withSource(verify.command('count <petition>'))
    .description(
      "rebuild a petition's count from its log: signatures, witnesses, every entry, the count rule",
    )
    .option('--expect <count>', 'the count shown on the page; a difference is reported as a tampered count')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (petition: string, o: SourceOptions & { expect?: string; progress: boolean }) =>
      run(log, async () => {
        const source = sourceOf(o, true) as LogSource;
        if (o.expect !== undefined && !/^[0-9]+$/.test(o.expect))
          throw new VerifyFailure('usage', '--expect takes a count');
        const bar = progressBar(o.progress && process.stderr.isTTY === true && !o.json);
        const started = performance.now();
        let report: CountReport;
        try {
          report = await verifyCount(source, petition, {
            ...(o.expect !== undefined ? { expect: Number(o.expect) } : {}),
            siteCount: Boolean(o.from),
            nowSeconds: Math.floor(Date.now() / 1000) + 300,
            onProgress: bar.update,
          });
        } finally {
          bar.stop();
        }
        if (o.json)
          log(JSON.stringify({ ...report, seconds: (performance.now() - started) / 1000 }, null, 2));
        else {
          printCount(log, report);
          log(
            `VERIFIED in ${((performance.now() - started) / 1000).toFixed(1)} s: the count ${n(report.derived.count)} follows from the signed, witnessed log`,
          );
        }
      }),
    );

  withSource(verify.command('receipt <file>'))
    .description('check a .tlog-proof receipt offline, and with --from/--dir that the log still holds it')
    .option('--log-key <file>', "the site's /log/key, saved (for offline checks)")
    .option('--secret <hex>', 'your receipt secret (32 hex digits): proves the agreement is yours')
    .action(async (file: string, o: SourceOptions & { logKey?: string; secret?: string }) =>
      run(log, async () => {
        const source = sourceOf(o, false);
        const keys = await keysFor(o, source);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new VerifyFailure('usage', `cannot read ${file}: ${(e as Error).message}`);
        }
        if (o.secret !== undefined && !/^[0-9a-fA-F]{32}$/.test(o.secret)) {
          throw new VerifyFailure('usage', '--secret takes the 32 hex digits of the receipt secret');
        }
        const r = await verifyReceipt(text, keys, {
          ...(source ? { source } : {}),
          ...(o.secret ? { secret: new Uint8Array(Buffer.from(o.secret, 'hex')) } : {}),
          nowSeconds: Math.floor(Date.now() / 1000) + 300,
        });
        log(
          `Receipt: ${r.kind} entry ${n(r.index)} of ${r.origin}, in the signed tree of size ${n(r.receiptSize)}`,
        );
        if (r.secretMatches) log('  the receipt secret matches: this agreement is yours');
        if (r.currentSize !== undefined)
          log(`  still in the site's current tree (size ${n(r.currentSize)}), which extends the receipt's`);
        if (r.witnessedSize !== undefined)
          log(`  witnessed: the heads log records size ${n(r.witnessedSize)}`);
        if (!source)
          log('  (offline: add --from or --dir to check the log still holds it and that it was witnessed)');
        log('VERIFIED');
      }),
    );

  withSource(verify.command('consistency <old> <new>'))
    .description('check that a later saved checkpoint extends an earlier one of the same log')
    .option('--log-key <file>', "the site's /log/key, saved")
    .action(async (oldFile: string, newFile: string, o: SourceOptions & { logKey?: string }) =>
      run(log, async () => {
        const source = sourceOf(o, true) as LogSource;
        const keys = await keysFor(o, source);
        const read = (f: string) => {
          try {
            return readFileSync(f, 'utf8');
          } catch (e) {
            throw new VerifyFailure('usage', `cannot read ${f}: ${(e as Error).message}`);
          }
        };
        const r = await verifyConsistencyOf(source, keys, read(oldFile), read(newFile));
        log(`${r.origin}: size ${n(r.newSize)} extends size ${n(r.oldSize)} (${r.tilesRead} tile(s) read)`);
        log('CONSISTENT');
      }),
    );

  withSource(verify.command('monitor'))
    .description('follow the witnessed heads log; report any petition whose history forks or shrinks')
    .option('--state <file>', "the monitor's memory between runs", 'cheongwon-monitor.json')
    .option('--once', 'one pass, then exit with the code of the first finding', false)
    .option('--interval <seconds>', 'seconds between passes', '30')
    .action(async (o: SourceOptions & { state: string; once: boolean; interval: string }) =>
      run(log, async () => {
        const source = sourceOf(o, true) as LogSource;
        const keys = await loadLogKeys(source);
        for (;;) {
          const state = readMonitorState(o.state);
          const pass = await monitorPass(source, state, {
            keys,
            nowSeconds: Math.floor(Date.now() / 1000) + 300,
          });
          writeMonitorState(o.state, state);
          const stamp = new Date().toISOString();
          log(
            `${stamp} heads size ${n(pass.headsSize)}: ${n(pass.newEntries)} new entries, ${pass.petitionsSeen} petition(s) updated, ${pass.findings.length} finding(s)`,
          );
          for (const f of pass.findings) log(`${stamp} ${FAILURE_LABELS[f.kind]}: ${f.message}`);
          if (o.once) {
            const first = pass.findings[0];
            if (first)
              throw new VerifyFailure(
                first.kind,
                `${pass.findings.length} finding(s); first: ${first.message}`,
              );
            return;
          }
          await new Promise((r) => setTimeout(r, Math.max(1, Number(o.interval)) * 1000));
        }
      }),
    );
}
