import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env.js';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { createSigning, type Signing } from '../src/wiring/signing.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { openPetition } from './support/factories.js';

let h: TestDatabase;
let site: Site;
let signing: Signing;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', settingsTtlMs: 0 });
  // no SMTP_URL: mail goes to the development mailbox, as on a newcomer's machine
  const env = {
    CHEONGWON_SECRET: 'dev-mailbox-test-secret-0123456789abcdef',
    PUBLIC_URL: 'http://localhost:3000',
  };
  signing = await createSigning(loadConfig(env), site, h.db, env);
  app = createApp(site, signing.context);
});
afterAll(async () => {
  await signing?.close();
  site?.close();
  await h?.close();
});

describe(`the development mailbox (${TEST_ENGINE})`, () => {
  it('lets a newcomer on this machine read the confirmation mail, and no one through a proxy', async () => {
    const id = await openPetition(h.db);
    const agreed = await app.request(`/petitions/${id}/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: '김민지', email: 'minji@example.kr' }).toString(),
    });
    expect(agreed.status).toBe(200);
    const mailbox = await app.request('/dev/mailbox');
    expect(mailbox.status).toBe(200);
    const page = await mailbox.text();
    expect(page).toContain('minji@example.kr');
    expect(page).toMatch(/\/agreements\/confirm\?token=[A-Za-z0-9_-]{43}/);
    expect(page).toContain('개발용 메일함');
    const english = await (await app.request('/dev/mailbox', { headers: { cookie: 'lang=en' } })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Development mailbox');
    expect(english).toContain('Open the confirmation link');
    // a reverse proxy on the same host makes everyone arrive from loopback: its headers make the request remote
    for (const headers of <Array<Record<string, string>>>[
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
      { via: '1.1 proxy' },
    ]) {
      const relayed = await app.request('/dev/mailbox', { headers });
      expect(relayed.status, JSON.stringify(headers)).toBe(404);
      expect(await relayed.text()).not.toContain('minji@example.kr');
    }
  });

  it('links the confirmation of a petition-creation mail too, not a dead #', async () => {
    const token = 'C'.repeat(43);
    await h.db
      .insertInto('dev_mailbox')
      .values({
        recipient: 'creator@example.kr',
        subject: '[청원] 청원 등록을 확인해 주십시오',
        text: `청원을 등록하려면 다음 링크를 여십시오:\nhttp://localhost:3000/petitions/new/confirm?token=${token}\n`,
        html: '',
        sent_at: new Date(),
      })
      .execute();
    const page = await (await app.request('/dev/mailbox')).text();
    expect(page).toContain(`<a href="http://localhost:3000/petitions/new/confirm?token=${token}">`);
    expect(page).not.toContain('href="#"');
  });
});
