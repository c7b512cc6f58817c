/**
 * The victim page's hashing worker (src/browser/pdq-worker.ts, bundled and served by the app's asset loader) in
 * Debian's Chromium: it gives the same PDQ hash as the server's `desk hash` for Meta's reference images, MD5 for
 * videos, and clear errors otherwise. The page here is a bare one served with the app's real /assets/ routes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance } from '../../src/domain/pdq/pdq-hash.js';
import { loadSiteAssets } from '../../src/http/assets.js';
import { pdqHashImage } from '../../src/imaging/pdq-image.js';
import { launchChromium } from '../support/browser.js';
import { HAS_SHARED_DATA, shared } from '../support/shared-data.js';

// the function given to page.evaluate runs in the browser; the project's TypeScript has no DOM library
declare const Worker: any;
declare const File: any;

const assets = loadSiteAssets();
const app = new Hono();
assets.register(app);
app.get('/', (c) =>
  c.html('<!doctype html><html lang="en"><title>worker test</title><h1>worker test</h1></html>'),
);
let server: ReturnType<typeof serve>;
let base = '';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${base}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Posts the bytes to the worker as a File named `name` of `type`, and returns its answer. */
function hashInBrowser(bytes: Buffer, type: string, name = 'IMG_0001.jpg'): Promise<any> {
  return page.evaluate(
    async ({ url, data, type, name }) => {
      const worker = new Worker(url);
      const file = new File([new Uint8Array(data)], name, { type });
      const answer = await new Promise((resolve) => {
        worker.onmessage = (event: { data: unknown }) => resolve(event.data);
        worker.postMessage({ id: 7, file });
      });
      worker.terminate();
      return answer;
    },
    { url: `${base}${assets.bundles['pdq-worker']}`, data: [...bytes], type, name },
  );
}

describe.skipIf(!HAS_SHARED_DATA)('the PDQ worker in Chromium', () => {
  it('is served as a content-hashed script', async () => {
    const response = await fetch(`${base}${assets.bundles['pdq-worker']}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it.each(['bridge-mods/square-256x256.jpg', 'bridge-mods/shrink-a-lot.jpg', 'misc/wee.jpg'])(
    '%s (≤ 512 px): the same hash as the server, which is the C++ reference hash',
    async (file) => {
      const server = await pdqHashImage(shared(`pdq/${file}`));
      const answer = await hashInBrowser(readFileSync(shared(`pdq/${file}`)), 'image/jpeg');
      expect(answer).toEqual({
        id: 7,
        kind: 'pdq',
        hash: server.hash,
        quality: server.quality,
        width: server.width,
        height: server.height,
      });
    },
  );

  it('a 1600 × 1004 photo (resized by the browser, not libvips): within a few bits of the server (identical when measured), within 10 of C++', async () => {
    const file = shared('pdq/bridge-mods/aaa-orig.jpg');
    const server = await pdqHashImage(file);
    const answer = await hashInBrowser(readFileSync(file), 'image/jpeg');
    expect(answer).toMatchObject({ kind: 'pdq', width: 1600, height: 1004, quality: 100 });
    expect(hammingDistance(answer.hash, server.hash)).toBeLessThanOrEqual(8);
    expect(
      hammingDistance(answer.hash, 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22'),
    ).toBeLessThanOrEqual(10);
  });

  it('a video: the MD5 of its bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const answer = await hashInBrowser(bytes, 'video/mp4', 'clip.mp4');
    expect(answer).toEqual({
      id: 7,
      kind: 'md5',
      hash: createHash('md5').update(bytes).digest('hex'),
      bytes: 300_000,
    });
  });

  it('a broken image and a file of neither kind: errors with codes', async () => {
    expect(await hashInBrowser(Buffer.from('not really a jpeg'), 'image/jpeg')).toMatchObject({
      kind: 'error',
      code: 'decode_failed',
    });
    expect(await hashInBrowser(Buffer.from('plain text'), 'text/plain', 'notes.txt')).toMatchObject({
      kind: 'error',
      code: 'unsupported',
    });
  });
});
