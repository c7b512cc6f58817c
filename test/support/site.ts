import type { Hono } from 'hono';
import { importFiles } from '../../src/cli/import-files.js';
import { sampleFiles } from '../../src/cli/seed.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { createApp } from '../../src/http/app.js';
import { createSite, type Site } from '../../src/http/site.js';
import { freshDatabase } from './databases.js';

export interface TestSite {
  handle: DatabaseHandle;
  site: Site;
  app: Hono;
  close(): Promise<void>;
}

/** A fresh database with the bundled real sample loaded, and the app over it (requests run in-process). */
export async function sampleSite(now = new Date('2026-11-29T06:00:00Z')): Promise<TestSite> {
  const handle = await freshDatabase();
  await importFiles(handle.db, sampleFiles(), {
    dryRun: false,
    progress: false,
    log: () => {},
    now: () => now,
  });
  const site = await createSite({
    db: handle.db,
    deploymentProfile: 'cheongwadae',
    now: () => now,
    settingsTtlMs: 0,
  });
  return {
    handle,
    site,
    app: createApp(site),
    close: async () => {
      site.close();
      await handle.close();
    },
  };
}
