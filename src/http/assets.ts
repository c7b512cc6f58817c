import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import { BROWSER_BUNDLES, type BrowserBundleName, bundleBrowserScript } from './browser-bundles.js';

/** One static file as served: its bytes, a gzip copy when that is smaller, type and a strong ETag (SHA-256). */
interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

/**
 * The site's static files, read once at start and kept in memory (about 1.5 MB): the KRDS stylesheet bundle (the
 * `krds-uiux` package's tokens, common and component CSS, then our small `src/http/assets/site.css` for what KRDS
 * lacks), the self-hosted Pretendard GOV fonts and the KRDS icons the CSS uses. The content security policy
 * (default-src 'self') allows no CDN, so everything comes from here. Hashed URLs
 * (`/assets/krds.<sha256 prefix>.css`) are cached for a year as immutable; a new package version or stylesheet
 * edit gives a new URL.
 */
export interface SiteAssets {
  /** The URL pages link the stylesheet bundle with. */
  stylesheetUrl: string;
  /** Hashed URLs of the enhancement scripts (progressive: every page works without them). */
  scripts: Record<(typeof SCRIPTS)[number], string>;
  /** Hashed URLs of the bundled browser scripts (src/http/browser-bundles.ts): `pdq-worker`, the victim page's hasher. */
  bundles: Record<BrowserBundleName, string>;
  /** Registers `GET /assets/*` (and the legacy `/assets/style.css`, the same bundle with a one-hour cache). */
  register(app: Hono): void;
}

const KRDS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('krds-uiux/package.json')),
  'resources',
);
// src/http/assets/site.css in both layouts: src/http/assets.ts and dist/http/assets.js sit two levels below the root
const SITE_CSS = new URL('../../src/http/assets/site.css', import.meta.url);
/** Same-origin enhancement scripts in src/http/assets/ (the CSP allows no inline or foreign script). */
const SCRIPTS = ['live-count', 'petition-form', 'support'] as const;
const KRDS_CSS = ['css/token/krds_tokens.css', 'css/common/common.css', 'css/component/component.css'];
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.js': 'text/javascript; charset=utf-8',
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function makeAsset(body: Buffer, type: string): Asset {
  const compressible = type.startsWith('text/') || type === 'image/svg+xml';
  const gzip = compressible ? gzipSync(body, { level: 9 }) : null;
  return { body, gzip: gzip && gzip.length < body.length ? gzip : null, type, etag: `"${sha256(body)}"` };
}

/**
 * Reads the KRDS package and our stylesheet, rewrites every `url(…)` in the CSS to a hashed URL of ours, and
 * bundles them. In `site.css`, `url(krds-uiux/fonts/…)` names a file of the package's resources.
 * @throws Error when the `krds-uiux` package or `site.css` is missing (an installation error)
 */
export function loadSiteAssets(): SiteAssets {
  const files = new Map<string, Asset>();

  /** Registers a package file under a content-hashed name and returns its URL. */
  const packageFile = (file: string): string => {
    const body = readFileSync(file);
    const ext = path.extname(file);
    const url = `/assets/${path.basename(file, ext)}.${sha256(body).slice(0, 12)}${ext}`;
    if (!files.has(url)) files.set(url, makeAsset(body, TYPES[ext] ?? 'application/octet-stream'));
    return url;
  };

  /** `css` with each url() that names an existing file (relative to `base`, or `krds-uiux/…`) pointing to ours. */
  const rewrite = (css: string, base: string): string =>
    css
      .replace(/@import\s+[^;]+;/g, '')
      .replace(/url\((['"]?)([^'")]+)\1\)/g, (whole, _quote: string, ref: string) => {
        if (ref.startsWith('data:') || ref.startsWith('/') || ref.startsWith('#')) return whole;
        const file = ref.startsWith('krds-uiux/')
          ? path.join(KRDS, ref.slice('krds-uiux/'.length))
          : // component.css of krds-uiux 1.1.0 says ../../img/img/…: the icons are at ../../img/…
            path.resolve(base, ref.replace('/img/img/', '/img/'));
        return existsSync(file) ? `url(${packageFile(file)})` : whole;
      });

  const parts = KRDS_CSS.map((rel) => {
    const file = path.join(KRDS, rel);
    return `/* krds-uiux: ${rel} */\n${rewrite(readFileSync(file, 'utf8'), path.dirname(file))}`;
  });
  parts.push(`/* Cheongwon: src/http/assets/site.css */\n${rewrite(readFileSync(SITE_CSS, 'utf8'), KRDS)}`);
  const bundle = Buffer.from(parts.join('\n'), 'utf8');
  const stylesheetUrl = `/assets/krds.${sha256(bundle).slice(0, 12)}.css`;
  const stylesheet = makeAsset(bundle, TYPES['.css'] as string);
  files.set(stylesheetUrl, stylesheet);
  const scripts = Object.fromEntries(
    SCRIPTS.map((name) => [
      name,
      packageFile(fileURLToPath(new URL(`../../src/http/assets/${name}.js`, import.meta.url))),
    ]),
  ) as SiteAssets['scripts'];
  const bundles = Object.fromEntries(
    (Object.keys(BROWSER_BUNDLES) as BrowserBundleName[]).map((name) => {
      const body = bundleBrowserScript(name);
      const url = `/assets/${name}.${sha256(body).slice(0, 12)}.js`;
      files.set(url, makeAsset(body, TYPES['.js'] as string));
      return [name, url];
    }),
  ) as SiteAssets['bundles'];

  return {
    stylesheetUrl,
    scripts,
    bundles,
    register(app) {
      app.get('/assets/style.css', (c) => serve(c, stylesheet, 'public, max-age=3600'));
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

/** Answers with the asset: 304 when `If-None-Match` has its ETag, gzip when the client accepts it. */
function serve(c: Context, asset: Asset, cacheControl: string): Response {
  c.header('Cache-Control', cacheControl);
  c.header('ETag', asset.etag);
  c.header('Vary', 'Accept-Encoding');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === asset.etag)) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  if (asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(asset.gzip));
  }
  return c.body(new Uint8Array(asset.body));
}
