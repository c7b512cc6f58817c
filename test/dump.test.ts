import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchiveFile } from '../src/commands/import-archive.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';
import { type DumpManifest, writeDump } from '../src/open-data/dump.js';
import { startDailyDumps } from '../src/open-data/dump-schedule.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { publicDigest } from './support/digest.js';
import { openPetition, signer } from './support/factories.js';
import { sampleSite, type TestSite } from './support/site.js';

const now = new Date('2026-11-29T06:00:00Z');
let t: TestSite;
let dir: string;
let manifest: DumpManifest;
let dumpFile: string;
beforeAll(async () => {
  t = await sampleSite(now);
  dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-'));
  manifest = await writeDump(t.handle.db, {
    dir,
    now,
    profile: t.site.profile,
    publicUrl: 'https://cheongwon.example',
  });
  dumpFile = path.join(dir, manifest.file);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) =>
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

describe(`the daily dump (${TEST_ENGINE})`, () => {
  it('holds every public petition, after a header carrying the attribution, with a checksum sha256sum accepts', async () => {
    const [header, ...records] = lines(dumpFile);
    expect(header).toMatchObject({
      schema: 'cheongwon-dump/1',
      record: 'header',
      generated_at: now.toISOString(),
      publisher: 'https://cheongwon.example',
    });
    expect(header.attribution).toContain('출처: 청와대 국민청원 (www1.president.go.kr/petitions)');
    expect(header.attribution).toContain('Keep this attribution wherever the data goes.');
    expect(records).toHaveLength(2784);
    expect(manifest).toMatchObject({
      petitions: 2784,
      file: 'cheongwon-petitions-20261129T060000Z.jsonl.gz',
    });
    const bytes = readFileSync(dumpFile);
    expect(bytes.length).toBe(manifest.bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(readFileSync(`${dumpFile}.sha256`, 'utf8')).toBe(`${sha}  ${manifest.file}\n`);
    expect(JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8')).sha256).toBe(sha);
    expect(readFileSync(path.join(dir, 'NOTICE'), 'utf8')).toContain('출처: 청와대 국민청원');
    const roomN = records.find((r) => r.archive?.source_id === '586819');
    expect(roomN).toMatchObject({
      record: 'petition',
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      agreement_count: 2_715_626,
      archive: { source: 'cwd', category_label: '안전/환경' },
    });
    const answered = records.find((r) => r.official_responses.length > 0);
    expect(answered.official_responses[0].body.length).toBeGreaterThan(100);
  });

  it('round-trips: importing the dump into an empty database publishes the same petitions', async () => {
    const copy = await freshDatabase();
    try {
      const first = await importArchiveFile(copy.db, dumpFile, { now: new Date('2027-01-01T00:00:00Z') });
      expect(first).toMatchObject({ format: 'cheongwon-dump', inserted: 2784, merged: 0, skipped: [] });
      const site = await createSite({ db: copy.db, deploymentProfile: 'cheongwadae', settingsTtlMs: 0 });
      const original = await publicDigest(t.handle.db, t.site.profile);
      const reproduced = await publicDigest(copy.db, site.profile);
      site.close();
      if (reproduced.digest !== original.digest) {
        // show the first difference rather than two hashes
        const i = original.petitions.findIndex(
          (p, k) => JSON.stringify(p) !== JSON.stringify(reproduced.petitions[k]),
        );
        expect(reproduced.petitions[i]).toEqual(original.petitions[i]);
      }
      expect(reproduced.digest).toBe(original.digest);
      const again = await importArchiveFile(copy.db, dumpFile, { now: new Date('2027-01-02T00:00:00Z') });
      expect(again).toMatchObject({ inserted: 0, merged: 0, unchanged: 2784 });
    } finally {
      await copy.close();
    }
  });

  it('carries no per-signer data: a live petition with agreements exports its count only, and imports as source cheongwon', async () => {
    const live = await openPetition(t.handle.db, { title: '덤프 확인용 청원', count: 1 });
    await t.handle.db
      .insertInto('agreements')
      .values({
        petition_id: live,
        signer_key: signer(1),
        method: 'oidc',
        region: 'seoul',
        created_at: now,
        confirmed_at: now,
      })
      .execute();
    const liveDir = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-live-'));
    const copy = await freshDatabase();
    try {
      const m = await writeDump(t.handle.db, { dir: liveDir, now, profile: t.site.profile });
      const file = path.join(liveDir, m.file);
      const text = gunzipSync(readFileSync(file)).toString('utf8');
      expect(text).not.toContain(signer(1));
      expect(text).not.toMatch(/signer_key|confirmation_token|"region"|sponsor_token/);
      const [header, ...records] = lines(file);
      const record = records.find((r) => r.id === Number(live));
      expect(record).toMatchObject({
        agreement_count: 1,
        count_source: 'live',
        state: 'open',
        archive: null,
      });

      // import just the header and this record (the whole dump's round trip is tested above)
      const small = path.join(liveDir, 'live.jsonl.gz');
      writeFileSync(small, gzipSync(`${JSON.stringify(header)}\n${JSON.stringify(record)}\n`));
      await importArchiveFile(copy.db, small, { now });
      const imported = await copy.db
        .selectFrom('petitions')
        .selectAll()
        .where('archive_source', '=', 'cheongwon')
        .executeTakeFirstOrThrow();
      expect(imported).toMatchObject({
        archive_source_id: live,
        title: '덤프 확인용 청원',
        state: 'closed',
        archived_agreement_count: 1,
        archived_count_final: false, // counted while open
        agreement_count: 0,
      });
    } finally {
      await copy.close();
      await t.handle.db.deleteFrom('agreements').where('petition_id', '=', live).execute();
      await t.handle.db.deleteFrom('petitions').where('id', '=', live).execute();
      rmSync(liveDir, { recursive: true, force: true });
    }
  });

  it('refuses a dump of an unknown schema version, and reports a broken line without storing half of it', async () => {
    const copy = await freshDatabase();
    const bad = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-bad-'));
    try {
      const future = path.join(bad, 'future.jsonl.gz');
      writeFileSync(future, gzipSync('{"schema":"cheongwon-dump/9","record":"header"}\n'));
      await expect(importArchiveFile(copy.db, future, { now })).rejects.toMatchObject({
        code: 'unknown_format',
        message: expect.stringContaining('cheongwon-dump/9'),
      });

      const [header, ...records] = lines(dumpFile);
      const broken = { ...records[1], title: '' };
      const wrongType = { ...records[2], agreement_count: '많음' };
      const nul = { ...records[3], title: 'NUL\u0000 제목' };
      const mixed = path.join(bad, 'mixed.jsonl.gz');
      writeFileSync(
        mixed,
        gzipSync(
          [header, records[0], broken, wrongType, nul]
            .map((r) => JSON.stringify(r))
            .concat(['{"schema":"cheongwon-dump/1",'])
            .join('\n'),
        ),
      );
      const summary = await importArchiveFile(copy.db, mixed, { now });
      expect(summary.inserted).toBe(2);
      expect(summary.skipped.map((s) => [s.line, s.reason])).toEqual([
        [3, expect.stringContaining('title')],
        [4, expect.stringContaining('agreement_count')],
        [6, expect.stringContaining('invalid JSON')],
      ]);
      const titles = (await copy.db.selectFrom('petitions').select('title').execute()).map((r) => r.title);
      expect(titles).toContain('NUL 제목');
    } finally {
      await copy.close();
      rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe(`dump downloads (${TEST_ENGINE})`, () => {
  it('serves the latest dump and its checksum; a client with the current ETag gets 304', async () => {
    const app = createApp(t.site, undefined, { dumpDir: dir });
    const res = await app.request('/api/v1/dumps/latest.jsonl.gz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${manifest.file}"`);
    const body = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(body).digest('hex');
    expect(res.headers.get('etag')).toBe(`"${sha}"`);
    const sum = await app.request('/api/v1/dumps/latest.sha256');
    expect(sum.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await sum.text()).toBe(`${sha}  ${manifest.file}\n`);
    const again = await app.request('/api/v1/dumps/latest.jsonl.gz', {
      headers: { 'If-None-Match': `"${sha}"` },
    });
    expect(again.status).toBe(304);
  });

  it('answers 503 dump_not_ready with Retry-After before the first dump exists', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-empty-'));
    try {
      const app = createApp(t.site, undefined, { dumpDir: empty });
      const res = await app.request('/api/v1/dumps/latest.sha256');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('300');
      expect(((await res.json()) as any).error.code).toBe('dump_not_ready');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe(`daily schedule (${TEST_ENGINE})`, () => {
  it('writes when today’s dump is missing, not twice a day, and again the next (Seoul) day', async () => {
    const scheduleDir = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-schedule-'));
    let clock = new Date('2026-11-29T14:00:00Z'); // 23:00 in Seoul
    let written = 0;
    const daily = startDailyDumps({
      db: t.handle.db,
      kind: t.handle.kind,
      dir: scheduleDir,
      timeZone: 'Asia/Seoul',
      now: () => clock,
      generate: async (db) => {
        written++;
        return writeDump(db, { dir: scheduleDir, now: clock, profile: t.site.profile, pageSize: 1000 });
      },
      log: () => {},
      checkEveryMs: 3_600_000,
    });
    try {
      await daily.runOnce();
      expect(written).toBe(1);
      clock = new Date('2026-11-29T14:50:00Z');
      await daily.runOnce();
      expect(written).toBe(1);
      clock = new Date('2026-11-29T15:00:00Z'); // midnight in Seoul: a new day
      await daily.runOnce();
      expect(written).toBe(2);
    } finally {
      await daily.stop();
      rmSync(scheduleDir, { recursive: true, force: true });
    }
  });

  it.skipIf(TEST_ENGINE !== 'postgres')(
    'with several app servers on PostgreSQL, only the one holding the advisory lock writes',
    async () => {
      const scheduleDir = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-lock-'));
      const other = new pg.Client({ connectionString: (t.handle as TestDatabase).url ?? '' });
      await other.connect();
      let written = 0;
      const daily = startDailyDumps({
        db: t.handle.db,
        kind: 'postgres',
        dir: scheduleDir,
        timeZone: 'Asia/Seoul',
        now: () => now,
        generate: async (db) => {
          written++;
          return writeDump(db, { dir: scheduleDir, now, profile: t.site.profile, pageSize: 1000 });
        },
        log: () => {},
      });
      try {
        await other.query(`select pg_advisory_lock(hashtext('cheongwon.daily-dump'))`);
        await daily.runOnce();
        expect(written).toBe(0);
        await other.query(`select pg_advisory_unlock(hashtext('cheongwon.daily-dump'))`);
        await daily.runOnce();
        expect(written).toBe(1);
      } finally {
        await daily.stop();
        await other.end();
        rmSync(scheduleDir, { recursive: true, force: true });
      }
    },
  );
});

describe(`cheongwon dump (${TEST_ENGINE})`, () => {
  it('an operator writes a dump from the command line and verifies it with sha256sum', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const work = mkdtempSync(path.join(tmpdir(), 'cheongwon-dump-cli-'));
    const db = TEST_ENGINE === 'postgres' ? await freshDatabase() : null;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, CHEONGWON_DATA_DIR: path.join(work, 'pglite') };
      delete env.TEST_DATABASE_URL;
      if (db?.url) env.DATABASE_URL = db.url;
      else delete env.DATABASE_URL;
      const out = path.join(work, 'out');
      const { stdout } = await promisify(execFile)(
        path.join(root, 'node_modules/.bin/tsx'),
        [path.join(root, 'src/cli/main.ts'), 'dump', '--out', out, '--no-progress'],
        { env, cwd: work },
      );
      expect(stdout).toMatch(/cheongwon-petitions-\d{8}T\d{6}Z\.jsonl\.gz: 0 petitions/);
      const written = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as DumpManifest;
      const check = await promisify(execFile)('sha256sum', ['-c', `${written.file}.sha256`], { cwd: out });
      expect(check.stdout).toContain(`${written.file}: OK`);
      expect(existsSync(path.join(out, 'NOTICE'))).toBe(true);
    } finally {
      await db?.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
