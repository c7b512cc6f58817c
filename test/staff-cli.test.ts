import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithPassword } from '../src/commands/sign-in-with-password.js';
import { openDatabase } from '../src/db/connection.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'src/cli/main.ts');
const SECRET = 'cli-test-secret-0123456789abcdefghij';

/** `cheongwon staff …` as an operator bootstraps the first administrator, in a child process. */
describe(`cheongwon staff (${TEST_ENGINE})`, () => {
  let db: TestDatabase | null = null;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-staff-cli-'));
    env = {
      ...process.env,
      CHEONGWON_DATA_DIR: path.join(dir, 'pglite'),
      CHEONGWON_SECRET: SECRET,
      DATABASE_URL: '',
    };
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

  it('adds an administrator who can sign in with the printed password and TOTP; roles, disable and settings are audited', async () => {
    const added = await cli('staff', 'add', '--email', 'Chief@Cheongwon.test', '--role', 'administrator');
    const password = /initial password \(shown once\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    const uri = /(otpauth:\/\/totp\/\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(uri).toContain('issuer=Cheongwon');

    const duplicate = await cli(
      'staff',
      'add',
      '--email',
      'chief@cheongwon.test',
      '--role',
      'moderator',
    ).catch((e) => e);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('staff_exists');
    const badRole = await cli('staff', 'add', '--email', 'x@cheongwon.test', '--role', 'king').catch(
      (e) => e,
    );
    expect(badRole.stderr).toContain('invalid_parameter');

    await cli('staff', 'roles', '--email', 'chief@cheongwon.test', '--role', 'administrator,moderator');
    const handle = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: path.join(dir, 'pglite') },
    );
    try {
      const now = new Date();
      const session = await signInWithPassword(handle.db, {
        email: 'chief@cheongwon.test',
        password,
        code: URI.parse(uri).generate({ timestamp: now.getTime() }),
        secret: SECRET,
        now,
      });
      expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await handle.close();
    }
    await cli('staff', 'disable', '--email', 'chief@cheongwon.test');
    // policy settings from the command line take the staff page's path: locked, validated, audited
    await cli('settings', 'set', 'cheongwadae', 'responseThreshold', '150000');
    await cli('settings', 'unset', 'cheongwadae', 'responseThreshold');
    const check = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: path.join(dir, 'pglite') },
    );
    try {
      const audit = await check.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'staff_id', 'subject_id', 'before', 'after'])
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'staff.add',
        'staff.roles',
        'staff.disable',
        'settings.policy',
        'settings.policy',
      ]);
      expect(audit.every((a) => a.actor.startsWith('cli:'))).toBe(true);
      const policy = audit.filter((a) => a.action === 'settings.policy');
      expect(policy.map((a) => [a.staff_id, a.subject_id, a.before, a.after])).toEqual([
        [null, 'cheongwadae', {}, { responseThreshold: 150_000 }],
        [null, 'cheongwadae', { responseThreshold: 150_000 }, {}],
      ]);
      expect(await check.db.selectFrom('staff_sessions').select('token_hash').execute()).toEqual([]);
    } finally {
      await check.close();
    }
  }, 120_000);
});
