import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { decodeEntry } from '../../src/domain/tlog/entries.js';
import {
  parseLogKeys,
  verifyHeadsCheckpoint,
  verifyPetitionCheckpoint,
} from '../../src/domain/tlog/site-log.js';
import { verifyTlogProof } from '../../src/domain/tlog/tlog-proof.js';
import { sessionCookieHeader } from '../../src/http/middleware/session.js';
import { createDeployment, type Deployment } from '../../src/wiring/deployment.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../support/databases.js';
import { openPetition } from '../support/factories.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'log-http-secret-log-http-secret-0123456789';
let h: TestDatabase;
let deployment: Deployment;
let clock = new Date('2026-12-01T00:00:00Z');

beforeAll(async () => {
  h = await freshDatabase();
  const config = loadConfig(
    {
      CHEONGWON_SECRET: SECRET,
      CHEONGWON_DUMPS: 'off',
      CHEONGWON_SCHEDULER: 'off',
      PUBLIC_URL: 'https://cheongwon.test',
    },
    ROOT,
  );
  deployment = await createDeployment(config, h, {
    log: () => {},
    now: () => clock,
    env: { NOTIFY_WORKER: 'off' },
  });
  await deployment.start();
});
afterAll(async () => {
  await deployment?.stop();
  await h?.close();
});

const agree = (id: string, person: string, fields: Record<string, string>) =>
  deployment.app.request(`/petitions/${id}/agreements`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      cookie: sessionCookieHeader(createHash('sha256').update(person).digest('hex'), SECRET),
    },
    body: new URLSearchParams({ method: 'oidc', ...fields }).toString(),
  });

describe(`the /log routes and receipts (${TEST_ENGINE})`, () => {
  it('gives the signer a receipt whose proof verifies against the published key, checkpoint and tiles', async () => {
    const { app } = deployment;
    const id = await openPetition(h.db);
    const secret = '00112233445566778899aabbccddeeff';
    const res = await agree(id, 'minji', { receipt_secret: secret });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { receipt: Record<string, unknown> };
    expect(body.receipt).toEqual({
      petition_id: Number(id),
      receipt_secret: secret,
      leaf_index: 0,
      proof_url: `/log/petitions/${id}/proof/0`,
    });
    // without script the server makes the secret; a malformed one is refused and nothing is stored
    const made = (await (await agree(id, 'seojun', {})).json()) as { receipt: { receipt_secret: string } };
    expect(made.receipt.receipt_secret).toMatch(/^[0-9a-f]{32}$/);
    const bad = await agree(id, 'jiho', { receipt_secret: 'not-hex' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');

    // not signed yet: nothing to serve
    expect((await app.request(`/log/petitions/${id}/checkpoint`)).status).toBe(404);
    expect((await app.request(`/log/petitions/${id}/proof/0`)).status).toBe(404);
    await deployment.transparency.scheduler.runOnce({ publish: true });

    const keyRes = await app.request('/log/key');
    expect(keyRes.status).toBe(200);
    const keys = parseLogKeys(await keyRes.text());
    const cp = await app.request(`/log/petitions/${id}/checkpoint`);
    expect(cp.headers.get('cache-control')).toBe('public, max-age=5');
    const { checkpoint } = verifyPetitionCheckpoint(await cp.text(), keys, id);
    expect(checkpoint).toMatchObject({ origin: `cheongwon.test/petitions/${id}`, size: 2 });

    const proofRes = await app.request(String(body.receipt.proof_url));
    expect(proofRes.status).toBe(200);
    expect(proofRes.headers.get('content-disposition')).toContain('.tlog-proof');
    // the petitions key signs every petition log (its origin names the petition): trust it for this origin
    const policy = {
      ...keys.policy,
      logs: [...keys.policy.logs, { vkey: keys.petitions.vkey, origin: checkpoint.origin }],
    };
    const { entry } = verifyTlogProof(await proofRes.text(), policy, { origin: checkpoint.origin });
    // the entry is the signer's: its commitment is SHA-256 of their receipt secret
    const decoded = decodeEntry(entry);
    expect(decoded.kind).toBe('agreement');
    expect(Buffer.from((decoded as { commitment: Uint8Array }).commitment).toString('hex')).toBe(
      createHash('sha256').update(Buffer.from(secret, 'hex')).digest('hex'),
    );

    const tile = await app.request(`/log/petitions/${id}/tile/entries/000.p/2`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request(`/log/petitions/${id}/tile/0/000.p/2`)).status).toBe(200);
    expect((await app.request(`/log/petitions/${id}/tile/0/000.p/3`)).status).toBe(404); // not published
    expect((await app.request(`/log/petitions/${id}/tile/0/0000`)).status).toBe(404); // not a tile path
    expect((await app.request('/log/petitions/abc/checkpoint')).status).toBe(400);
    expect((await app.request(`/log/petitions/${id}/proof/-1`)).status).toBe(400);
    expect((await app.request(`/log/petitions/${id}/proof/2`)).status).toBe(404);

    const heads = await app.request('/log/heads/checkpoint');
    expect(heads.status).toBe(200);
    expect(heads.headers.get('cache-control')).toBe('public, max-age=5');
    expect(verifyHeadsCheckpoint(await heads.text(), keys).checkpoint.size).toBeGreaterThanOrEqual(1);
    expect((await app.request('/log/heads/tile/entries/000.p/1')).status).toBe(200);
    clock = new Date(clock.getTime() + 1000);
  });

  it('lists the /log paths in the OpenAPI document, served from the site root', async () => {
    const doc = (await (await deployment.app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get: { servers?: Array<{ url: string }> } }>;
    };
    for (const p of [
      '/log/key',
      '/log/petitions/{id}/checkpoint',
      '/log/petitions/{id}/tile/{tile}',
      '/log/petitions/{id}/proof/{index}',
      '/log/heads/checkpoint',
      '/log/heads/tile/{tile}',
    ]) {
      expect(doc.paths[p]?.get.servers).toEqual([{ url: '/' }]);
    }
  });
});
