import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { seedIfEmpty } from '../../src/cli/seed.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createScratchDatabase } from './scratch-database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface LiveServer {
  /** `http://127.0.0.1:<port>` — also the deployment's PUBLIC_URL. */
  url: string;
  port: number;
  /** Everything the server printed (stdout and stderr), for failure messages. */
  output: string[];
  /** Stops the server (SIGTERM, graceful) and removes its database. */
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel; the caller binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The real `cheongwon serve`, in a child process exactly as a deployment runs it, over a fresh database of the test
 * engine (TEST_DATABASE_URL → a scratch PostgreSQL database; else an embedded PGlite directory), with the bundled
 * real sample loaded and `prepare` run on the database first (e.g. to add an open petition).
 * @param env extra environment (SMTP_URL, OIDC_PROVIDERS, …); PORT and PUBLIC_URL are set from `port`
 * @param port the port to serve on (default: a free one); PUBLIC_URL is http://127.0.0.1:<port>
 */
export async function startLiveServer(
  options: {
    env?: Record<string, string>;
    port?: number;
    prepare?: (db: Kysely<Database>) => Promise<void>;
  } = {},
): Promise<LiveServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const pgUrl = process.env.TEST_DATABASE_URL;
  const scratch = pgUrl ? await createScratchDatabase(pgUrl, 'cheongwon_live') : null;
  const dataDir = scratch
    ? null
    : path.join(mkdtempSync(path.join(os.tmpdir(), 'cheongwon-live-')), 'pglite');

  const handle = await openDatabase(scratch ? { url: scratch.url } : { dataDir: dataDir as string });
  try {
    await migrateToLatest(handle.db);
    await seedIfEmpty(handle.db, { progress: false, log: () => {} });
    await options.prepare?.(handle.db);
  } finally {
    await handle.close(); // the embedded directory can be opened by one process at a time
  }

  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...(scratch
          ? { DATABASE_URL: scratch.url, CHEONGWON_DEV_MAILBOX: '1' }
          : { CHEONGWON_DATA_DIR: dataDir as string }),
        CHEONGWON_SECRET: 'live-test-secret-live-test-secret-0123456789',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: url,
        CHEONGWON_DUMPS: 'off',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output.push(d.toString());
      if (d.toString().includes('listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', (code) =>
      reject(new Error(`serve exited (${code}) before listening:\n${output.join('')}`)),
    );
  });
  await listening;

  return {
    url,
    port,
    output,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await scratch?.drop();
      if (dataDir) rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}
