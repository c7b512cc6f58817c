import type { Kysely } from 'kysely';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_REVIEW_TARGET_DAYS } from '../domain/moderation.js';
import { type LifecycleListener, LifecycleScheduler } from '../scheduling/lifecycle-scheduler.js';

/** A listener for processes that cache nothing (the worker). */
export const NO_CACHED_PAGES: LifecycleListener = { petitionsChanged: () => {} };

/**
 * The deployment's lifecycle scheduler (see `LifecycleScheduler`): reads settings through the process's runtime
 * settings, so an administrator's change of a period or threshold applies at the next pass.
 * @param listener who to tell about changed petitions: the web's page cache in `serve`, nobody in `worker`
 */
export function createLifecycleScheduler(options: {
  db: Kysely<Database>;
  settings: RuntimeSettings;
  now?: () => Date;
  listener: LifecycleListener;
  log: (line: string) => void;
  maxSleepMs?: number;
}): LifecycleScheduler {
  return new LifecycleScheduler({
    db: options.db,
    rules: options.settings,
    now: options.now ?? (() => new Date()),
    defaultReviewTargetDays: DEFAULT_REVIEW_TARGET_DAYS,
    listener: options.listener,
    log: options.log,
    ...(options.maxSleepMs !== undefined ? { maxSleepMs: options.maxSleepMs } : {}),
  });
}
