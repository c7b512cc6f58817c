/**
 * What the HTTP benchmarks' servers share (they run in their own process, started by `startBenchServer`): the real
 * app over the configured database, a route answering a recorded response from memory (the ceiling each benchmark
 * compares against), and listening with details printed before "listening", which the harness waits for.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type AppConfig, loadConfig } from '../../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createSite, type Site } from '../../src/http/site.js';

/** The configuration, a migrated database (pool of 16) and the site, as `cheongwon serve` builds them. */
export async function benchSite(): Promise<{ config: AppConfig; handle: DatabaseHandle; site: Site }> {
  const config = loadConfig();
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 16 });
  await migrateToLatest(handle.db);
  const site = await createSite({ db: handle.db, deploymentProfile: config.profile });
  return { config, handle, site };
}

/**
 * Serves `response`'s bytes and headers from memory at GET `path` of `app`: the same answer with no work behind it.
 * @returns the body's length (bytes)
 */
export async function serveCopy(app: Hono, path: string, response: Response): Promise<number> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(response.headers.entries());
  app.get(path, (c) => {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return c.body(bytes, 200);
  });
  return bytes.length;
}

/**
 * Listens on 127.0.0.1:`port`, prints each of `details` as a line `<key> <value>` and then "listening"; on SIGTERM
 * closes the server, `closeFirst`, the site and the database, and exits 0.
 */
export function listen(
  app: Hono,
  port: number,
  details: Record<string, string | number>,
  parts: { site: Site; handle: DatabaseHandle; closeFirst?: () => Promise<void> },
): void {
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
    for (const [key, value] of Object.entries(details)) console.log(`${key} ${value}`);
    console.log(`bench server listening on ${info.port}`);
  });
  process.on('SIGTERM', () => {
    server.close(async () => {
      await parts.closeFirst?.(); // e.g. the agreement writer, which drains its batch into the database
      parts.site.close();
      await parts.handle.close();
      process.exit(0);
    });
  });
}
