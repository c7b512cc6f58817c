/**
 * The victim's story in Debian's Chromium against the app served in-process: choose a photo (a JPEG whose EXIF
 * and file name are distinctive) and a video, let the page hash them on the device, add a URL and the under-18
 * track, send, read the case number and PIN shown once, open the status page, and withdraw. Every request the
 * page makes is recorded: none carries the image's bytes, its file name or its EXIF — only hashes. Korean and
 * English, 360 px wide, axe-core on every page.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskHashIndex } from '../../src/desk/hash-index.js';
import { createApp } from '../../src/http/app.js';
import { createSite, type Site } from '../../src/http/site.js';
import { axeLedger, launchChromium } from '../support/browser.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from '../support/databases.js';

const SECRET = 'test-deployment-secret-0123456789abcdef';
const EXIF_MARKER = 'EXIF-MARKER-Jeju-2026';
const PHOTO_NAME = 'victim-name-IMG_4242.jpg';
const VIDEO_NAME = 'victim-name-clip.mp4';
let h: TestDatabase;
let site: Site;
let server: ReturnType<typeof serve>;
let base = '';
let browser: Browser;
let photo: Buffer;
const video = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31 + 7) % 251));
const axe = axeLedger();

beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', settingsTtlMs: 0 });
  const app = createApp(site, undefined, {}, undefined, {
    index: new DeskHashIndex(h.db, { maxAgeMs: 0 }),
    secret: SECRET,
    operatorName: '디지털성범죄피해자지원센터',
    hotline: '02-735-8994',
  });
  // a textured photo with EXIF that names a place
  const w = 320;
  const hgt = 240;
  const raw = Buffer.alloc(w * hgt * 3);
  for (let y = 0; y < hgt; y++) {
    for (let x = 0; x < w; x++) {
      const v = (x * 3 + y * 5 + ((x * y) % 37) * 4) % 256;
      raw.set([v, (v + 80) % 256, (255 - v) % 256], (y * w + x) * 3);
    }
  }
  photo = await sharp(raw, { raw: { width: w, height: hgt, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { ImageDescription: EXIF_MARKER, Artist: EXIF_MARKER } })
    .toBuffer();
  expect(photo.includes(Buffer.from(EXIF_MARKER))).toBe(true);
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  site?.close();
  await h?.close();
});

/** Every request body the page sends, as bytes. */
function recordRequests(page: Page): Array<{ url: string; body: Buffer }> {
  const seen: Array<{ url: string; body: Buffer }> = [];
  page.on('request', (r: Request) => {
    seen.push({ url: r.url(), body: r.postDataBuffer() ?? Buffer.alloc(0) });
  });
  return seen;
}

describe(`a victim hashes on the device, gets a case, checks it and withdraws (${TEST_ENGINE})`, () => {
  for (const locale of ['ko', 'en'] as const) {
    it(`in ${locale === 'ko' ? 'Korean' : 'English'}, 360 px wide, sending only hashes`, async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const requests = recordRequests(page);
      await page.goto(`${base}/support?lang=${locale}`);
      await axe.visited(page);
      await page.setInputFiles('#support-files', [
        { name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: photo },
        { name: VIDEO_NAME, mimeType: 'video/mp4', buffer: video },
      ]);
      await page.locator('.support-preview[data-state="ready"]').nth(1).waitFor();
      // the thumbnail is a local object URL
      expect(await page.getAttribute('.support-preview img', 'src')).toMatch(/^blob:/);
      await page.fill('#support-urls', 'https://video.example.com/watch/42');
      await page.click('label[for="support-minor"]');
      await page.click('#support-submit');
      await page.waitForSelector('#support-done:not([hidden])');
      const caseNumber = (await page.textContent('#support-case-number')) ?? '';
      const pin = (await page.textContent('#support-pin')) ?? '';
      expect(caseNumber).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(pin).toMatch(/^\d{8}$/);
      await axe.visited(page);

      // what left the page: one JSON body with hashes, nothing of the files
      const sent = requests.filter((r) => r.body.length > 0);
      expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/support/cases']);
      const body = sent[0]?.body ?? Buffer.alloc(0);
      for (const r of requests) {
        expect(r.body.includes(Buffer.from(EXIF_MARKER)), r.url).toBe(false);
        expect(r.body.includes(Buffer.from('victim-name')), r.url).toBe(false);
        expect(r.body.includes(photo.subarray(0, 64)), r.url).toBe(false);
        expect(r.body.includes(photo.subarray(2000, 2064)), r.url).toBe(false);
        expect(r.body.includes(video.subarray(100, 164)), r.url).toBe(false);
        expect(r.url).not.toContain('victim-name');
        expect(r.url).not.toContain(EXIF_MARKER);
      }
      expect(body.length).toBeLessThan(1_000);
      const json = JSON.parse(body.toString('utf8'));
      expect(Object.keys(json).sort()).toEqual(['contact', 'hashes', 'locale', 'minor', 'urls']);
      expect(json.hashes).toEqual([
        { algorithm: 'pdq', hash: expect.stringMatching(/^[0-9a-f]{64}$/), quality: expect.any(Number) },
        { algorithm: 'md5', hash: expect.stringMatching(/^[0-9a-f]{32}$/) },
      ]);
      const stored = await h.db
        .selectFrom('desk_cases')
        .select(['id', 'priority'])
        .where('case_number', '=', caseNumber)
        .executeTakeFirstOrThrow();
      expect(stored.priority).toBe('minor');

      // the status page, after the case number and PIN
      await page.goto(`${base}/support/status?lang=${locale}`);
      await axe.visited(page);
      await page.fill('#case-number', caseNumber.toLowerCase());
      await page.fill('#case-pin', pin);
      await Promise.all([page.waitForNavigation(), page.click('form.support-form button[type="submit"]')]);
      await axe.visited(page);
      expect(await page.textContent('main')).toContain(caseNumber);
      expect(await page.locator('[data-state="drafted"]').count()).toBe(1);
      expect(await page.textContent('main')).toContain('video.example.com');

      // withdraw: the PIN again and a confirmation
      await page.fill('#withdraw-pin', pin);
      await page.click('label[for="withdraw-confirm"]');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/support/withdraw"] button')]);
      await axe.visited(page);
      expect(await page.textContent('main')).toContain(locale === 'ko' ? '철회되었습니다' : 'Withdrawn');
      const states = await h.db
        .selectFrom('desk_hashes')
        .select('state')
        .where('case_id', '=', stored.id)
        .execute();
      expect(states.map((s) => s.state)).toEqual(['inactive', 'inactive']);
      await context.close();
    }, 90_000);
  }

  it('a wrong PIN gets the same calm refusal as an unknown case', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/support/status?lang=en`);
    await page.fill('#case-number', 'ZZZZ-ZZZZ-ZZZZ');
    await page.fill('#case-pin', '12345678');
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.support-form button[type="submit"]'),
    ]);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('main')).toContain('The case number or PIN is not right');
    await page.close();
  });

  it('has no accessibility violations on any page visited', () => {
    expect(axe.violations).toEqual([]);
  });
});
