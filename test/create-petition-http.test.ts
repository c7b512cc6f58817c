/**
 * Creating a petition over HTTP, in-process, on both engines, with a real SMTP server: the staged form without
 * JavaScript, the limits, bad input, the replayed submit, the prefetch-safe confirmation link and its expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeUnconfirmedPetitions } from '../src/commands/purge-expired.js';
import { loadConfig } from '../src/config/env.js';
import { createApp } from '../src/http/app.js';
import { sessionCookieHeader } from '../src/http/middleware/session.js';
import { createSite, type Site } from '../src/http/site.js';
import { createSigning, type Signing } from '../src/wiring/signing.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { openPetition } from './support/factories.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const PUBLIC_URL = 'http://cheongwon.test';
const SECRET = 'test-secret-test-secret-test-secret-0123';
let h: TestDatabase;
let site: Site;
let signing: Signing;
let app: ReturnType<typeof createApp>;
let smtp: TestSmtpServer;
let now = new Date('2026-11-29T06:00:00Z');

beforeAll(async () => {
  h = await freshDatabase();
  smtp = await startTestSmtpServer();
  const env = { CHEONGWON_SECRET: SECRET, PUBLIC_URL, SMTP_URL: smtp.url, RATE_LIMIT_ADDRESS: '1000/60' };
  site = await createSite({
    db: h.db,
    deploymentProfile: 'cheongwadae',
    settingsTtlMs: 0,
    now: () => now,
    publicUrl: PUBLIC_URL,
  });
  signing = await createSigning(loadConfig(env), site, h.db, env);
  app = createApp(site, signing.context);
  await openPetition(h.db, { title: '텔레그램 n번방 가입자 전원 신상공개를 요구합니다' });
});
afterAll(async () => {
  await signing?.close();
  site?.close();
  await smtp?.close();
  await h?.close();
});

const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** The submission key of a freshly opened form (stage 1). */
async function newKey(): Promise<string> {
  const html = await (await app.request('/petitions/new')).text();
  const key = /name="key" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];
  expect(key).toBeDefined();
  return key as string;
}

const petitionCount = async () =>
  Number(
    (
      await h.db
        .selectFrom('petitions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('archive_source', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
const confirmLink = (text: string) => /\/petitions\/new\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe(`creating a petition (${TEST_ENGINE})`, () => {
  it('Charlie goes through every stage without JavaScript, is shown a similar petition, confirms by email and gets the pre-agreement link', async () => {
    const key = await newKey();
    const base = { key, category: 'human-rights-gender-equality', title: '텔레그램 n번방 가입자 전원 처벌' };
    const similar = await post('/petitions/new', form({ ...base, go: 'similar' }));
    expect(similar.status).toBe(200);
    const similarHtml = await similar.text();
    expect(similarHtml).toContain('텔레그램 n번방 가입자 전원 신상공개를 요구합니다');
    expect(similarHtml).toMatch(/href="\/petitions\/\d+"/);
    const body = '가입자 전원을 처벌해 주십시오.\n\n연락처: 010-1234-5678';
    const check = await post('/petitions/new', form({ ...base, body, go: 'check' }));
    expect(check.status).toBe(200);
    const checkHtml = await check.text();
    expect(checkHtml).toContain('<mark>010-1234-5678</mark>'); // the personal-data warning, before submitting
    expect(checkHtml).toContain('이런 청원은 공개되지 않습니다');
    const before = await petitionCount();
    const submit = await post(
      '/petitions/new',
      form({ ...base, body, name: '찰리', email: 'charlie@example.kr', go: 'submit' }),
    );
    expect(submit.status).toBe(201);
    expect(await submit.text()).toContain('메일을 확인해 주십시오');
    expect(await petitionCount()).toBe(before + 1);
    const mail = await smtp.waitFor((m) => m.to.includes('charlie@example.kr'));
    const token = confirmLink(mail.text) as string;
    expect(token).toBeDefined();
    const draft = await h.db
      .selectFrom('petitions')
      .innerJoin('petition_creators', 'petition_creators.petition_id', 'petitions.id')
      .select(['petitions.id', 'state', 'email', 'name', 'locale'])
      .where('title', '=', base.title)
      .executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ state: 'draft', email: 'charlie@example.kr', name: '찰리', locale: 'ko' });

    // a mail scanner opening the link changes nothing
    const opened = await app.request(`/petitions/new/confirm?token=${token}`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('청원 등록 확인');
    const still = await h.db
      .selectFrom('petitions')
      .select('state')
      .where('id', '=', draft.id)
      .executeTakeFirst();
    expect(still?.state).toBe('draft');

    const confirmed = await post('/petitions/new/confirm', form({ token }));
    expect(confirmed.status).toBe(200);
    const confirmedHtml = await confirmed.text();
    const link = new RegExp(`${PUBLIC_URL}/petitions/${draft.id}/sponsor\\?token=[A-Za-z0-9_-]{43}`).exec(
      confirmedHtml,
    )?.[0];
    expect(link).toBeDefined();
    const linkMail = await smtp.waitFor(
      (m) => m.to.includes('charlie@example.kr') && m.text.includes('/sponsor?'),
    );
    expect(linkMail.text).toContain(link as string);
    const collecting = await h.db
      .selectFrom('petitions')
      .select('state')
      .where('id', '=', draft.id)
      .executeTakeFirst();
    expect(collecting?.state).toBe('collecting_pre_agreements');
    // the link opens the private pre-agreement page
    const sponsorPage = await app.request((link as string).replace(PUBLIC_URL, ''));
    expect(sponsorPage.status).toBe(200);
    expect(await sponsorPage.text()).toContain(base.title);

    // pressing the button again changes nothing and does not replace the link already shared
    const again = await post('/petitions/new/confirm', form({ token }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('이미 등록된 청원입니다');
    expect((await app.request((link as string).replace(PUBLIC_URL, ''))).status).toBe(200);
  });

  it('a replayed or double-clicked submit creates one petition and sends one mail', async () => {
    const key = await newKey();
    const fields = form({
      key,
      category: 'other',
      title: '공공 도서관 개관 시간을 늘려 주십시오',
      body: '저녁에도 이용할 수 있게 해 주십시오.',
      name: '김도윤',
      email: 'doyun@example.kr',
      go: 'submit',
    });
    const before = await petitionCount();
    const mailsBefore = smtp.messages.length;
    const [a, b] = await Promise.all([post('/petitions/new', fields), post('/petitions/new', fields)]);
    const c = await post('/petitions/new', fields);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(c.status).toBe(200);
    expect(await c.text()).toContain('이미 제출되었습니다');
    expect(await petitionCount()).toBe(before + 1);
    await smtp.waitFor((m) => m.to.includes('doyun@example.kr'));
    expect(smtp.messages.length).toBe(mailsBefore + 1);
  });

  it('refuses an overlong title and body with errors linked to their fields, and stores nothing', async () => {
    const key = await newKey();
    const before = await petitionCount();
    const longTitle = '가'.repeat(101);
    const res = await post(
      '/petitions/new',
      form({ key, category: 'other', title: longTitle, go: 'similar' }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="error-summary"');
    expect(html).toContain('href="#title"');
    expect(html).toMatch(/id="title"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/aria-describedby="title-hint title-count title-error"/);
    expect(html).toContain('제목은 100자까지 쓸 수 있습니다. 지금 101자로 1자를 줄여 주십시오.');

    const body = '나'.repeat(10_001);
    const res2 = await post(
      '/petitions/new',
      form({ key, category: 'other', title: '제목', body, go: 'check' }),
    );
    expect(res2.status).toBe(422);
    expect(await res2.text()).toContain('href="#body"');
    // the same at submit: the server checks every field again
    const res3 = await post(
      '/petitions/new',
      form({ key, category: 'other', title: '제목', body, name: 'a', email: 'a@example.kr', go: 'submit' }),
    );
    expect(res3.status).toBe(422);
    // exactly the limit is fine (code points, after NFC: 100 precomposed syllables typed as jamo)
    const jamo = '가'.normalize('NFD').repeat(100);
    const ok = await post('/petitions/new', form({ key, category: 'other', title: jamo, go: 'body' }));
    expect(ok.status).toBe(200);
    expect(await petitionCount()).toBe(before);
  });

  it('refuses an unknown category, a null byte, invalid UTF-8, a huge body and a missing form key', async () => {
    const key = await newKey();
    const before = await petitionCount();
    const unknown = await post(
      '/petitions/new',
      form({ key, category: 'nope', title: '제목', go: 'similar' }),
    );
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('href="#category"');
    const nul = await post('/petitions/new', `key=${key}&category=other&title=a%00b&go=similar`);
    expect(nul.status).toBe(422);
    expect(await nul.text()).toContain('제어 문자');
    const bad = await post('/petitions/new', `key=${key}&category=other&title=%FF%FE&go=similar`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('UTF-8');
    const rawBad = await post(
      '/petitions/new',
      Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0xc3, 0x28]),
    );
    expect(rawBad.status).toBe(400);
    const huge = await post('/petitions/new', `key=${key}&body=${'a'.repeat(200 * 1024)}`);
    expect(huge.status).toBe(413);
    const noKey = await post('/petitions/new', form({ category: 'other', title: '제목', go: 'similar' }));
    expect(noKey.status).toBe(400);
    const twice = await post('/petitions/new', `key=${key}&title=a&title=b&go=similar`);
    expect(twice.status).toBe(400);
    const json = await post('/petitions/new', '{"title":"x"}', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    const bad_name = await post(
      '/petitions/new',
      form({
        key,
        category: 'other',
        title: '제목',
        body: '본문',
        name: '',
        email: 'not-an-address',
        go: 'submit',
      }),
    );
    expect(bad_name.status).toBe(422);
    const nameHtml = await bad_name.text();
    expect(nameHtml).toContain('href="#name"');
    expect(nameHtml).toContain('href="#email"'); // both refusals at once, not one per submit
    expect(await petitionCount()).toBe(before);
  });

  it('an expired link is refused and the unconfirmed draft is purged with the creator’s contact', async () => {
    const key = await newKey();
    const title = '만료될 청원입니다';
    await post(
      '/petitions/new',
      form({
        key,
        category: 'other',
        title,
        body: '본문',
        name: '이하늘',
        email: 'haneul@example.kr',
        go: 'submit',
      }),
    );
    const mail = await smtp.waitFor((m) => m.to.includes('haneul@example.kr'));
    const token = confirmLink(mail.text) as string;
    const saved = now;
    now = new Date(saved.getTime() + 25 * 3600_000);
    try {
      const res = await post('/petitions/new/confirm', form({ token }));
      expect(res.status).toBe(410);
      const row = await h.db
        .selectFrom('petitions')
        .select(['id', 'state'])
        .where('title', '=', title)
        .executeTakeFirst();
      expect(row?.state).toBe('draft');
      // every draft left unconfirmed by this file goes (this one and the replay test's)
      expect(
        await purgeUnconfirmedPetitions(h.db, { now: new Date(now.getTime() + 3600_000) }),
      ).toBeGreaterThanOrEqual(1);
      const creators = await h.db
        .selectFrom('petition_creators')
        .select('email')
        .where('email', '=', 'haneul@example.kr')
        .execute();
      expect(creators).toEqual([]);
      expect((await post('/petitions/new/confirm', form({ token }))).status).toBe(400);
    } finally {
      now = saved;
    }
    expect((await post('/petitions/new/confirm', form({ token: 'short' }))).status).toBe(400);
  });

  it('a signed-in creator gets the pre-agreement link at once, in English', async () => {
    const key = await newKey();
    const cookie = sessionCookieHeader('a'.repeat(64), SECRET);
    const res = await post(
      '/petitions/new?lang=en',
      form({
        key,
        category: 'pets',
        title: 'Ban puppy farms',
        body: 'Puppy farms should be closed.',
        name: 'Jamie',
        email: 'jamie@example.org',
        go: 'submit',
      }),
      { cookie },
    );
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain('Your petition is registered');
    expect(html).toMatch(/\/petitions\/\d+\/sponsor\?token=/);
    const row = await h.db
      .selectFrom('petitions')
      .select('state')
      .where('title', '=', 'Ban puppy farms')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('collecting_pre_agreements');
    const mail = await smtp.waitFor((m) => m.to.includes('jamie@example.org'));
    expect(mail.subject).toBe('Your link for supporters: Ban puppy farms');
  });

  it('refuses a form posted from another site', async () => {
    const key = await newKey();
    const res = await post('/petitions/new', form({ key, category: 'other', title: '제목', go: 'similar' }), {
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
  });
});
