import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';

let h: TestDatabase;
let site: Site;
beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({
    db: h.db,
    deploymentProfile: 'cheongwadae',
    settingsTtlMs: 0,
    publicUrl: 'https://cheongwon.example.kr',
  });
});
afterAll(async () => {
  site?.close();
  await h?.close();
});

describe(`the app refuses forms another site makes a browser send (${TEST_ENGINE})`, () => {
  it('answers 403 csrf_rejected before any route runs, and lets the site’s own pages post', async () => {
    const app = createApp(site);
    const post = (headers: Record<string, string>) =>
      app.request('http://10.0.0.5:3000/staff/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'email=a%40b.kr',
      });
    const forged = await post({ origin: 'https://evil.example.com', 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('csrf_rejected');
    // behind a proxy the request URL is internal: the PUBLIC_URL origin is the site's own
    const own = await post({ origin: 'https://cheongwon.example.kr' });
    expect(own.status).not.toBe(403);
  });
});
