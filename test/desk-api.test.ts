import SwaggerParser from '@apidevtools/swagger-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBank } from '../src/commands/desk/create-bank.js';
import { issueApiKey, registerPlatform } from '../src/commands/desk/register-platform.js';
import { submitCase } from '../src/commands/desk/submit-case.js';
import { withdrawCase } from '../src/commands/desk/withdraw-case.js';
import { DeskHashIndex } from '../src/desk/hash-index.js';
import { pdqDihedral, pdqHashFromRgba } from '../src/domain/pdq/pdq.js';
import { hammingDistance } from '../src/domain/pdq/pdq-hash.js';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';

/**
 * The platform API on the engine under test, in-process: lookups (exact, near, rotated via the dihedral set, per-
 * bank thresholds, negative banks, MD5), malformed input (always a 400 with a code), keys (missing, revoked,
 * scope, rate limit, every request recorded), feedback, the change feed with deletions, flood quarantine, import
 * and export, and the OpenAPI document.
 */

const SECRET = 'test-deployment-secret-0123456789abcdef';
const cli = { staffId: null, name: 'cli:test' };
let h: TestDatabase;
let site: Site;
let app: ReturnType<typeof createApp>;
const clock = { now: new Date('2026-12-07T10:00:00Z') };
const keys: Record<string, string> = {};

/** A deterministic textured RGBA image (so PDQ has quality), and the same image turned 90° clockwise. */
function image(w: number, hgt: number, seed: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(w * hgt * 4);
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) / 65536;
  };
  const blobs = Array.from({ length: 8 }, () => [rnd() * w, rnd() * hgt, 4 + rnd() * w * 0.3, rnd()]);
  for (let y = 0; y < hgt; y++) {
    for (let x = 0; x < w; x++) {
      let v = 30 + (120 * x) / w + (60 * y) / hgt;
      for (const [bx, by, r, k] of blobs as number[][]) {
        if ((x - (bx as number)) ** 2 + (y - (by as number)) ** 2 < (r as number) ** 2)
          v += (k as number) > 0.5 ? 70 : -60;
      }
      const i = (y * w + x) * 4;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = Math.max(0, Math.min(255, v + ((x * 7 + y * 13) % 9)));
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}
function rotate90(rgba: Uint8ClampedArray, w: number, hgt: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba.length);
  for (let y = 0; y < hgt; y++) {
    for (let x = 0; x < w; x++) {
      const from = (y * w + x) * 4;
      const to = (x * hgt + (hgt - 1 - y)) * 4;
      out.set(rgba.subarray(from, from + 4), to);
    }
  }
  return out;
}
/** `hex` with its first `n` bits flipped. */
function flipBits(hex: string, n: number): string {
  const bits = [...hex].map((c) => Number.parseInt(c, 16).toString(2).padStart(4, '0')).join('');
  const flipped = [...bits].map((b, i) => (i < n ? (b === '0' ? '1' : '0') : b)).join('');
  return (
    flipped
      .match(/.{4}/g)
      ?.map((q) => Number.parseInt(q, 2).toString(16))
      .join('') ?? ''
  );
}

const original = pdqHashFromRgba(image(128, 128, 7), 128, 128);
const otherImage = pdqHashFromRgba(image(200, 150, 99), 200, 150);
let caseId = '';

async function call(
  path: string,
  init: { method?: string; body?: unknown; key?: string | null; raw?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = init.key === undefined ? keys.full : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await app.request(`/api/desk/v1${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    ...(init.raw !== undefined
      ? { body: init.raw }
      : init.body !== undefined
        ? { body: JSON.stringify(init.body) }
        : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({
    db: h.db,
    deploymentProfile: 'cheongwadae',
    now: () => clock.now,
    settingsTtlMs: 0,
  });
  app = createApp(site, undefined, {}, undefined, {
    index: new DeskHashIndex(h.db, { maxAgeMs: 0 }),
    secret: SECRET,
    operatorName: 'Center',
    hotline: '02-000-0000',
  });
  await registerPlatform(h.db, { name: 'ExampleTube', kind: 'video', actor: cli, now: clock.now });
  await registerPlatform(h.db, { name: 'OtherSite', kind: 'social', actor: cli, now: clock.now });
  keys.full = (
    await issueApiKey(h.db, {
      platform: 'ExampleTube',
      scopes: ['lookup', 'feedback', 'delta', 'import', 'export'],
      actor: cli,
      now: clock.now,
    })
  ).key;
  keys.lookupOnly = (
    await issueApiKey(h.db, {
      platform: 'ExampleTube',
      scopes: ['lookup'],
      requestsPerMinute: 5,
      actor: cli,
      now: clock.now,
    })
  ).key;
  keys.other = (
    await issueApiKey(h.db, {
      platform: 'OtherSite',
      scopes: ['lookup', 'feedback'],
      actor: cli,
      now: clock.now,
    })
  ).key;
  const made = await submitCase(
    { db: h.db, secret: SECRET, operatorName: 'Center', now: clock.now },
    {
      hashes: [
        { algorithm: 'pdq', hash: original.hash, quality: original.quality },
        { algorithm: 'md5', hash: '9e107d9d372bb6826bd81d3542a419d6' },
      ],
      locale: 'ko',
    },
  );
  caseId = made.caseId;
}, 180_000);
afterAll(async () => {
  site.close();
  await h.close();
});

describe(`platform API: lookups (${TEST_ENGINE})`, () => {
  it('answers an exact PDQ hash with the hash, its bank and distance 0, and records the match', async () => {
    expect(original.quality).toBeGreaterThanOrEqual(50);
    const r = await call('/lookup', { body: { pdq: original.hash } });
    expect(r.status).toBe(200);
    expect(r.json.matches).toEqual([
      expect.objectContaining({
        bank: 'victim-submitted',
        algorithm: 'pdq',
        hash: original.hash,
        distance: 0,
      }),
    ]);
    expect(r.json.suppressed_by).toEqual([]);
    const again = await call(`/lookup?pdq=${original.hash}`);
    expect(again.json.matches[0].match_id).toBe(r.json.matches[0].match_id);
  });

  it('matches within 31 bits and not beyond; an unrelated image does not match', async () => {
    expect(
      (await call('/lookup', { body: { pdq: flipBits(original.hash, 31) } })).json.matches[0]?.distance,
    ).toBe(31);
    expect((await call('/lookup', { body: { pdq: flipBits(original.hash, 32) } })).json.matches).toEqual([]);
    expect(hammingDistance(original.hash, otherImage.hash)).toBeGreaterThan(31);
    expect((await call('/lookup', { body: { pdq: otherImage.hash } })).json.matches).toEqual([]);
  });

  it('finds a rotated copy through its rotations/flips (the dihedral set), not through its plain hash', async () => {
    const turned = rotate90(image(128, 128, 7), 128, 128);
    const plain = pdqHashFromRgba(turned, 128, 128);
    expect(hammingDistance(plain.hash, original.hash)).toBeGreaterThan(31);
    expect((await call('/lookup', { body: { pdq: plain.hash } })).json.matches).toEqual([]);
    const forms = Object.values(pdqDihedral(turned, 128, 128).hashes);
    expect(forms).toHaveLength(8);
    const r = await call('/lookup', { body: { pdq: forms } });
    expect(r.json.matches).toHaveLength(1);
    expect(r.json.matches[0].distance).toBeLessThanOrEqual(31);
    const q = forms.map((f) => `pdq=${f}`).join('&');
    expect((await call(`/lookup?${q}`)).json.matches[0]?.hash_id).toBe(r.json.matches[0].hash_id);
  });

  it('applies each bank’s threshold, and a negative bank suppresses every match', async () => {
    await createBank(h.db, {
      name: 'strict',
      provenance: 'authority_reviewed',
      pdqThreshold: 8,
      actor: cli,
      now: clock.now,
    });
    await call('/banks/strict/import', {
      body: { records: [{ signal_type: 'pdq', signal_value: otherImage.hash }] },
    });
    expect(
      (await call('/lookup', { body: { pdq: flipBits(otherImage.hash, 8) } })).json.matches,
    ).toHaveLength(1);
    expect((await call('/lookup', { body: { pdq: flipBits(otherImage.hash, 9) } })).json.matches).toEqual([]);
    await createBank(h.db, {
      name: 'benign',
      provenance: 'authority_reviewed',
      kind: 'negative',
      pdqThreshold: 10,
      actor: cli,
      now: clock.now,
    });
    await call('/banks/benign/import', {
      body: { records: [{ hashType: 'PDQ', hashValue: flipBits(otherImage.hash, 4) }] },
    });
    const r = await call('/lookup', { body: { pdq: otherImage.hash } });
    expect(r.json.matches).toEqual([]);
    expect(r.json.suppressed_by).toEqual([expect.objectContaining({ bank: 'benign', distance: 4 })]);
  });

  it('answers an MD5 exactly, in either case', async () => {
    const r = await call('/lookup', { body: { md5: '9E107D9D372BB6826BD81D3542A419D6' } });
    expect(r.json.matches).toEqual([expect.objectContaining({ algorithm: 'md5', distance: 0 })]);
    expect((await call('/lookup?md5=9e107d9d372bb6826bd81d3542a419d7')).json.matches).toEqual([]);
  });

  it('refuses every malformed hash with a 400 and a code, never a 500', async () => {
    const cases: Array<[unknown, string, string | undefined]> = [
      [{ pdq: 'abc' }, 'invalid_hash', 'wrong_length'],
      [{ pdq: 'g'.repeat(64) }, 'invalid_hash', 'not_hex'],
      [{ pdq: '0'.repeat(64) }, 'invalid_hash', 'all_zero'],
      [{ pdq: [original.hash, 42] }, 'invalid_hash', 'not_a_string'],
      [{ pdq: Array(9).fill(original.hash) }, 'invalid_parameter', undefined],
      [{ pdq: [] }, 'invalid_parameter', undefined],
      [{ md5: 'xyz' }, 'invalid_hash', 'wrong_length'],
      [{ md5: '0'.repeat(32) }, 'invalid_hash', 'all_zero'],
      [{ pdq: original.hash, md5: '9e107d9d372bb6826bd81d3542a419d6' }, 'invalid_parameter', undefined],
      [{}, 'invalid_parameter', undefined],
      [{ pdq: `${original.hash.slice(0, 63)}\u0000` }, 'invalid_hash', 'not_hex'],
    ];
    for (const [body, code, problem] of cases) {
      const r = await call('/lookup', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code, JSON.stringify(body)).toBe(code);
      if (problem) expect(r.json.error.details.problem).toBe(problem);
    }
    const notJson = await call('/lookup', { raw: '{"pdq": ' });
    expect([notJson.status, notJson.json.error.code]).toEqual([400, 'invalid_body']);
    const huge = await call('/lookup', { raw: JSON.stringify({ pdq: 'a'.repeat(100_000) }) });
    expect([huge.status, huge.json.error.code]).toEqual([413, 'body_too_large']);
    expect((await call('/lookup?pdq=1234')).json.error.code).toBe('invalid_hash');
  });
});

describe(`platform API: keys, feedback, the change feed, flood quarantine, exchange (${TEST_ENGINE})`, () => {
  it('needs a valid, unrevoked key with the scope; limits each key; records every request', async () => {
    expect((await call('/lookup', { body: { pdq: original.hash }, key: null })).status).toBe(401);
    expect(
      (await call('/lookup', { body: { pdq: original.hash }, key: `cwdesk_${'A'.repeat(43)}` })).json.error
        .code,
    ).toBe('invalid_api_key');
    const scoped = await call('/hashes/changes', { key: keys.lookupOnly });
    expect([scoped.status, scoped.json.error.code]).toEqual([403, 'insufficient_scope']);
    // the lookup-only key allows 5 a minute (one used above)
    for (let i = 0; i < 4; i++)
      expect((await call('/lookup', { body: { md5: 'a'.repeat(32) }, key: keys.lookupOnly })).status).toBe(
        200,
      );
    const limited = await call('/lookup', { body: { md5: 'a'.repeat(32) }, key: keys.lookupOnly });
    expect([limited.status, limited.json.error.code]).toEqual([429, 'rate_limited']);
    const logged = await h.db.selectFrom('desk_api_requests').select(['status', 'endpoint']).execute();
    expect(logged.filter((r) => r.status === 401)).toHaveLength(2);
    expect(logged.filter((r) => r.status === 429)).toHaveLength(1);
    expect(logged.filter((r) => r.status === 403)).toHaveLength(1);
    expect(logged.some((r) => r.endpoint === 'POST /lookup' && r.status === 200)).toBe(true);
  });

  it('takes feedback on a platform’s own match only', async () => {
    const m = (await call('/lookup', { body: { pdq: original.hash } })).json.matches[0].match_id;
    const ok = await call(`/matches/${m}/feedback`, { body: { feedback: 'blocked' } });
    expect(ok).toEqual({ status: 200, json: { match_id: m, feedback: 'blocked' } });
    expect(
      (await call(`/matches/${m}/feedback`, { body: { feedback: 'blocked' }, key: keys.other })).status,
    ).toBe(404);
    expect((await call(`/matches/${m}/feedback`, { body: { feedback: 'deleted' } })).status).toBe(400);
    expect((await call('/matches/abc/feedback', { body: { feedback: 'blocked' } })).json.error.code).toBe(
      'invalid_parameter',
    );
    const row = await h.db
      .selectFrom('desk_matches')
      .select('feedback')
      .where('id', '=', m)
      .executeTakeFirstOrThrow();
    expect(row.feedback).toBe('blocked');
  });

  it('pages the change feed from a checkpoint and reports a withdrawal as deletions', async () => {
    const first = await call('/hashes/changes?since=0&limit=2');
    expect(first.json.data).toHaveLength(2);
    expect(first.json.has_more).toBe(true);
    let checkpoint = first.json.next_checkpoint;
    const seen = [...first.json.data];
    for (;;) {
      const page = await call(`/hashes/changes?since=${checkpoint}&limit=2`);
      seen.push(...page.json.data);
      checkpoint = page.json.next_checkpoint;
      if (!page.json.has_more) break;
    }
    expect(seen.find((d) => d.hash === original.hash)).toMatchObject({
      active: true,
      bank: 'victim-submitted',
    });
    await withdrawCase(h.db, { caseId, now: clock.now });
    const after = await call(`/hashes/changes?since=${checkpoint}`);
    expect(after.json.data.map((d: { hash: string; active: boolean }) => [d.hash, d.active])).toEqual(
      expect.arrayContaining([
        [original.hash, false],
        ['9e107d9d372bb6826bd81d3542a419d6', false],
      ]),
    );
    // and the lookup stops matching at once
    expect((await call('/lookup', { body: { pdq: original.hash } })).json.matches).toEqual([]);
    expect((await call('/hashes/changes?since=-1')).status).toBe(400);
  });

  it('quarantines a bank hash that suddenly matches too many different queries', async () => {
    await sql`update desk_settings set flood_limit = 3, flood_window_minutes = 60`.execute(h.db);
    await createBank(h.db, { name: 'flood', provenance: 'partner_exchange', actor: cli, now: clock.now });
    const logo = pdqHashFromRgba(image(120, 120, 3), 120, 120).hash;
    await call('/banks/flood/import', { body: { records: [{ signal_type: 'pdq', signal_value: logo }] } });
    for (let n = 1; n <= 3; n++)
      expect((await call('/lookup', { body: { pdq: flipBits(logo, n) } })).json.matches).toHaveLength(1);
    const fourth = await call('/lookup', { body: { pdq: flipBits(logo, 4) } });
    expect(fourth.json.matches).toEqual([]);
    expect(fourth.json.quarantined).toHaveLength(1);
    expect((await call('/lookup', { body: { pdq: logo } })).json.matches).toEqual([]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'desk.hash.quarantine')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('imports all or nothing and exports in both record shapes', async () => {
    await createBank(h.db, { name: 'partner', provenance: 'partner_exchange', actor: cli, now: clock.now });
    const bad = await call('/banks/partner/import', {
      body: {
        records: [
          { signal_type: 'pdq', signal_value: otherImage.hash },
          { signal_type: 'pdq', signal_value: 'zz' },
        ],
      },
    });
    expect([bad.status, bad.json.error.code, bad.json.error.details.index]).toEqual([400, 'invalid_hash', 1]);
    expect((await call('/banks/partner/export')).json.records).toEqual([]);
    expect(
      (
        await call('/banks/victim-submitted/import', {
          body: { records: [{ hashType: 'MD5', hashValue: 'b'.repeat(32) }] },
        })
      ).status,
    ).toBe(400);
    const ok = await call('/banks/partner/import', {
      body: {
        records: [
          { signal_type: 'pdq', signal_value: otherImage.hash, bank_content_id: 'p-1' },
          { hashType: 'MD5', hashValue: 'C'.repeat(32), id: 'p-2' },
        ],
      },
    });
    expect(ok.json).toEqual({ imported: 2 });
    const hma = await call('/banks/partner/export?format=hma');
    expect(hma.json.records.map((r: Record<string, unknown>) => [r.signal_type, r.signal_value])).toEqual([
      ['pdq', otherImage.hash],
      ['video_md5', 'c'.repeat(32)],
    ]);
    const stop = await call('/banks/partner/export?format=stopncii&limit=1');
    expect(stop.json.records[0]).toMatchObject({ hashType: 'PDQ', hashValue: otherImage.hash });
    expect(stop.json.next_after).not.toBeNull();
  });

  it('publishes a yearly transparency report of aggregates only (page and CSV)', async () => {
    const csv = await (await app.request('/support/transparency.csv?year=2026')).text();
    expect(csv.split('\r\n')[0]).toBe('year,measure,group,value');
    expect(csv).toContain('2026,cases,standard,1');
    expect(csv).toContain('2026,hashes,pdq,');
    expect(csv).toMatch(/2026,matches,video\/blocked,1/);
    expect(csv).not.toContain(original.hash);
    expect(csv).not.toContain('ExampleTube');
    const page = await app.request('/support/transparency?year=2026&lang=en');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Response desk transparency report 2026');
    expect((await app.request('/support/transparency.csv?year=1999')).status).toBe(400);
  });

  it('publishes a valid OpenAPI 3.1 document of every route', async () => {
    const res = await app.request('/api/desk/v1/openapi.json');
    const doc = (await res.json()) as any;
    await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/banks/{bank}/export',
      '/banks/{bank}/import',
      '/hashes/changes',
      '/lookup',
      '/matches/{id}/feedback',
    ]);
  });
});
