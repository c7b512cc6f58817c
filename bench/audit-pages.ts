/**
 * Public pages audit (`npm run audit:pages`): the real `cheongwon serve` on PGlite with the bundled real sample and a
 * demonstration petition (open), measured in Debian's Chromium on home, search, an open petition, an archived
 * petition (Room-N, Blue House 586819), statistics and petition creation:
 *
 * 1. **First-visit weight**: bytes transferred (HTML + CSS + fonts + scripts + icons, as sent on the wire, empty
 *    cache) per page, from the DevTools protocol's `encodedDataLength`. Target (issue 15): ≤ 100 KB.
 * 2. **Lighthouse** (the `lighthouse` package, mobile preset with its default simulated throttling): performance,
 *    accessibility, best practices, SEO and cumulative layout shift, the median of `AUDIT_RUNS` runs (default 3).
 *    Targets: performance ≥ 95, accessibility 100, best practices 100, SEO 100, CLS ≤ 0.02.
 *
 * "before" is the code at `AUDIT_BEFORE` (a commit; default: where this branch left `main`), extracted with `git archive`
 * into a temporary folder that borrows this checkout's node_modules; "after" is this checkout. Both are measured in
 * the same run, one after the other, on the same machine. `AUDIT_BEFORE=none` measures this checkout only.
 * Environment: AUDIT_RUNS (default 3), AUDIT_PAGES (comma list of page names), AUDIT_APPEND=0 to print only.
 * The Markdown table is printed and appended to BENCHMARKS.md.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { buildAssets } from '../scripts/build-assets.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/support/browser.js';
import { appendToBenchmarks, machine, ROOT } from './support/harness.js';

const RUNS = Number(process.env.AUDIT_RUNS ?? 3);
/** AUDIT_AFTER=0 measures only "before" (with AUDIT_BEFORE=none, only "after"): each half stays under 10 minutes. */
const MEASURE_AFTER = process.env.AUDIT_AFTER !== '0';
const BEFORE =
  process.env.AUDIT_BEFORE ??
  execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim();

interface PageSpec {
  name: string;
  path: (demoId: string) => string;
}
const ALL_PAGES: PageSpec[] = [
  { name: 'home', path: () => '/' },
  { name: 'search', path: () => `/search?q=${encodeURIComponent('n번방')}` },
  { name: 'petition (open)', path: (id) => `/petitions/${id}` },
  { name: 'petition (archived)', path: () => '/archive/cwd/586819' },
  { name: 'statistics', path: () => '/statistics' },
  { name: 'petition creation', path: () => '/petitions/new' },
];
const wanted = process.env.AUDIT_PAGES?.split(',').map((s) => s.trim());
const PAGES = wanted ? ALL_PAGES.filter((p) => wanted.includes(p.name)) : ALL_PAGES;

interface Scores {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  cls: number;
  /** First and largest contentful paint, speed index, total blocking time, server response (ms, simulated). */
  fcp: number;
  lcp: number;
  si: number;
  tbt: number;
  ttfb: number;
}
interface PageResult {
  page: string;
  bytes: number;
  byType: Record<string, number>;
  scores: Scores;
  failing: string[];
}

/** Runs a CLI command of the tree at `root` to completion. */
function runCli(root: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const SECRET = 'audit-secret-audit-secret-audit-secret-0123';

/**
 * One PGlite database with the bundled sample and a demonstration petition, made once by this checkout's CLI and
 * copied for each version measured (loading the sample takes minutes on a busy machine; the schema is the same).
 */
function seedOnce(): { dataDir: string; demoId: string; remove: () => void } {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cheongwon-audit-seed-')), 'pglite');
  const out = runCli(ROOT, ['demo-petition'], { CHEONGWON_DATA_DIR: dataDir, CHEONGWON_SECRET: SECRET });
  const demoId = /demo petition (\d+) is open/.exec(out)?.[1];
  if (!demoId) throw new Error(`demo-petition said:\n${out}`);
  return { dataDir, demoId, remove: () => rmSync(path.dirname(dataDir), { recursive: true, force: true }) };
}

/** `cheongwon serve` of the tree at `root`, on a copy of the seeded database. */
async function startServer(
  root: string,
  port: number,
  seed: { dataDir: string; demoId: string },
): Promise<{ url: string; demoId: string; stop: () => Promise<void> }> {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cheongwon-audit-')), 'pglite');
  cpSync(seed.dataDir, dataDir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const env = {
    CHEONGWON_DATA_DIR: dataDir,
    CHEONGWON_SECRET: SECRET,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    CHEONGWON_DUMPS: 'off',
  };
  const demoId = seed.demoId;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve'],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      log.push(d.toString());
      if (d.toString().includes('listening on')) resolve();
    });
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${log.join('')}`)));
  });
  return {
    url,
    demoId,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}

/** Bytes on the wire for a first visit (empty cache) of `url`, in total and by resource type. */
async function firstVisitBytes(url: string): Promise<{ bytes: number; byType: Record<string, number> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const types = new Map<string, string>();
    const byType: Record<string, number> = {};
    let bytes = 0;
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      const type = (types.get(e.requestId) ?? 'Other').toLowerCase();
      byType[type] = (byType[type] ?? 0) + e.encodedDataLength;
      bytes += e.encodedDataLength;
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.evaluate('document.fonts.ready.then(() => undefined)');
    await page.waitForTimeout(300);
    return { bytes, byType };
  } finally {
    await browser.close();
  }
}

const ms = (n: number) => `${Math.round(n)} ms`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Lighthouse (mobile, default throttling) `RUNS` times on `url`; the median of each score. */
async function lighthouseMedian(url: string): Promise<{ scores: Scores; failing: string[] }> {
  const runs: Scores[] = [];
  const failing = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS });
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      if (!result) throw new Error('lighthouse returned nothing');
      const { categories, audits } = result.lhr;
      const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
      runs.push({
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        cls: Number(audits['cumulative-layout-shift']?.numericValue ?? Number.NaN),
        fcp: Number(audits['first-contentful-paint']?.numericValue ?? Number.NaN),
        lcp: Number(audits['largest-contentful-paint']?.numericValue ?? Number.NaN),
        si: Number(audits['speed-index']?.numericValue ?? Number.NaN),
        tbt: Number(audits['total-blocking-time']?.numericValue ?? Number.NaN),
        ttfb: Number(audits['server-response-time']?.numericValue ?? Number.NaN),
      });
      if (process.env.AUDIT_DEBUG) {
        for (const id of [
          'mainthread-work-breakdown',
          'long-tasks',
          'bootup-time',
          'render-blocking-resources',
        ]) {
          const items = (audits[id]?.details as { items?: unknown[] } | undefined)?.items ?? [];
          console.log(id, audits[id]?.displayValue ?? '', JSON.stringify(items.slice(0, 8)));
        }
      }
      for (const id of ['accessibility', 'best-practices', 'seo']) {
        for (const ref of categories[id]?.auditRefs ?? []) {
          const audit = audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
            failing.add(`${id}: ${ref.id}`);
        }
      }
    } finally {
      chrome.kill();
    }
  }
  const pick = (k: keyof Scores) => median(runs.map((r) => r[k]));
  return {
    scores: {
      performance: pick('performance'),
      accessibility: pick('accessibility'),
      bestPractices: pick('bestPractices'),
      seo: pick('seo'),
      cls: pick('cls'),
      fcp: pick('fcp'),
      lcp: pick('lcp'),
      si: pick('si'),
      tbt: pick('tbt'),
      ttfb: pick('ttfb'),
    },
    failing: [...failing],
  };
}

async function audit(
  label: string,
  root: string,
  port: number,
  seed: { dataDir: string; demoId: string },
): Promise<PageResult[]> {
  console.log(`${label}: starting serve from ${root} …`);
  const server = await startServer(root, port, seed);
  const results: PageResult[] = [];
  try {
    for (const spec of PAGES) {
      const url = `${server.url}${spec.path(server.demoId)}`;
      const weight = await firstVisitBytes(url);
      const { scores, failing } = await lighthouseMedian(url);
      results.push({ page: spec.name, ...weight, scores, failing });
      console.log(
        `${label} ${spec.name}: ${(weight.bytes / 1024).toFixed(1)} KB, perf ${scores.performance}, a11y ${scores.accessibility}, ` +
          `BP ${scores.bestPractices}, SEO ${scores.seo}, CLS ${scores.cls.toFixed(3)}, FCP ${ms(scores.fcp)}, LCP ${ms(scores.lcp)}, ` +
          `SI ${ms(scores.si)}, TBT ${ms(scores.tbt)}, server ${ms(scores.ttfb)}${failing.length ? ` (failing: ${failing.join(', ')})` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
  return results;
}

/** This checkout's code at `ref`, extracted into a temporary folder that uses this checkout's node_modules. */
function extract(ref: string): { root: string; commit: string; remove: () => void } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).trim();
  const root = mkdtempSync(path.join(os.tmpdir(), 'cheongwon-before-'));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${root}"`], { cwd: ROOT });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return { root, commit, remove: () => rmSync(root, { recursive: true, force: true }) };
}

const kb = (n: number) => (n / 1024).toFixed(1);
const started = Date.now();
await buildAssets();
console.log('loading the sample and a demonstration petition once (minutes on a busy machine) …');
const seed = seedOnce();
const before = BEFORE === 'none' ? null : extract(BEFORE);
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
let beforeResults: PageResult[] = [];
try {
  if (before) beforeResults = await audit(`before (${before.commit})`, before.root, 3911, seed);
} finally {
  before?.remove();
}
const afterResults = MEASURE_AFTER ? await audit(`after (${head} + working tree)`, ROOT, 3912, seed) : [];
seed.remove();

const lines = [
  `## Public pages: first-visit weight and Lighthouse (issue 15) — ${new Date().toISOString().slice(0, 10)}`,
  '',
  `\`npm run audit:pages\` (bench/audit-pages.ts): the real \`cheongwon serve\` on PGlite with the bundled sample and a`,
  `demonstration petition; ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}; Lighthouse 12 mobile preset`,
  `(simulated throttling), median of ${RUNS} runs per page; first-visit bytes = everything the page loads with an empty cache,`,
  'as transferred (compressed), at 360 px. Machine: ' +
    `${machine()}, shared with other engineers' work (scores vary with load).`,
  `Before = ${before ? before.commit : '—'}, after = ${MEASURE_AFTER ? `${head} (+ working tree)` : '—'}.`,
  '',
  '| page | version | first visit (KB) | performance | accessibility | best practices | SEO | CLS | FCP / LCP (ms) | server (ms) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const spec of PAGES) {
  for (const [label, results] of [
    ['before', beforeResults],
    ['after', afterResults],
  ] as const) {
    const r = results.find((x) => x.page === spec.name);
    if (!r) continue;
    const s = r.scores;
    lines.push(
      `| ${spec.name} | ${label} | ${kb(r.bytes)} | ${s.performance} | ${s.accessibility} | ${s.bestPractices} | ${s.seo} | ${s.cls.toFixed(3)} | ${Math.round(s.fcp)} / ${Math.round(s.lcp)} | ${Math.round(s.ttfb)} |`,
    );
  }
}
const failing = afterResults.filter((r) => r.failing.length > 0);
if (failing.length) {
  lines.push('', 'Audits not passed after (any run):');
  for (const r of failing) lines.push(`- ${r.page}: ${r.failing.join(', ')}`);
}
lines.push('', `Whole run: ${((Date.now() - started) / 60_000).toFixed(1)} min.`);
const markdown = lines.join('\n');
console.log(`\n${markdown}`);
if (process.env.AUDIT_APPEND !== '0') appendToBenchmarks(markdown);
