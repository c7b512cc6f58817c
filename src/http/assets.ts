import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { Context, Hono } from 'hono';
import { BROWSER_BUNDLES, type BrowserBundleName, bundleBrowserScript } from './browser-bundles.js';

/** One static file as served: its bytes, brotli and gzip copies when smaller, type and a strong ETag (SHA-256). */
interface Asset {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

/**
 * The site's static files, read once at start and kept in memory: the stylesheet built by `scripts/build-assets.ts`
 * into `dist/assets/` (the `krds-uiux` package's tokens, common and component CSS with our small
 * `src/http/assets/site.css`, reduced to what the pages use and minified), the Pretendard GOV font slices it made,
 * the KRDS icons the CSS uses, and our enhancement scripts. The content security policy (default-src 'self')
 * allows no CDN, so everything comes from here. Hashed URLs (`/assets/site.<sha256 prefix>.css`) are cached for a
 * year as immutable; a new build gives new URLs. Text files are sent brotli- or gzip-compressed when accepted.
 */
export interface SiteAssets {
  /** The URL pages link the stylesheet with. */
  stylesheetUrl: string;
  /** Hashed URLs of the enhancement scripts (progressive: every page works without them). */
  scripts: Record<(typeof SCRIPTS)[number], string>;
  /** Hashed URLs of the bundled browser scripts (src/http/browser-bundles.ts): `pdq-worker`, the victim page's hasher. */
  bundles: Record<BrowserBundleName, string>;
  /** Hashed URLs of the favicon (SVG), the touch icon (PNG) and the web app manifest. */
  icons: { svg: string; png: string; manifest: string };
  /** Registers `GET /assets/*`, `/favicon.ico` and the legacy `/assets/style.css` (one-hour cache). */
  register(app: Hono): void;
}

const KRDS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('krds-uiux/package.json')),
  'resources',
);
// dist/assets/ (the build's output) and src/http/assets/ in both layouts: src/http/assets.ts and
// dist/http/assets.js sit two levels below the root
const BUILT = fileURLToPath(new URL('../../dist/assets/', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../src/http/assets/', import.meta.url));
/** Same-origin enhancement scripts in src/http/assets/ (the CSP allows no inline or foreign script). */
const SCRIPTS = ['live-count', 'petition-form', 'support'] as const;
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.js': 'text/javascript; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function makeAsset(body: Buffer, type: string): Asset {
  const compressible = type.startsWith('text/') || type === 'image/svg+xml' || type.includes('json');
  const smaller = (b: Buffer) => (b.length < body.length ? b : null);
  return {
    body,
    br: compressible
      ? smaller(brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }))
      : null,
    gzip: compressible ? smaller(gzipSync(body, { level: 9 })) : null,
    type,
    etag: `"${sha256(body)}"`,
  };
}

/**
 * Reads the built stylesheet and our scripts and icons, rewrites every `url(…)` in the CSS to a hashed URL of ours
 * (`krds-uiux/…` names a file of that package, `fonts/…` a font slice of the build).
 * @throws Error when `dist/assets/manifest.json` is missing: run `npm run build` (or `npm run build:assets`)
 */
export function loadSiteAssets(): SiteAssets {
  const files = new Map<string, Asset>();
  const manifestFile = path.join(BUILT, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new Error(
      `${manifestFile} is missing: build the stylesheet and fonts first (npm run build:assets)`,
    );
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stylesheet: string };

  /** Registers a file under a content-hashed name and returns its URL. */
  const addFile = (file: string, body: Buffer = readFileSync(file)): string => {
    const ext = path.extname(file);
    const url = `/assets/${path.basename(file, ext)}.${sha256(body).slice(0, 12)}${ext}`;
    if (!files.has(url)) files.set(url, makeAsset(body, TYPES[ext] ?? 'application/octet-stream'));
    return url;
  };

  const css = readFileSync(path.join(BUILT, manifest.stylesheet), 'utf8').replace(
    /url\((['"]?)([^'")]+)\1\)/g,
    (whole, _quote: string, ref: string) => {
      if (ref.startsWith('data:') || ref.startsWith('/') || ref.startsWith('#')) return whole;
      const file = ref.startsWith('krds-uiux/')
        ? path.join(KRDS, ref.slice('krds-uiux/'.length))
        : path.join(BUILT, ref);
      return existsSync(file) ? `url(${addFile(file)})` : whole;
    },
  );
  const stylesheet = Buffer.from(css, 'utf8');
  const stylesheetUrl = addFile('krds.css', stylesheet);
  const stylesheetAsset = files.get(stylesheetUrl) as Asset;
  const scripts = Object.fromEntries(
    SCRIPTS.map((name) => [name, addFile(path.join(SOURCE, `${name}.js`))]),
  ) as SiteAssets['scripts'];
  const bundles = Object.fromEntries(
    (Object.keys(BROWSER_BUNDLES) as BrowserBundleName[]).map((name) => [
      name,
      addFile(`${name}.js`, bundleBrowserScript(name)),
    ]),
  ) as SiteAssets['bundles'];
  const svg = addFile(path.join(SOURCE, 'icon.svg'));
  const png = addFile(path.join(BUILT, 'icon-192.png'));
  const manifestBody = Buffer.from(
    JSON.stringify({
      name: '청원 Cheongwon',
      short_name: '청원',
      start_url: '/',
      display: 'browser',
      background_color: '#ffffff',
      theme_color: '#256ef4',
      icons: [
        { src: svg, type: 'image/svg+xml', sizes: 'any' },
        { src: png, type: 'image/png', sizes: '192x192' },
      ],
    }),
  );
  const webManifest = addFile('manifest.webmanifest', manifestBody);
  const favicon = makeAsset(readFileSync(path.join(BUILT, 'favicon.ico')), TYPES['.ico'] as string);

  return {
    stylesheetUrl,
    scripts,
    bundles,
    icons: { svg, png, manifest: webManifest },
    register(app) {
      app.get('/assets/style.css', (c) => serve(c, stylesheetAsset, 'public, max-age=3600'));
      app.get('/favicon.ico', (c) => serve(c, favicon, 'public, max-age=86400'));
      app.get('/assets/:file', (c, next) => {
        const asset = files.get(c.req.path);
        return asset ? serve(c, asset, 'public, max-age=31536000, immutable') : next();
      });
    },
  };
}

let loaded: SiteAssets | undefined;

/** The assets of this process, loaded on first use (the Layout links `siteAssets().stylesheetUrl`). */
export function siteAssets(): SiteAssets {
  loaded ??= loadSiteAssets();
  return loaded;
}

/** Answers with the asset: 304 when `If-None-Match` has its ETag, brotli or gzip when the client accepts it. */
function serve(c: Context, asset: Asset, cacheControl: string): Response {
  c.header('Cache-Control', cacheControl);
  c.header('ETag', asset.etag);
  c.header('Vary', 'Accept-Encoding');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === asset.etag)) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  const accepted = c.req.header('accept-encoding') ?? '';
  if (asset.br && /\bbr\b/.test(accepted)) {
    c.header('Content-Encoding', 'br');
    return c.body(new Uint8Array(asset.br));
  }
  if (asset.gzip && /\bgzip\b/.test(accepted)) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(asset.gzip));
  }
  return c.body(new Uint8Array(asset.body));
}
