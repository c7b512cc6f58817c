import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * Scripts the browser runs that share TypeScript with the server, bundled by esbuild when the app loads its
 * assets (about 0.1 s; `npm start`, `serve` and the tests all get it, no separate build step): today the victim
 * page's hashing worker, src/browser/pdq-worker.ts with the PDQ of src/domain/pdq/. Read from src/ in both layouts
 * (src/http/ and dist/http/ are two levels below the repository root).
 */
export const BROWSER_BUNDLES = {
  'pdq-worker': '../../src/browser/pdq-worker.ts',
} as const;

export type BrowserBundleName = keyof typeof BROWSER_BUNDLES;

/**
 * Bundles one browser script: a classic script (an IIFE, so `new Worker(url)` works without `type: 'module'`),
 * ES2020, minified, no source map, nothing external.
 * @throws Error when esbuild fails (a broken source: the app must not start without its worker)
 */
export function bundleBrowserScript(name: BrowserBundleName): Buffer {
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL(BROWSER_BUNDLES[name], import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${name}`);
  return Buffer.from(file.contents);
}
