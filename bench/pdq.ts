/**
 * PDQ hashing speed, server and browser.
 *
 * 1. Server (`cheongwon desk hash`'s path, src/imaging/pdq-image.ts): Meta's 1600 × 1004 test photos
 *    (../shared/data/pdq/bridge-mods, 9 JPEGs, cycled) decoded by sharp (shrink-on-load, resized to fit 512) and
 *    hashed by the TypeScript PDQ, 4 at a time as the CLI does; images per second (wall clock) and per CPU-second
 *    of the process (all its threads). For comparison, the same at full resolution (no reduction: what a PDQ
 *    that skipped the 512 step would cost).
 * 2. Browser: a 12-megapixel JPEG (4000 × 3000, made from the same photo by sharp) hashed by the victim page's
 *    Web Worker in Debian's Chromium — createImageBitmap decode, resize to 512 × 384, canvas read-back, PDQ —
 *    timed from postMessage to the answer, median of the runs (the first, cold, run reported apart).
 *
 * Usage: npm run bench:pdq [-- --images 90 --browser-runs 7]
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import sharp from 'sharp';
import { pdqHashFromPixels } from '../src/domain/pdq/pdq.js';
import { loadSiteAssets } from '../src/http/assets.js';
import { pdqHashImage } from '../src/imaging/pdq-image.js';
import { launchChromium } from '../test/support/browser.js';
import { shared } from '../test/support/shared-data.js';

// the function given to page.evaluate runs in the browser
declare const Worker: new (
  url: string,
) => { onmessage: unknown; postMessage(message: unknown): void; terminate(): void };
declare const File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
declare const performance: { now(): number };

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '90' },
    'browser-runs': { type: 'string', default: '7' },
  },
});
const IMAGES = Number(args.images);
const RUNS = Number(args['browser-runs']);
const log = (line: string) => console.log(line);

const PHOTOS = [
  'aaa-orig',
  'blur-a-little',
  'blur-a-lot',
  'high-contrast',
  'high-saturation',
  'sharpen-a-little',
  'sharpen-a-lot',
].map((name) => readFileSync(shared(`pdq/bridge-mods/${name}.jpg`)));

async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function timed(label: string, task: (i: number) => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await pool(IMAGES, 4, task);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  log(
    `${label}: ${IMAGES} images in ${seconds.toFixed(2)} s = ${(IMAGES / seconds).toFixed(1)} images/s ` +
      `(${(IMAGES / cpuSeconds).toFixed(1)} per CPU-second)`,
  );
}

log(
  `PDQ hashing benchmark (node ${process.version}, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips})`,
);
sharp.cache(false); // each image decoded from its bytes, as new uploads are
await pdqHashImage(PHOTOS[0] as Buffer); // warm up
await timed('server, desk hash path (1600 × 1004 JPEG → 512 × 321)', (i) =>
  pdqHashImage(PHOTOS[i % PHOTOS.length] as Buffer),
);
await timed('server, full resolution for comparison (1600 × 1004, no reduction)', async (i) => {
  const { data, info } = await sharp(PHOTOS[i % PHOTOS.length] as Buffer)
    .raw()
    .toBuffer({ resolveWithObject: true });
  pdqHashFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 });
});

// the browser
const big = await sharp(PHOTOS[0] as Buffer)
  .resize(4000, 3000, { fit: 'fill' })
  .jpeg({ quality: 90 })
  .toBuffer();
const assets = loadSiteAssets();
const app = new Hono();
assets.register(app);
app.get('/', (c) => c.html('<!doctype html><html lang="en"><title>bench</title></html>'));
app.get('/big.jpg', (c) => c.body(new Uint8Array(big), 200, { 'content-type': 'image/jpeg' }));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  const times: number[] = await page.evaluate(
    async ({ workerUrl, runs }) => {
      const bytes = await (await fetch('/big.jpg')).blob();
      const file = new File([bytes], 'photo.jpg', { type: 'image/jpeg' });
      const worker = new Worker(workerUrl);
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await new Promise((resolve) => {
          worker.onmessage = resolve;
          worker.postMessage({ file });
        });
        out.push(performance.now() - t);
      }
      worker.terminate();
      return out;
    },
    { workerUrl: assets.bundles['pdq-worker'], runs: RUNS + 1 },
  );
  const [cold, ...warm] = times;
  const sorted = [...warm].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  log(
    `browser, 12-megapixel JPEG (4000 × 3000, ${(big.length / 1e6).toFixed(1)} MB) in the worker, Chromium ` +
      `${browser.version()}: median ${median.toFixed(0)} ms, fastest ${(sorted[0] as number).toFixed(0)} ms ` +
      `over ${warm.length} runs (first run ${(cold as number).toFixed(0)} ms)`,
  );
} finally {
  await browser.close();
  server.close();
}
