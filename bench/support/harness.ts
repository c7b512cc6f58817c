/**
 * Helpers shared by the HTTP benchmarks: start a bench server in its own process, load it with autocannon, describe
 * the machine, append results to BENCHMARKS.md. The load generator runs on the same cores as the server: compare
 * ratios measured in one run, not absolute numbers across runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createScratchDatabase } from '../../test/support/scratch-database.js';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BenchServer {
  /** Lines the server printed on stdout (its first line says "listening"). */
  output: string[];
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <script>` with `env` (over this process's; a variable set to '' is removed) and waits until it prints a line containing "listening".
 * @throws Error when the process exits first
 */
export async function startBenchServer(script: string, env: NodeJS.ProcessEnv): Promise<BenchServer> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === '') delete merged[key]; // '' = unset
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    child.stdout?.on('data', (d: Buffer) => {
      output.push(...d.toString().split('\n').filter(Boolean));
      if (d.toString().includes('listening')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return {
    output,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface LoadResult {
  /** 2xx and 3xx answers per second. */
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers by status class, e.g. { '2xx': 1000, '3xx': 0 }. */
  statuses: Record<string, number>;
  errors: number;
}

/** Loads one URL with GET requests from `connections` connections for `seconds`. */
export async function loadGet(options: {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        headers: options.headers ?? {},
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    autocannon.track(instance, {
      renderProgressBar: true,
      renderResultsTable: false,
      renderLatencyTable: false,
    });
  });
  return {
    perSecond: Math.round((result['2xx'] + result['3xx']) / options.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    errors: result.errors,
  };
}

/** 'N × CPU model, G GiB, Node vX' of this machine. */
export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Appends a Markdown section to BENCHMARKS.md (a blank line before it). */
export function appendToBenchmarks(markdown: string): void {
  appendFileSync(path.join(ROOT, 'BENCHMARKS.md'), `\n${markdown.trimEnd()}\n`);
}

export interface BenchDatabase {
  /** Environment for the bench server: DATABASE_URL (a scratch PostgreSQL database) or CHEONGWON_DATA_DIR. */
  env: NodeJS.ProcessEnv;
  /** e.g. 'PostgreSQL 15.20 on loopback' or 'PGlite (embedded, one process)'. */
  label: string;
  /** Drops the scratch database or removes the data directory. */
  drop(): Promise<void>;
}

/**
 * A fresh database for a bench server, by BENCH_ENGINE: 'postgres' (default; a scratch database on
 * BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test) or 'pglite' (a scratch data directory).
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  if (process.env.BENCH_ENGINE === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cheongwon-bench-'));
    return {
      env: { CHEONGWON_DATA_DIR: path.join(dir, 'pglite'), DATABASE_URL: '' },
      label: 'PGlite (embedded, one process)',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const baseUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const scratch = await createScratchDatabase(baseUrl, 'cheongwon_bench');
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  const version = (await client.query('show server_version')).rows[0]?.server_version;
  await client.end();
  return {
    env: { DATABASE_URL: scratch.url },
    label: `PostgreSQL ${version} on loopback`,
    drop: () => scratch.drop(),
  };
}

/** One measured scenario of a run. */
export interface ScenarioResult {
  scenario: string;
  connections: number;
  result: LoadResult;
}

/**
 * The Markdown table of a run: answers per second, share of the ceiling measured at the same connection count in
 * the same run (the row `isCeiling` picks), latency and statuses.
 * @param unit column heading of the rate, e.g. 'answers/s' or 'pages/s'
 */
export function resultTable(
  rows: ScenarioResult[],
  isCeiling: (r: ScenarioResult) => boolean,
  unit: string,
): string {
  const ceiling = new Map(rows.filter(isCeiling).map((r) => [r.connections, r.result.perSecond]));
  return [
    `| scenario | connections | ${unit} | of ceiling | p50 ms | p99 ms | statuses |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map(({ scenario, connections, result: r }) => {
      const share = Math.round((100 * r.perSecond) / (ceiling.get(connections) ?? r.perSecond));
      const statuses = Object.entries(r.statuses)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      return `| ${scenario} | ${connections} | ${r.perSecond.toLocaleString('en')} | ${share} % | ${r.p50} | ${r.p99} | ${statuses}${r.errors ? `, ${r.errors} errors` : ''} |`;
    }),
  ].join('\n');
}
