/**
 * Charlie creates a petition on the UK Parliament site (alphagov/e-petitions features/charlie_creates_a_petition),
 * over HTTP, in-process, on both engines, with a real SMTP server: the form is English by default; an action that
 * is a link or starts like a formula, and a name that is a web address, are refused with a clear message; once
 * Charlie confirms by email his own signature is the petition's first (the UK counts the creator; the Blue House
 * did not); sponsors choose among the UK's countries.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPostcodes } from '../src/commands/import-postcodes.js';
import { loadConfig } from '../src/config/env.js';
import { searchColumns } from '../src/domain/search-text.js';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { createSigning, type Signing } from '../src/wiring/signing.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const PUBLIC_URL = 'http://petition.test';
const SECRET = 'test-secret-test-secret-test-secret-0123';
let h: TestDatabase;
let site: Site;
let signing: Signing;
let app: ReturnType<typeof createApp>;
let smtp: TestSmtpServer;
const now = new Date('2026-12-07T12:00:00Z');

beforeAll(async () => {
  h = await freshDatabase();
  smtp = await startTestSmtpServer();
  const env = { CHEONGWON_SECRET: SECRET, PUBLIC_URL, SMTP_URL: smtp.url, RATE_LIMIT_ADDRESS: '1000/60' };
  site = await createSite({
    db: h.db,
    deploymentProfile: 'uk',
    settingsTtlMs: 0,
    now: () => now,
    publicUrl: PUBLIC_URL,
  });
  signing = await createSigning(loadConfig(env), site, h.db, env);
  app = createApp(site, signing.context);
});
afterAll(async () => {
  await signing?.close();
  site?.close();
  await smtp?.close();
  await h?.close();
});

const post = (path: string, fields: Record<string, string>) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

async function newKey(): Promise<string> {
  const html = await (await app.request('/petitions/new')).text();
  expect(html).toContain('<html lang="en"');
  return /name="key" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1] as string;
}

describe(`Charlie creates a petition on the UK site (${TEST_ENGINE})`, () => {
  it('refuses an action that is a link or starts like a formula, and a name that is a web address', async () => {
    const key = await newKey();
    const base = { key, category: 'education', body: 'Every school should have a library.', go: 'check' };
    const link = await post('/petitions/new', { ...base, title: 'Read www.example.com now' });
    expect(link.status).toBe(422);
    expect(await link.text()).toContain('The title cannot contain a web address.');
    const formula = await post('/petitions/new', { ...base, title: '=HYPERLINK("http://x","y")' });
    expect(formula.status).toBe(422);
    expect(await formula.text()).toContain('The title cannot start with = + - or @.');
    const name = await post('/petitions/new', {
      ...base,
      title: 'Fund school libraries',
      name: 'https://spam.example',
      email: 'charlie@example.uk',
      go: 'submit',
    });
    expect(name.status).toBe(422);
    expect(await name.text()).toContain('Enter your name only: a name cannot be a web address.');
    const count = await h.db
      .selectFrom('petitions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('counts Charlie’s own signature once he confirms, and asks his sponsors for their country', async () => {
    const key = await newKey();
    const submit = await post('/petitions/new', {
      key,
      category: 'education',
      title: 'Fund school libraries',
      body: 'Every secondary school should have a staffed library.',
      name: 'Charlie',
      email: 'charlie@example.uk',
      go: 'submit',
    });
    expect(submit.status, await submit.clone().text()).toBe(201);
    const mail = await smtp.waitFor((m) => m.to.includes('charlie@example.uk'));
    const token = /\/petitions\/new\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] as string;
    const confirmed = await post('/petitions/new/confirm', { token });
    expect(confirmed.status).toBe(200);
    const p = await h.db
      .selectFrom('petitions')
      .select(['id', 'state', 'agreement_count'])
      .where('title', '=', 'Fund school libraries')
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({ state: 'collecting_pre_agreements', agreement_count: 1 });
    // pressing the button again does not count him twice
    await post('/petitions/new/confirm', { token });
    const again = await h.db
      .selectFrom('petitions')
      .select('agreement_count')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(again.agreement_count).toBe(1);
    // the sponsors' page asks for a UK country, in English
    const link = new RegExp(`/petitions/${p.id}/sponsor\\?token=[A-Za-z0-9_-]{43}`).exec(
      await confirmed.text(),
    )?.[0];
    const sponsorHtml = await (await app.request(link as string)).text();
    expect(sponsorHtml).toContain('<option value="W92000004">Wales</option>');
    expect(sponsorHtml).not.toContain('value="seoul"');
  });

  it('Laura signs with her postcode: the operator’s postcode table gives her constituency, never stored itself', async () => {
    // a small table in the NSPL's own columns (the real file has ~2.7 million rows and many more columns)
    const dir = mkdtempSync(path.join(tmpdir(), 'nspl-'));
    const nspl = path.join(dir, 'NSPL.csv');
    writeFileSync(
      nspl,
      'pcd,pcd2,pcds,dointr,doterm,pcon,ctry\n' +
        'SW1A1AA,SW1A 1AA,SW1A 1AA,198001,,E14001172,E92000001\n' +
        'CF101EP,CF10 1EP,CF10 1EP,198001,,W07000090,W92000004\n' +
        'JE23XP,JE2 3XP,JE2 3XP,198001,,L99999999,L93000001\n' +
        'bad,bad,NOT A POSTCODE,198001,,E14001172,E92000001\n',
    );
    const names = path.join(dir, 'names.csv');
    writeFileSync(
      names,
      'PCON24CD,PCON24NM,PCON24NMW\nE14001172,Cities of London and Westminster,\nW07000090,Cardiff South and Penarth,\n',
    );
    expect(await importPostcodes(h.db, { nspl, names })).toEqual({
      postcodes: 2,
      skipped: 2,
      constituencies: 2,
    });

    const title = 'Protect the night bus';
    const body = 'Keep the night bus running.';
    const row = await h.db
      .insertInto('petitions')
      .values({
        profile: 'uk',
        category: 'transport',
        title,
        body,
        ...searchColumns(title, body),
        state: 'open',
        opened_at: new Date('2026-12-01T00:00:00Z'),
        closes_at: new Date('2027-06-01T23:00:00Z'),
        response_threshold: 10_000,
        debate_threshold: 100_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bad = await app.request(`/petitions/${row.id}/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ name: 'Laura', email: 'laura@example.uk', postcode: 'not one' }).toString(),
    });
    expect(bad.status).toBe(400);
    const signed = await post(`/petitions/${row.id}/agreements`, {
      name: 'Laura',
      email: 'laura@example.uk',
      region: 'E92000001',
      postcode: 'sw1a 1aa',
    });
    expect(signed.status, await signed.clone().text()).toBeLessThan(400);
    const mail = await smtp.waitFor((m) => m.to.includes('laura@example.uk'));
    const token = /agreements\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] as string;
    expect((await post('/agreements/confirm', { token })).status).toBeLessThan(400);
    const stored = await h.db
      .selectFrom('agreements')
      .select(['region', 'constituency'])
      .where('petition_id', '=', row.id)
      .execute();
    expect(stored).toEqual([{ region: 'E92000001', constituency: 'E14001172' }]);
    const api = (await (
      await app.request(`/api/v1/petitions/${row.id}/agreements/by-constituency`)
    ).json()) as {
      data: unknown[];
    };
    expect(api.data).toEqual([
      { code: 'E14001172', name: 'Cities of London and Westminster', mp: null, count: 1 },
    ]);
    const countries = (await (
      await app.request(`/api/v1/petitions/${row.id}/agreements/by-country`)
    ).json()) as {
      data: unknown[];
    };
    expect(countries.data).toEqual([{ code: 'E92000001', name: 'England', mp: null, count: 1 }]);
  });
});
