import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeSignedIn } from '../src/commands/agree-signed-in.js';
import { AgreementWriter } from '../src/signing/agreement-writer.js';
import type { TransparencyAgreementLog } from '../src/transparency/agreement-log.js';
import { TEST_ENGINE } from './support/databases.js';
import { openPetition, writerParts } from './support/factories.js';
import { StaffBrowser } from './support/staff-browser.js';
import { STAFF_ORIGIN, STAFF_SECRET, type StaffCredentials, startStaffSite } from './support/staff-site.js';

/**
 * The staff pages of fraud signals and accountable invalidation, through the staff web (in-process requests):
 * Mina and Joon (moderators), Seo (responder).
 */
const clock = { now: new Date('2026-11-29T06:00:00Z') };
let s: Awaited<ReturnType<typeof startStaffSite<'mina' | 'joon' | 'seo'>>>;
let writer: AgreementWriter;
let petitionId: string;

async function signIn(who: StaffCredentials): Promise<StaffBrowser> {
  const b = new StaffBrowser(s.app, STAFF_ORIGIN, STAFF_SECRET, { json: true });
  const code = URI.parse(who.totpUri).generate({ timestamp: clock.now.getTime() });
  const res = await b.post('/staff/login', { email: who.email, password: who.password, code });
  expect(res.status).toBe(200);
  clock.now = new Date(clock.now.getTime() + 31_000); // a TOTP code is accepted once
  return b;
}
const errorCode = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code;

beforeAll(async () => {
  s = await startStaffSite(clock, { mina: ['moderator'], joon: ['moderator'], seo: ['responder'] });
  petitionId = await openPetition(s.h.db, { responseThreshold: 200_000 });
  (writerParts.log as TransparencyAgreementLog).forget(petitionId);
  writer = new AgreementWriter({ ...writerParts, db: s.h.db, now: () => clock.now });
  const deps = { db: s.h.db, writer, secret: 's'.repeat(32) };
  await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      agreeSignedIn(deps, {
        petitionId,
        personId: `p${i}`,
        clientAddress: i < 20 ? `203.0.113.${i + 1}` : `2001:db8:5:${i}::1`,
      }),
    ),
  );
});
afterAll(async () => {
  await writer.close();
  await s.close();
});

describe(`staff fraud pages (${TEST_ENGINE})`, () => {
  it('shows per-petition signals with charts and the rate alert to moderators only', async () => {
    const seo = await signIn(s.people.seo);
    expect((await seo.get(`/staff/petitions/${petitionId}/signals`, true)).status).toBe(403);
    const mina = await signIn(s.people.mina);
    const json = (await (await mina.get(`/staff/petitions/${petitionId}/signals?alert=10`, true)).json()) as {
      alerts: Array<{ key: string }>;
      prefix: Array<{ key: string; agreements: number }>;
    };
    expect(json.prefix[0]).toMatchObject({ key: '203.0.113.0/24', agreements: 20 });
    expect(json.prefix[1]).toMatchObject({ key: '2001:db8:5::/48', agreements: 5 });
    expect(json.alerts.map((a) => a.key)).toEqual(['203.0.113.0/24']);
    const html = await (await mina.get(`/staff/petitions/${petitionId}/signals?alert=10`)).text();
    expect(html).toContain('<svg');
    expect(html).toContain('경보');
    expect(html).not.toContain('203.0.113.1<'); // prefixes only, never an address
  });

  it('Mina asks, cannot approve her own request; Joon approves and the run completes', async () => {
    const mina = await signIn(s.people.mina);
    const fields = { petition: petitionId, cidr: '203.0.113.0/24', reason_code: '2' };
    const preview = (await (await mina.act('/staff/invalidations/preview', fields)).json()) as {
      count: number;
    };
    expect(preview.count).toBe(20);
    const asked = await mina.act('/staff/invalidations', fields);
    expect(asked.status).toBe(201);
    const { id } = (await asked.json()) as { id: number };
    const own = await mina.act(`/staff/invalidations/${id}/approve`);
    expect(own.status).toBe(403);
    expect(await errorCode(own)).toBe('four_eyes_required');
    const joon = await signIn(s.people.joon);
    expect((await joon.act(`/staff/invalidations/${id}/approve`)).status).toBe(200);
    let state = '';
    for (let i = 0; i < 200 && state !== 'done'; i++) {
      const list = (await (await joon.get(`/staff/invalidations?petition=${petitionId}`, true)).json()) as {
        invalidations: Array<{ id: string; state: string }>;
      };
      state = list.invalidations.find((x) => Number(x.id) === id)?.state ?? '';
      if (state !== 'done') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('done');
    const p = await s.h.db
      .selectFrom('petitions')
      .select('agreement_count')
      .where('id', '=', petitionId)
      .executeTakeFirstOrThrow();
    expect(p.agreement_count).toBe(5);
  });

  it('edits the block / allow lists at runtime, audited; refuses bad values and other roles', async () => {
    const seo = await signIn(s.people.seo);
    expect(
      (await seo.act('/staff/fraud-lists', { kind: 'domain', value: 'x.example', action: 'block' })).status,
    ).toBe(403);
    const mina = await signIn(s.people.mina);
    const bad = await mina.act('/staff/fraud-lists', {
      kind: 'prefix',
      value: '999.1.1.0/24',
      action: 'block',
    });
    expect(await errorCode(bad)).toBe('invalid_filter');
    const added = await mina.act('/staff/fraud-lists', {
      kind: 'prefix',
      value: '198.51.100.7/24',
      action: 'block',
      reason: 'burst',
    });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: number };
    const list = (await (await mina.get('/staff/fraud-lists', true)).json()) as {
      entries: Array<{ value: string }>;
    };
    expect(list.entries.map((e) => e.value)).toEqual(['198.51.100.0/24']);
    expect((await mina.act(`/staff/fraud-lists/${id}/remove`)).status).toBe(200);
    const audit = await s.h.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'fraud_list.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['fraud_list.add', 'fraud_list.remove']);
  });
});
