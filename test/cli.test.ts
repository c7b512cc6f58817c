import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
/** tsx's loader by absolute URL: the serve test runs in a scratch directory, where `--import tsx` would not resolve. */
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const main = path.join(root, 'src/cli/main.ts');

/**
 * The CLI as an operator runs it, in a child process: on PostgreSQL against a fresh database (DATABASE_URL), on
 * PGlite against a fresh data directory (CHEONGWON_DATA_DIR).
 */
describe(`cheongwon CLI (${TEST_ENGINE})`, () => {
  let db: TestDatabase | null = null;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-cli-'));
    env = { ...process.env, CHEONGWON_DATA_DIR: path.join(dir, 'pglite'), DATABASE_URL: '' };
    if (TEST_ENGINE === 'postgres') {
      db = await freshDatabase();
      env.DATABASE_URL = db.url ?? '';
    }
    delete env.TEST_DATABASE_URL;
    if (!env.DATABASE_URL) delete env.DATABASE_URL;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => run(tsx, [main, ...args], { env, cwd: dir });

  it('imports with a dry run first, then for real, then finds nothing new; bad rows are reported by line', async () => {
    const file = path.join(dir, 'export.data');
    const row = (id: number, title: string) =>
      JSON.stringify({
        category: '기타',
        begin: '2019-04-01',
        end: '2019-05-01',
        content: '본문',
        num_agree: 7,
        petition_idx: String(id),
        status: '청원종료',
        title,
      });
    writeFileSync(file, `${row(1, '첫째 청원')}\n${row(2, '')}\n${row(3, '셋째 청원')}\n`);

    const dry = await cli('import', '--dry-run', '--no-progress', file);
    expect(dry.stdout).toContain('[dry run]');
    expect(dry.stdout).toMatch(/would insert 2, merged 0, unchanged 0, skipped 1/);
    expect(dry.stdout).toContain(`skipped ${file}:2:`);

    const real = await cli('import', '--no-progress', file);
    expect(real.stdout).toMatch(/\(cwd-lovit-jsonl\): inserted 2, merged 0, unchanged 0, skipped 1/);
    const again = await cli('import', '--no-progress', file);
    expect(again.stdout).toMatch(/inserted 0, merged 0, unchanged 2, skipped 1/);
  });

  it('names each file it cannot read at all, imports the others, and exits with 1', async () => {
    const notes = path.join(dir, 'notes.jsonl');
    writeFileSync(notes, '{"hello": "world"}\n');
    const truncated = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(
      truncated,
      gzipSync(Buffer.from('{"petition_id": 1, "title": "x"}\n'.repeat(200))).subarray(0, 60),
    );
    const good = path.join(dir, 'good.jsonl');
    const record = {
      category: '기타',
      begin: '2019-04-01',
      end: '2019-05-01',
      content: '본문',
      num_agree: 7,
      petition_idx: '77',
      status: '청원종료',
      title: '읽히는 청원',
    };
    writeFileSync(good, `${JSON.stringify(record)}\n`);
    const failed = await cli('import', '--no-progress', notes, truncated, dir, good).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    const { stdout, stderr } = failed as { stdout: string; stderr: string };
    expect(stderr).toContain(`error [unknown_format] ${notes}:`);
    expect(stderr).toContain(`error ${truncated}:`);
    expect(stderr).toContain(`error ${dir}:`);
    expect(stdout).toMatch(/good\.jsonl \(cwd-lovit-jsonl\): inserted 1/);
  });

  it('shows and validates runtime settings', async () => {
    const set = await cli('settings', 'set', 'cheongwadae', 'responseThreshold', '150000');
    expect(JSON.parse(set.stdout).effective.responseThreshold).toBe(150000);
    const bad = await cli('settings', 'set', 'cheongwadae', 'responseThreshold', '"many"').catch((e) => e);
    expect(bad.stderr).toMatch(/invalid_setting/);
    const shown = JSON.parse((await cli('settings', 'show', 'cheongwadae')).stdout);
    expect(shown.overrides).toEqual({ responseThreshold: 150000 });
    for (const [key, value] of [
      ['agreementPeriod', '{"months":1000000}'],
      ['responseThreshold', '1e12'],
      ['noSuchSetting', '1'],
    ]) {
      const refused = await cli('settings', 'set', 'cheongwadae', key as string, value as string).catch(
        (e) => e,
      );
      expect(refused.code, key).toBe(1);
      expect(refused.stderr, key).toMatch(/invalid_setting/);
    }
    const archiveOnly = await cli('settings', 'set', 'wtp', 'responseThreshold', '5').catch((e) => e);
    expect(archiveOnly.stderr).toMatch(/only holds imported records/);
    const unset = JSON.parse((await cli('settings', 'unset', 'cheongwadae', 'responseThreshold')).stdout);
    expect(unset.overrides).toEqual({});
    expect(unset.effective.responseThreshold).toBe(200000);
  });

  it('opens a demonstration petition to try agreeing locally, and refuses to on PostgreSQL unless told', async () => {
    if (TEST_ENGINE === 'postgres') {
      const refused = await cli('demo-petition').catch((e) => e);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--on-postgres');
    }
    const opened = await cli('demo-petition', ...(TEST_ENGINE === 'postgres' ? ['--on-postgres'] : []));
    const id = /demo petition (\d+) is open: http:\/\/localhost:\d+\/petitions\/\1/.exec(opened.stdout)?.[1];
    expect(id, opened.stdout).toBeDefined();
    if (db) {
      const row = await db.db
        .selectFrom('petitions')
        .select(['state', 'title', 'response_threshold'])
        .where('id', '=', String(id))
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'open', response_threshold: 200_000 });
      expect(row.title).toMatch(/^\[시연 DEMO\]/);
    }
  });

  it('serves the real archive sample on first start, answers searches, and stops cleanly on SIGTERM', async () => {
    const serveDir = mkdtempSync(path.join(tmpdir(), 'cheongwon-serve-'));
    const serveEnv: NodeJS.ProcessEnv = {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      // embedded: as on a fresh checkout — no secret given, and no var/ folder yet (both are created)
      CHEONGWON_SECRET: db ? 'cli-test-secret-cli-test-secret-0123456' : undefined,
      CHEONGWON_DEV_MAILBOX: '1',
      CHEONGWON_DATA_DIR: path.join(serveDir, 'var', 'pglite'),
    };
    // a database of its own: the import test above already stored petitions in the shared one
    const other = db ? await freshDatabase() : null;
    if (other) serveEnv.DATABASE_URL = other.url ?? '';
    // node itself, not the tsx wrapper: the wrapper SIGKILLs a child whose event loop does not answer a relayed
    // signal within 30 ms (exit 143), which a busy first start (sample import, first dump) can miss
    const child: ChildProcess = spawn(process.execPath, ['--import', tsxLoader, main, 'serve'], {
      env: serveEnv,
      cwd: serveDir,
    });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) resolve(Number(m[1]));
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    expect(output).toContain('loading the real archive sample');
    if (!db) expect(statSync(path.join(serveDir, 'var', 'pglite.secret')).mode & 0o777).toBe(0o600);
    const res = await fetch(`http://127.0.0.1:${port}/search?q=${encodeURIComponent('n번방')}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요');
    if (TEST_ENGINE === 'pglite') {
      // the embedded database belongs to the running server: a second process is refused, not let in to corrupt it
      const refused = await run(tsx, [main, 'settings', 'show'], { env: serveEnv, cwd: serveDir }).catch(
        (e) => e,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use by another Cheongwon process \(pid \d+\)/);
    }
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await other?.close();
    rmSync(serveDir, { recursive: true, force: true });
  });
});
