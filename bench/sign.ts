/**
 * Signing benchmark (`npm run bench:sign`): agreements per second and latency on ONE hot petition, against
 * PostgreSQL on loopback, in one run:
 *   1. bare POST (HTTP ceiling), 2. naive insert + "+1" per request, 3. Cheongwon's one-click path,
 *   4. Cheongwon's email path (submit, then confirm — mail goes to the development mailbox table),
 *   5. the one-click path with the transparency log off (a second server, BENCH_LOG=off): the log's cost, side by
 *      side; during 3. the benchmark polls the petition's checkpoint and times each sampled acknowledgement until a
 *      signed checkpoint includes its leaf (acknowledgement → signed checkpoint, p50/p99),
 * at 64 and 256 concurrent connections. After the run: acknowledged == rows == count, no duplicates.
 * The load generator (autocannon) runs on the same 2 cores as the server; compare ratios, not absolutes.
 *
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is created
 * and dropped), BENCH_SECONDS (default 10 per scenario), BENCH_ONLY (comma-separated scenario keys: bare, naive,
 * one-click, one-click-log-off, email; default all), BENCH_CONNECTIONS (default 64,256), BENCH_PROFILE=DIR (the server writes a V8 CPU
 * profile into DIR, for `node --cpu-prof` analysis). Prints a Markdown table, with the CPU each part used during each
 * scenario (server, load generator, PostgreSQL, idle; % of one core, from /proc) and the CPU all three spent per
 * answer: where the 2 cores went explains the ratios.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { reconcileCounts } from '../src/counting/reconcile.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { effectiveSettings, getProfile } from '../src/domain/policy-profiles.js';
import { searchColumns } from '../src/domain/search-text.js';
import { sessionCookieHeader } from '../src/http/middleware/session.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { cpuMeter } from './support/harness.js';

const baseUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const SECRET = randomBytes(32).toString('hex');
const root = path.resolve(import.meta.dirname, '..');
const only = new Set((process.env.BENCH_ONLY ?? 'bare,naive,one-click,one-click-log-off,email').split(','));
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '64,256').split(',').map(Number);
const profileDir = process.env.BENCH_PROFILE;

const scratch = await createScratchDatabase(baseUrl, 'cheongwon_bench');
const url = new URL(scratch.url);
const handle = await openDatabase({ url: scratch.url });
await migrateToLatest(handle.db);

async function newPetition(): Promise<string> {
  const row = await handle.db
    .insertInto('petitions')
    .values({
      profile: 'cheongwadae',
      title: '벤치마크 청원',
      body: '본문',
      ...searchColumns('벤치마크 청원', '본문'),
      state: 'open',
      opened_at: new Date(),
      closes_at: new Date(Date.now() + 30 * 86_400_000),
      response_threshold: 200_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function startServer(port: number, extra: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      '--import',
      'tsx',
      path.join(root, 'bench/sign-server.ts'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        CHEONGWON_SECRET: SECRET,
        PORT: String(port),
        PUBLIC_URL: 'http://127.0.0.1:3901',
        RATE_LIMIT_ADDRESS: '100000000/1',
        RATE_LIMIT_PETITION: '100000000/1',
        SMTP_URL: '',
        CHEONGWON_DEV_MAILBOX: '1',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}
const listening = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()),
  );
const server = startServer(3901, {});
await listening(server);
// the same code without the transparency log: the baseline, on its own port, started after the first (the
// log signing keys exist by then)
const logOffServer = only.has('one-click-log-off') ? startServer(3902, { BENCH_LOG: 'off' }) : null;
if (logOffServer) await listening(logOffServer);
const target = 'http://127.0.0.1:3901';
const meter = cpuMeter(server.pid);
const logOffMeter = logOffServer ? cpuMeter(logOffServer.pid) : null;

interface Row {
  scenario: string;
  connections: number;
  acknowledged: number;
  perSecond: number;
  p50: number;
  p99: number;
  check: string;
  cpu: ReturnType<ReturnType<typeof cpuMeter>['stop']>;
}
const rows: Row[] = [];

async function load(
  scenario: string,
  connections: number,
  path: string,
  nextRequest: () => { headers?: Record<string, string>; body: string },
  check: () => Promise<string>,
  options: { base?: string; meter?: ReturnType<typeof cpuMeter>; onBody?: (body: string) => void } = {},
): Promise<number> {
  let acknowledged = 0;
  // the log-on server's integrator finishes the previous scenario's entries first: no scenario pays for another's
  for (let waited = 0; waited < 60_000; waited += 200) {
    const behind = await sql<{ n: string }>`
      select count(*)::text as n from petition_logs l join petitions p on p.id = l.petition_id
      where p.log_size > l.signed_size`.execute(handle.db);
    if (behind.rows[0]?.n === '0') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const meter_ = options.meter ?? meter;
  meter_.start();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.base ?? target}${path}`,
        connections,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const next = nextRequest();
              return { ...req, headers: { ...req.headers, ...next.headers }, body: next.body };
            },
            onResponse: (status: number, body: string) => {
              if (status === 201 || status === 200) {
                acknowledged++;
                options.onBody?.(body);
              }
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    autocannon.track(instance, {
      renderProgressBar: true,
      renderResultsTable: false,
      renderLatencyTable: false,
    });
  });
  const cpu = meter_.stop();
  const non2xx = result.non2xx;
  rows.push({
    scenario,
    connections,
    acknowledged,
    perSecond: Math.round(acknowledged / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    check: `${await check()}${non2xx ? `; ${non2xx} non-2xx` : ''}`,
    cpu,
  });
  return acknowledged;
}

/** Count and rows once the requests still in flight when the load stopped have been answered. */
const countAndRows = async (id: string) => {
  await new Promise((r) => setTimeout(r, 1000));
  // one statement: the count and the rows as of the same snapshot
  const r = await handle.db
    .selectFrom('agreements')
    .select([
      (eb) => eb.fn.countAll<string>().as('n'),
      (eb) => eb.fn.count<string>('signer_key').distinct().as('d'),
      (eb) => eb.selectFrom('petitions').select('agreement_count').where('id', '=', id).as('count'),
    ])
    .where('petition_id', '=', id)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return { count: Number(r.count), rows: Number(r.n), distinct: Number(r.d) };
};

let n = 0;
const person = () => createHash('sha256').update(`bench person ${n++}`).digest('hex');

for (const connections of connectionCounts) {
  if (only.has('bare'))
    await load(
      `bare POST (ceiling)`,
      connections,
      '/bench/bare',
      () => ({ body: '' }),
      async () => '—',
    );

  if (only.has('naive')) {
    const naive = await newPetition();
    await load(
      `naive: INSERT + "+1" per request`,
      connections,
      `/bench/naive/${naive}`,
      () => ({ body: '' }),
      async () => {
        const c = await countAndRows(naive);
        return `rows ${c.rows} = count ${c.count}`;
      },
    );
  }

  if (only.has('one-click-log-off') && logOffMeter) {
    const oneClick = await newPetition();
    const cookies: string[] = [];
    for (let i = 0; i < 12_000 * seconds; i++) cookies.push(sessionCookieHeader(person(), SECRET));
    let ci = 0;
    const acks = await load(
      'Cheongwon one-click, transparency log OFF (baseline)',
      connections,
      `/petitions/${oneClick}/agreements`,
      () => ({
        headers: { cookie: cookies[ci++ % cookies.length] as string },
        body: 'method=oidc',
      }),
      async () => {
        const c = await countAndRows(oneClick);
        return `acknowledged ${'{acks}'} ≤ rows ${c.rows} = count ${c.count}, ${c.distinct} distinct signers`;
      },
      { base: 'http://127.0.0.1:3902', meter: logOffMeter },
    );
    const last = rows[rows.length - 1] as Row;
    last.check = last.check.replace('{acks}', String(acks));
  }

  if (only.has('one-click')) {
    const oneClick = await newPetition();
    const cookies: string[] = [];
    for (let i = 0; i < 12_000 * seconds; i++) cookies.push(sessionCookieHeader(person(), SECRET));
    let ci = 0;
    // acknowledgement → signed checkpoint: every 16th answer's leaf is timed until a checkpoint includes it
    const waiting: Array<{ index: number; at: number }> = [];
    const delays: number[] = [];
    let sampled = 0;
    let polling = true;
    const poller = (async () => {
      while (polling || waiting.length > 0) {
        await new Promise((r) => setTimeout(r, 50));
        const res = await fetch(`${target}/log/petitions/${oneClick}/checkpoint`).catch(() => null);
        if (res?.status !== 200) continue;
        const size = Number((await res.text()).split('\n')[1]);
        const seen = Date.now();
        for (let i = waiting.length - 1; i >= 0; i--) {
          const w = waiting[i] as { index: number; at: number };
          if (w.index < size) {
            delays.push(seen - w.at);
            waiting.splice(i, 1);
          }
        }
        if (!polling && Date.now() - (waiting[0]?.at ?? Date.now()) > 30_000) break; // never signed: reported
      }
    })();
    const acks = await load(
      'Cheongwon one-click, transparency log ON',
      connections,
      `/petitions/${oneClick}/agreements`,
      () => ({
        headers: { cookie: cookies[ci++ % cookies.length] as string },
        body: 'method=oidc',
      }),
      async () => {
        polling = false;
        await poller;
        const c = await countAndRows(oneClick);
        const leaves = await handle.db
          .selectFrom('log_entries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('petition_id', '=', oneClick)
          .executeTakeFirstOrThrow();
        delays.sort((a, b) => a - b);
        const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN;
        return (
          `acknowledged ${'{acks}'} ≤ rows ${c.rows} = count ${c.count} = leaves ${leaves.n}; ` +
          `ack → signed checkpoint (${delays.length} of ${sampled} sampled${waiting.length ? `, ${waiting.length} NEVER signed` : ''}): ` +
          `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${delays[delays.length - 1]} ms`
        );
      },
      {
        onBody: (body) => {
          if (sampled++ % 16 !== 0) return;
          const index = (JSON.parse(body) as { receipt?: { leaf_index: number | null } }).receipt?.leaf_index;
          if (typeof index === 'number') waiting.push({ index, at: Date.now() });
        },
      },
    );
    const last = rows[rows.length - 1] as Row;
    last.check = last.check.replace('{acks}', String(acks));
  }

  if (only.has('email')) {
    const emailPetition = await newPetition();
    let ei = 0;
    const stamp = randomBytes(3).toString('hex');
    await load(
      'Cheongwon email: submit',
      connections,
      `/petitions/${emailPetition}/agreements`,
      () => ({
        body: `name=%EA%B9%80%EB%AF%BC%EC%A7%80&email=p${stamp}${ei++}%40example.kr`,
      }),
      async () => {
        const pending = await handle.db
          .selectFrom('agreements')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('petition_id', '=', emailPetition)
          .executeTakeFirstOrThrow();
        return `pending rows ${pending.n}`;
      },
    );
    const mails = await handle.db.selectFrom('dev_mailbox').select('text').execute();
    const tokens = mails
      .map((m) => /token=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1])
      .filter((t): t is string => !!t);
    await handle.db.deleteFrom('dev_mailbox').execute();
    let ti = 0;
    const confirms = await load(
      'Cheongwon email: confirm',
      connections,
      '/agreements/confirm',
      () => ({
        body: `token=${tokens[ti++ % tokens.length]}`,
      }),
      async () => {
        const c = await countAndRows(emailPetition);
        return `rows ${c.rows} = count ${c.count}, ${c.distinct} distinct (${tokens.length} links sent)`;
      },
    );
    void confirms;
  }
}

const drift = await reconcileCounts(handle.db, {
  settingsFor: (p) => effectiveSettings(p, {}),
  timeZoneFor: (p) => getProfile(p).timeZone,
});
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
if (logOffServer) {
  logOffServer.kill('SIGTERM');
  await new Promise((r) => logOffServer.on('exit', r));
}
await handle.close();
const versionClient = new pg.Client({ connectionString: baseUrl });
await versionClient.connect();
const version = (await versionClient.query('show server_version')).rows[0]?.server_version;
await versionClient.end();
await scratch.drop();

console.log(
  `\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}; ${seconds} s per scenario; autocannon on the same cores`,
);
console.log(
  '\n| scenario | connections | agreements/s | p50 ms | p99 ms | CPU %: server / load generator / PostgreSQL / idle | CPU µs per answer | after the run |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const { server: sv, load: lg, postgres: pgc, idle } = r.cpu;
  const perAnswer = Math.round(((sv + lg + pgc) / 100 / Math.max(r.perSecond, 1)) * 1e6);
  console.log(
    `| ${r.scenario} | ${r.connections} | ${r.perSecond.toLocaleString('en')} | ${r.p50} | ${r.p99} | ${sv} / ${lg} / ${pgc} / ${idle} | ${perAnswer} | ${r.check} |`,
  );
}
console.log(`\nreconcile drift after the run: ${drift.length === 0 ? '0' : JSON.stringify(drift)}`);
