/**
 * Helpers shared by the HTTP benchmarks: start a bench server in its own process, load it with autocannon, describe
 * the machine, append results to BENCHMARKS.md. The load generator runs on the same cores as the server: compare
 * ratios measured in one run, not absolute numbers across runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  /** The value of a detail the server printed before "listening" (a line `<key> <value>`), or ''. */
  info(key: string): string;
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
    info: (key) => output.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? '',
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

/**
 * CPU used by the parts of a benchmark while it runs, read from /proc (Linux): the server process, this process (the
 * load generator, autocannon runs in it), and every PostgreSQL process. `start()` then, after the load, `stop()`
 * gives each part's share in percent of ONE core over the interval (200 % = both cores of this machine), and what
 * was left idle. Where /proc is missing, every share is NaN.
 */
export function cpuMeter(serverPid: number | undefined) {
  const ticks = 100; // USER_HZ: Linux reports process times in 1/100 s
  const processTime = (pid: number | string): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks; // utime + stime, seconds
    } catch {
      return Number.NaN;
    }
  };
  /** CPU seconds of each PostgreSQL process now running (backends come and go: compared pid by pid). */
  const postgresTimes = (): Map<string, number> => {
    const times = new Map<string, number>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres')
          times.set(pid, processTime(pid) || 0);
      } catch {
        // the process ended meanwhile
      }
    }
    return times;
  };
  const idleTime = (): number => {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
      return Number(cpu[4]) / ticks; // idle column of the all-CPU line, seconds summed over cores
    } catch {
      return Number.NaN;
    }
  };
  const read = () => ({
    at: performance.now(),
    server: serverPid === undefined ? Number.NaN : processTime(serverPid),
    load: processTime(process.pid),
    postgres: postgresTimes(),
    idle: idleTime(),
  });
  let begin = read();
  return {
    start() {
      begin = read();
    },
    /** Shares in % of one core since `start()`: `{ server, load, postgres, idle }`. */
    stop() {
      const end = read();
      const seconds = (end.at - begin.at) / 1000;
      const share = (used: number) => Math.round((used / seconds) * 100);
      // a backend that started meanwhile counts whole; one that ended meanwhile is lost (an undercount)
      let postgres = 0;
      for (const [pid, time] of end.postgres) postgres += time - (begin.postgres.get(pid) ?? 0);
      return {
        server: share(end.server - begin.server),
        load: share(end.load - begin.load),
        postgres: share(postgres),
        idle: share(end.idle - begin.idle),
      };
    },
  };
}
