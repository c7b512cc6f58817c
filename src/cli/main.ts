#!/usr/bin/env node
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { changePolicySetting } from '../commands/change-policy-setting.js';
import { openDemoPetition } from '../commands/demo-petition.js';
import { importPostcodes } from '../commands/import-postcodes.js';
import { purgeExpired } from '../commands/purge-expired.js';
import { loadConfig } from '../config/env.js';
import { loadRuntimeSettings } from '../config/runtime-settings.js';
import { reconcileCounts, reconcileLogs } from '../counting/reconcile.js';
import { DomainError } from '../domain/errors.js';
import { effectiveSettings, getProfile, PROFILE_CODES, SETTING_KEYS } from '../domain/policy-profiles.js';
import { answerOversizedRequests } from '../http/oversized-requests.js';
import { recordCountEvents } from '../notifications/outbox.js';
import { writeDump } from '../open-data/dump.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { createDeployment } from '../wiring/deployment.js';
import { deploymentSecret } from '../wiring/signing.js';
import { openMigratedDatabase } from './context.js';
import { registerDeskCommands } from './desk.js';
import { registerDeskAdminCommands } from './desk-admin.js';
import { importFiles } from './import-files.js';
import { registerNotificationCommands } from './notifications.js';
import { seedIfEmpty } from './seed.js';
import { cliActor, registerStaffCommands } from './staff.js';
import { registerVerifyCommands } from './verify.js';
import { registerWitnessCommands } from './witness.js';
import { registerWorkerCommand } from './worker.js';

const log = (line: string) => console.log(line);

const program = new Command()
  .name('cheongwon')
  .description('Cheongwon (청원): an open national e-petition platform')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the web server (migrates, and loads the real archive sample into an empty database)')
  .action(async () => {
    const config = loadConfig();
    deploymentSecret(config); // fail before any work when a required secret is missing
    const handle = await openMigratedDatabase(config, log);
    if (config.seed === 'sample')
      await seedIfEmpty(handle.db, { log, progress: process.stdout.isTTY === true });
    const deployment = await createDeployment(config, handle, { log });
    // the lifecycle runs by itself; its first pass closes what passed its deadline BEFORE the first request
    await deployment.start();
    const { app, site } = deployment;
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
      const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
      log(`Cheongwon (${site.deploymentProfile}) listening on http://${host}:${info.port}`);
    });
    // an over-long request line or header gets the API's JSON envelope or an error page, not a bare 431
    answerOversizedRequests(server as Server);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: finishing open requests, then closing the database`);
      server.close(async () => {
        await deployment.stop(); // every queued agreement is written, the mail in hand sent
        await handle.close();
        process.exit(0);
      });
      setTimeout(() => process.exit(1), 10_000).unref();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

program
  .command('demo-petition')
  .description(
    'open a demonstration petition to try agreeing locally (the archive sample is all closed); embedded database only',
  )
  .option('--on-postgres', 'also on PostgreSQL (a test deployment; never a real one)', false)
  .action(async (opts: { onPostgres: boolean }) => {
    const config = loadConfig();
    if (config.databaseUrl && !opts.onPostgres) {
      throw new Error(
        'demo-petition puts a made-up petition in front of the public: on PostgreSQL, pass --on-postgres (test deployments only)',
      );
    }
    const handle = await openMigratedDatabase(config, () => {});
    try {
      // as the first start would: the archive sample first (it only loads into an empty database)
      if (config.seed === 'sample')
        await seedIfEmpty(handle.db, { log, progress: process.stdout.isTTY === true });
      const id = await openDemoPetition(handle.db, config.profile);
      log(
        `demo petition ${id} is open: ${config.publicUrl}/petitions/${id} (mail goes to ${config.publicUrl}/dev/mailbox)`,
      );
    } finally {
      await handle.close();
    }
  });

program
  .command('purge')
  .description(
    'delete unconfirmed agreements and draft petitions whose emailed link expired, with their contact data (serve does it every 10 min)',
  )
  .action(async () => {
    const config = loadConfig();
    const handle = await openMigratedDatabase(config, () => {});
    try {
      const n = await purgeExpired(handle.db);
      log(
        `purged expired links: ${n.agreements} agreement(s), ${n.petitions} draft petition(s), with their contact data`,
      );
    } finally {
      await handle.close();
    }
  });

program
  .command('reconcile')
  .description(
    'recount every petition from its agreement rows and report drift (--fix sets the counts); check each ' +
      'transparency log against its rows and count (log size, count from the entries, leaves) and report drift',
  )
  .option('--fix', 'set drifting counts to their recount (thresholds follow)', false)
  .action(async (opts: { fix: boolean }) => {
    const config = loadConfig();
    const handle = await openMigratedDatabase(config, () => {});
    let unfixed = false;
    try {
      const settings = await loadRuntimeSettings({
        db: handle.db,
        deploymentProfile: config.profile,
        ttlMs: 0,
      });
      const drift = await reconcileCounts(handle.db, {
        fix: opts.fix,
        settingsFor: settings.settingsFor,
        timeZoneFor: settings.timeZoneFor,
        // a fix that raises a count across a threshold queues its mail, as the agreement writer would
        effects: (trx, ids, now) => recordCountEvents(trx, ids, now, { settingsFor: settings.settingsFor }),
      });
      settings.close();
      for (const d of drift)
        log(`petition ${d.petitionId}: stored ${d.stored}, rows ${d.rows}, drift ${d.stored - d.rows}`);
      log(
        drift.length === 0
          ? 'drift: 0 — every count equals its rows'
          : `drift in ${drift.length} petition(s)${opts.fix ? ' — fixed' : ''}`,
      );
      unfixed = drift.length > 0 && !opts.fix;
      // the transparency log is append-only: its drift is reported, never "fixed"
      const logDrift = await reconcileLogs(handle.db);
      for (const d of logDrift) {
        log(
          `petition ${d.petitionId} log: size ${d.logSize}, entries ${d.entries}${d.span !== d.entries ? ` (gap: highest index ${d.span - 1})` : ''}, ` +
            `count from entries ${d.derived}, stored ${d.stored}, rows ${d.rows}, agreements without a leaf ${d.leafless}, ` +
            `leaves without an agreement ${d.strayLeaves}${d.problems.length > 0 ? `; ${d.problems.slice(0, 5).join('; ')}` : ''}`,
        );
      }
      log(
        logDrift.length === 0
          ? 'log drift: 0 — every log agrees with its rows and count'
          : `log drift in ${logDrift.length} petition(s)`,
      );
      if (logDrift.length > 0) unfixed = true;
    } finally {
      await handle.close();
    }
    if (unfixed) process.exitCode = 3; // after close: PGlite's runtime writes process.exitCode when it shuts down
  });

program
  .command('dump')
  .description(
    'write the open-data dump: every public petition as JSON Lines (gzip) with a SHA-256 checksum file',
  )
  .option('--out <dir>', 'directory to write into (default: the one serve publishes, CHEONGWON_DUMP_DIR)')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: { out?: string; progress: boolean }) => {
    const config = loadConfig();
    const dir = path.resolve(opts.out ?? config.dumpDir);
    const handle = await openMigratedDatabase(config, log);
    try {
      const settings = await loadRuntimeSettings({
        db: handle.db,
        deploymentProfile: config.profile,
        ttlMs: 0,
      });
      const bar =
        opts.progress && process.stderr.isTTY
          ? new SingleBar({
              format: 'dump [{bar}] {value}/{total} petitions | {duration}s',
              hideCursor: true,
            })
          : null;
      let started = false;
      const manifest = await writeDump(handle.db, {
        dir,
        now: new Date(),
        profile: settings.profile,
        publicUrl: config.publicUrl,
        onProgress: (written, total) => {
          if (!bar) return;
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(written);
        },
      });
      bar?.stop();
      settings.close();
      log(`${path.join(dir, manifest.file)}: ${manifest.petitions} petitions, ${manifest.bytes} bytes`);
      log(`sha256 ${manifest.sha256} (${manifest.file}.sha256; latest.json points at it)`);
    } finally {
      await handle.close();
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const handle = await openMigratedDatabase(loadConfig(), log);
    await handle.close();
  });

program
  .command('import')
  .description(
    'import historic petitions (Blue House, National Assembly, UK Parliament, We the People archives)',
  )
  .argument(
    '<files...>',
    'archive files; the format is detected from the content (.gz is read transparently)',
  )
  .option('--dry-run', 'report what would change, store nothing', false)
  .option('--no-progress', 'no progress bar')
  .addOption(
    new Option(
      '--invalid-utf8 <mode>',
      'rows that are not valid UTF-8: reject them, or read them as Windows-1252',
    )
      .choices(['reject', 'windows-1252'])
      .default('reject'),
  )
  .action(
    async (
      files: string[],
      opts: { dryRun: boolean; progress: boolean; invalidUtf8: 'reject' | 'windows-1252' },
    ) => {
      const handle = await openMigratedDatabase(loadConfig(), log);
      let failures = 0;
      try {
        const { summaries, failed, seconds } = await importFiles(handle.db, files, {
          dryRun: opts.dryRun,
          invalidUtf8: opts.invalidUtf8,
          progress: opts.progress && process.stderr.isTTY === true,
          log,
          error: (line) => console.error(line),
          now: () => new Date(),
        });
        const total = summaries.reduce(
          (n, s) => n + s.inserted + s.merged + s.unchanged + s.skipped.length,
          0,
        );
        log(
          `${files.length} file(s), ${total} rows in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} rows/s)`,
        );
        failures = failed.length;
      } finally {
        await handle.close();
      }
      // set after close: PGlite's runtime writes process.exitCode when it shuts down
      if (failures > 0) process.exitCode = 1;
    },
  );

program
  .command('import-postcodes')
  .description(
    "load the operator's ONS postcode lookup (NSPL CSV: pcds, pcon, ctry) so UK signers' postcodes give their constituency",
  )
  .argument('<nspl>', 'the NSPL CSV file (header row; other columns are ignored)')
  .option('--names <file>', 'the ONS constituency names CSV (PCONyyCD, PCONyyNM)')
  .action(async (nspl: string, opts: { names?: string }) => {
    const handle = await openMigratedDatabase(loadConfig(), log);
    try {
      await importPostcodes(handle.db, { nspl, names: opts.names }, log);
    } finally {
      await handle.close();
    }
  });

const settings = program
  .command('settings')
  .description("show or change a policy profile's runtime settings");
settings
  .command('show')
  .argument('[profile]', `one of ${PROFILE_CODES.join(', ')} (default: the deployment's)`)
  .action(async (code: string | undefined) => {
    const profile = getProfile(code ?? loadConfig().profile);
    const handle = await openMigratedDatabase(loadConfig(), () => {});
    try {
      const overrides = await loadProfileOverrides(handle.db, profile.code);
      log(
        JSON.stringify(
          { profile: profile.code, overrides, effective: effectiveSettings(profile, overrides) },
          null,
          2,
        ),
      );
    } finally {
      await handle.close();
    }
  });
settings
  .command('set')
  .description('set one setting (validated against the profile before anything is stored)')
  .argument('<profile>', `one of ${PROFILE_CODES.join(', ')}`)
  .argument('<key>', `one of ${SETTING_KEYS.join(', ')}`)
  .argument('<value>', 'JSON value, e.g. 100000 or \'{"days":30}\' or null')
  .action(async (code: string, key: string, raw: string) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DomainError(
        'invalid_setting',
        `The value must be JSON (e.g. 100000, {"days":30}, null); got ${raw}`,
      );
    }
    await changeSettings(code, key, value);
  });
settings
  .command('unset')
  .description("remove an override: the setting returns to the profile's default")
  .argument('<profile>', `one of ${PROFILE_CODES.join(', ')}`)
  .argument('<key>', `one of ${SETTING_KEYS.join(', ')}`)
  .action(async (code: string, key: string) => {
    await changeSettings(code, key, undefined);
  });

/**
 * Sets (`value` given) or unsets (`value` undefined) one runtime setting of a policy profile through the same
 * command as the staff settings page (`changePolicySetting`: row lock, validation, audit entry 'settings.policy'
 * with the actor 'cli:<user>'), and prints the stored overrides and the effective settings.
 * @throws DomainError('unknown_profile' | 'invalid_setting'); an archive-only profile cannot be changed
 */
async function changeSettings(code: string, key: string, value: unknown): Promise<void> {
  const handle = await openMigratedDatabase(loadConfig(), () => {});
  try {
    const changed = await changePolicySetting(handle.db, {
      profile: code,
      key,
      value,
      actor: cliActor(),
      now: new Date(),
    });
    log(JSON.stringify(changed, null, 2));
  } finally {
    await handle.close();
  }
}

registerStaffCommands(program, loadConfig, log);
registerNotificationCommands(program, loadConfig, log);
registerWorkerCommand(program, loadConfig, log);
registerDeskAdminCommands(registerDeskCommands(program), loadConfig, log);
registerWitnessCommands(program, log);
registerVerifyCommands(program, log);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof DomainError) console.error(`error [${error.code}]: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
