import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcileCounts, reconcileLogs } from '../src/counting/reconcile.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { signerKey } from '../src/domain/identity.js';
import { sessionCookieHeader } from '../src/http/middleware/session.js';
import { childProcessDatabase, TEST_ENGINE } from './support/databases.js';
import { openPetition, writerDeps } from './support/factories.js';

const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src/cli/main.ts');
const SECRET = 'crash-test-secret-crash-test-secret-0123';
const person = (n: number) => createHash('sha256').update(`crash person ${n}`).digest('hex');

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  // node itself (tsx as a loader), not the tsx wrapper: SIGKILL must hit the server process, not a parent of it
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], { env, cwd: root });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}):\n${output}`)));
  });
}

/**
 * The server is killed with SIGKILL in the middle of a burst of agreements. After a restart, every agreement it
 * acknowledged is there, the count equals the rows, and nothing is duplicated.
 */
describe(`crash safety (${TEST_ENGINE})`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-crash-'));
  let database: Awaited<ReturnType<typeof childProcessDatabase>> | null = null;
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged agreement when the server is killed mid-burst', async () => {
    database = await childProcessDatabase(dir, {
      PORT: '0',
      HOST: '127.0.0.1',
      CHEONGWON_SEED: 'none',
      CHEONGWON_DEV_MAILBOX: '1',
      CHEONGWON_SECRET: SECRET,
      RATE_LIMIT_ADDRESS: '1000000/1',
      RATE_LIMIT_PETITION: '1000000/1',
    });
    const { env, open } = database;
    let h = await open();
    await migrateToLatest(h.db);
    const petitionId = await openPetition(h.db, {
      closesAt: new Date(Date.now() + 7 * 86_400_000),
      openedAt: new Date(Date.now() - 86_400_000),
    });
    await h.close();

    const { child, port } = await startServer(env);
    const acknowledged: number[] = [];
    /** The leaf index each acknowledged agreement's answer gave (its receipt). */
    const leafOf = new Map<number, number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < 20_000) {
        const n = next++;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/petitions/${petitionId}/agreements`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
              cookie: sessionCookieHeader(person(n), SECRET),
            },
            body: 'method=oidc',
          });
          if (res.status === 201) {
            acknowledged.push(n);
            const body = (await res.json()) as { receipt?: { leaf_index: number | null } };
            if (typeof body.receipt?.leaf_index === 'number') leafOf.set(n, body.receipt.leaf_index);
          } else await res.arrayBuffer();
        } catch {
          // connection cut by the kill: not acknowledged
        }
      }
    };
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const workers = Array.from({ length: 32 }, worker);
    while (acknowledged.length < 600) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    killed = true;
    await exited;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(600);

    // restart: the database opens (a stale embedded lock is taken over) and every acknowledged agreement is there
    const restarted = await startServer(env);
    restarted.child.kill('SIGTERM');
    await new Promise((resolve) => restarted.child.on('exit', resolve));
    h = await open();
    try {
      const keys = new Set(
        (
          await h.db
            .selectFrom('agreements')
            .select('signer_key')
            .where('petition_id', '=', petitionId)
            .execute()
        ).map((r) => r.signer_key),
      );
      const missing = acknowledged.filter((n) => !keys.has(signerKey(SECRET, petitionId, person(n))));
      expect(missing).toEqual([]);
      const petition = await h.db
        .selectFrom('petitions')
        .select('agreement_count')
        .where('id', '=', petitionId)
        .executeTakeFirstOrThrow();
      expect(petition.agreement_count).toBe(keys.size);
      expect(await reconcileCounts(h.db, writerDeps)).toEqual([]);
      // the transparency log: no acknowledged agreement without a leaf, no leaf without a counted agreement, the
      // indices 0…n-1 without a gap, log_size = n, and each receipt's index the leaf of that agreement
      const leaves = await sql<{ idx: string; signer_key: string | null; confirmed: boolean | null }>`
        select l.idx::text, a.signer_key, a.confirmed_at is not null as confirmed
        from log_entries l left join agreements a on a.id = l.agreement_id
        where l.petition_id = ${petitionId} order by l.idx`.execute(h.db);
      expect(leaves.rows.map((l) => l.idx)).toEqual(leaves.rows.map((_, i) => String(i)));
      expect(leaves.rows.every((l) => l.signer_key !== null && l.confirmed === true)).toBe(true);
      expect(leaves.rows.length).toBe(keys.size);
      const leafOfKey = new Map(leaves.rows.map((l) => [l.signer_key, l.idx]));
      for (const n of acknowledged) {
        const idx = leafOfKey.get(signerKey(SECRET, petitionId, person(n)));
        expect(idx).toBeDefined();
        if (leafOf.has(n)) expect(idx).toBe(String(leafOf.get(n)));
      }
      expect(leafOf.size).toBeGreaterThan(acknowledged.length / 2); // receipts carried their index
      const size = await h.db
        .selectFrom('petitions')
        .select('log_size')
        .where('id', '=', petitionId)
        .executeTakeFirstOrThrow();
      expect(String(size.log_size)).toBe(String(keys.size));
      expect(await reconcileLogs(h.db)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
