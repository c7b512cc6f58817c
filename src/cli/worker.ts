import type { Command } from 'commander';
import { type AppConfig, loadConfig } from '../config/env.js';
import { loadRuntimeSettings } from '../config/runtime-settings.js';
import { createLifecycleScheduler, NO_CACHED_PAGES } from '../wiring/lifecycle.js';
import { createNotificationWorker } from '../wiring/notifications.js';
import { deploymentMailer, requireRealMail } from '../wiring/signing.js';
import { createTransparencyLog } from '../wiring/transparency.js';
import { openMigratedDatabase } from './context.js';

/**
 * `cheongwon worker`: the deployment's background work for deployments that run it apart from the app servers —
 * the notification relay (outbox → mail) and the lifecycle scheduler (petitions close at their deadline, windows
 * lapse, answers fall overdue, review targets are flagged). Any number may run beside `serve` on one PostgreSQL.
 */
export function registerWorkerCommand(
  program: Command,
  load: () => AppConfig = loadConfig,
  log: (line: string) => void = (line) => console.log(line),
): void {
  program
    .command('worker')
    .description(
      'deliver notification mail from the outbox (SMTP_URL, or the development mailbox) and run the lifecycle ' +
        '(closing at deadlines, lapses, overdue answers); runs until stopped',
    )
    .option('--once', 'do what is due now (one lifecycle pass, then the mail that is due), then exit', false)
    .action(async (o: { once: boolean }) => {
      const config = load();
      requireRealMail(config);
      const handle = await openMigratedDatabase(config, log);
      const settings = await loadRuntimeSettings({ db: handle.db, deploymentProfile: config.profile });
      const mailer = deploymentMailer(handle.db, process.env);
      const relay = createNotificationWorker(config, handle.db, mailer, log);
      const lifecycle = createLifecycleScheduler({ db: handle.db, settings, listener: NO_CACHED_PAGES, log });
      const transparency = await createTransparencyLog(config, handle, { log });
      const shutdown = async () => {
        await lifecycle.stop();
        await transparency.scheduler.stop();
        await relay.stop();
        await mailer.close();
        settings.close();
        await handle.close();
      };
      if (o.once) {
        try {
          const moved = await lifecycle.runOnce();
          log(
            `lifecycle: closed ${moved.closed.length}, lapsed ${moved.lapsed.length}, answers overdue ${moved.overdue.length}, reviews past target ${moved.reviewsOverdue.length}`,
          );
          const logged = await transparency.scheduler.runOnce({ publish: true });
          log(
            `transparency log: ${logged.integrated?.signed.length ?? 0} petition checkpoint(s) signed, heads size ${logged.published?.size ?? '-'}`,
          );
          const pass = await relay.drain();
          log(`sent ${pass.sent}, retried ${pass.retried}, failed ${pass.failed}, skipped ${pass.skipped}`);
        } finally {
          await shutdown(); // a failed pass still lets the database go
        }
        return;
      }
      log(`notification worker ${relay.id} started; lifecycle scheduler and transparency log started`);
      lifecycle.start();
      transparency.scheduler.start();
      relay.start();
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log(`${signal}: finishing the mail in hand`);
        void shutdown().then(() => process.exit(0));
        setTimeout(() => process.exit(1), 15_000).unref();
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
