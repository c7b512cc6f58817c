import type { Hono } from 'hono';
import { schedulePurge } from '../commands/purge-expired.js';
import type { AppConfig } from '../config/env.js';
import { loadRuntimeSettings, type RuntimeSettings } from '../config/runtime-settings.js';
import type { DatabaseHandle } from '../db/connection.js';
import { getProfile } from '../domain/policy-profiles.js';
import { createApp } from '../http/app.js';
import { registerLogRoutes } from '../http/log/routes.js';
import { parseTrustedProxies } from '../http/middleware/client-address.js';
import { createSite, type Site } from '../http/site.js';
import type { NotificationWorker } from '../notifications/worker.js';
import { writeDump } from '../open-data/dump.js';
import { startDailyDumps } from '../open-data/dump-schedule.js';
import type { LifecyclePass, LifecycleScheduler } from '../scheduling/lifecycle-scheduler.js';
import { parseRateSpec } from '../signing/rate-limits.js';
import { deskContext } from './desk.js';
import { createLifecycleScheduler } from './lifecycle.js';
import { createNotificationWorker, workerInServe } from './notifications.js';
import { createSigning, type Signing } from './signing.js';
import { staffContext } from './staff.js';
import { createTransparencyLog, type TransparencyLog } from './transparency.js';

/** One app server's parts, put together from its configuration (see `createDeployment`). */
export interface Deployment {
  settings: RuntimeSettings;
  site: Site;
  signing: Signing;
  lifecycle: LifecycleScheduler;
  /** The transparency log: keys, `/log/key`, and its integrator/publisher loop (run unless CHEONGWON_SCHEDULER=off). */
  transparency: TransparencyLog;
  /** The in-process mail relay, or null when `cheongwon worker` runs it (NOTIFY_WORKER=off). */
  relay: NotificationWorker | null;
  /** The web application (public pages, API, signing, creation, staff). */
  app: Hono;
  /**
   * Catches up the lifecycle (petitions past their deadline close with `closed_at` = the deadline), then starts the
   * background loops: the scheduler (unless CHEONGWON_SCHEDULER=off), the mail relay, the daily dump, the purge of
   * expired links. Call it before the server listens.
   * @returns what the catch-up pass moved
   */
  start(): Promise<LifecyclePass>;
  /** Stops the loops, drains the agreement writer and the mail in hand; the database stays open (the caller's). */
  stop(): Promise<void>;
}

/**
 * The composition root: configuration → database → runtime settings → site → agreement writer (signing) → mail
 * relay → lifecycle scheduler → web app. `cheongwon serve` uses it; tests and benchmarks use it to run the same
 * parts in-process.
 * @param config the deployment's configuration (`loadConfig`)
 * @param handle an open, migrated database
 * @param options.now the clock (default: the wall clock); tests pass one they move
 * @param options.env the environment for the parts that read it (mail, notifications, staff OIDC; default process.env)
 * @throws Error for a configuration the parts refuse (a missing secret with PostgreSQL, SMTP_URL missing, …)
 */
export async function createDeployment(
  config: AppConfig,
  handle: DatabaseHandle,
  options: { log: (line: string) => void; now?: () => Date; env?: NodeJS.ProcessEnv },
): Promise<Deployment> {
  const { log } = options;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const settings = await loadRuntimeSettings({ db: handle.db, deploymentProfile: config.profile });
  const site = await createSite({
    db: handle.db,
    deploymentProfile: config.profile,
    settings,
    now,
    publicUrl: config.publicUrl,
    trustedProxies: parseTrustedProxies(config.trustProxy),
  });
  const signing = await createSigning(config, site, handle.db, env);
  const relay = workerInServe(env)
    ? createNotificationWorker(config, handle.db, signing.mailer, log, env)
    : null;
  // a closed petition leaves "ending soon", open lists and its cached page at once
  const lifecycle = createLifecycleScheduler({
    db: handle.db,
    settings,
    now,
    listener: { petitionsChanged: () => site.pages.invalidateAll() },
    log,
  });
  const app = createApp(
    site,
    signing.context,
    { rateLimit: parseRateSpec(config.rateLimitApi, 'RATE_LIMIT_API'), dumpDir: config.dumpDir },
    await staffContext(config, env),
    deskContext(config, handle.db, env),
  );
  const transparency = await createTransparencyLog(config, handle, { log, now, env });
  registerLogRoutes(app, { db: handle.db, keyText: transparency.keyText });
  let dumps: ReturnType<typeof startDailyDumps> | null = null;
  let purge: ReturnType<typeof schedulePurge> | null = null;
  return {
    settings,
    site,
    signing,
    lifecycle,
    transparency,
    relay,
    app,
    async start() {
      const caughtUp = await lifecycle.runOnce();
      if (caughtUp.closed.length > 0)
        log(`closed ${caughtUp.closed.length} petition(s) whose deadline had passed`);
      if (config.scheduler === 'on') {
        lifecycle.start();
        transparency.scheduler.start(); // every acknowledged agreement in a signed checkpoint within about a second
      }
      relay?.start();
      if (config.dumps === 'daily') {
        dumps = startDailyDumps({
          db: handle.db,
          kind: handle.kind,
          dir: config.dumpDir,
          timeZone: getProfile(site.deploymentProfile).timeZone,
          now,
          generate: (db) =>
            writeDump(db, {
              dir: config.dumpDir,
              now: now(),
              profile: site.profile,
              publicUrl: config.publicUrl,
            }),
          log,
        });
        void dumps.runOnce(); // writes today's dump in the background when it is missing
      }
      // data minimisation: unconfirmed agreements go with their contact data once their link can no longer be used
      purge = schedulePurge(handle.db, { log });
      return caughtUp;
    },
    async stop() {
      await lifecycle.stop(); // a pass in progress commits or rolls back first
      await transparency.scheduler.stop();
      await dumps?.stop(); // a dump in progress finishes first
      await purge?.stop();
      await relay?.stop(); // the mail in hand is finished; claimed ones are retried after their lease
      await signing.close(); // every queued agreement is written before the database closes
      site.close();
      settings.close();
    },
  };
}
