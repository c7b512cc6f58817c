/**
 * Builds the site's stylesheet and fonts into `dist/assets/` (run by `npm run build`, hence by `npm start`, and by the
 * test suite's global setup; `src/http/assets.ts` serves the result):
 *
 * - **CSS**: the KRDS package's (`krds-uiux`) tokens, common and component CSS, then our `src/http/assets/site.css`,
 *   reduced by PurgeCSS to the selectors, custom properties, keyframes and font faces the pages use (it scans the
 *   views, routes and scripts under `src/http/`), then minified by Lightning CSS. About 640 KB becomes about 30 KB.
 * - **Fonts**: `@font-face` rules for Pretendard GOV (the font KRDS names) that take it from the visitor's own
 *   system only (`local()`, see `fontFaces`); nothing is downloaded, so no font blocks rendering or moves text.
 * - **Icons**: the favicon (`favicon.ico`, 32 px) and the web app manifest's 192 px icon, drawn from the shape of
 *   `src/http/assets/icon.svg`.
 *
 * Skipped when its inputs are unchanged (a hash of them is kept in `dist/assets/manifest.json`); `--force` rebuilds.
 * Usage: `tsx scripts/build-assets.ts [--force]`
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { transform } from 'lightningcss';
import { PurgeCSS } from 'purgecss';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KRDS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('krds-uiux/package.json')),
  'resources',
);
export const ASSETS_OUT = path.join(ROOT, 'dist', 'assets');
const KRDS_CSS = ['css/token/krds_tokens.css', 'css/common/common.css', 'css/component/component.css'];
const SITE_CSS = path.join(ROOT, 'src/http/assets/site.css');
/** Faces served: KRDS uses regular (400) and bold (700); a medium (500) request resolves to regular (CSS Fonts 4 §5.2). */
const FACES = [
  { weight: 400, local: ['Pretendard GOV', 'PretendardGOV-Regular', 'Pretendard GOV Regular'] },
  { weight: 500, local: ['Pretendard GOV Medium', 'PretendardGOV-Medium'] },
  { weight: 700, local: ['Pretendard GOV Bold', 'PretendardGOV-Bold'] },
] as const;
/** Classes built from template strings in the views (`state-${…}`), kept though no source names them whole; and
 * `:focus-visible`, which PurgeCSS cannot match to markup. */
const SAFELIST = [/^state-/, /^queue-/, /^response-/, /^bg-light-/, /focus-visible/];

export interface AssetManifest {
  inputsHash: string;
  stylesheet: string;
  icons: string[];
}

/** Every file below `dir` whose name ends with one of `exts`, test files excluded. */
function filesUnder(dir: string, exts: string[]): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => exts.some((e) => f.endsWith(e)) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

function inputsHash(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(f));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  return h.digest('hex');
}

/** The KRDS CSS with its `url(…)`s as `krds-uiux/…` paths (component.css 1.1.0 says ../../img/img/ for ../../img/). */
function krdsCss(): string {
  return KRDS_CSS.map((rel) => {
    const file = path.join(KRDS, rel);
    const css = readFileSync(file, 'utf8').replace(/@import\s+[^;]+;/g, '');
    return css.replace(/url\((['"]?)([^'")]+)\1\)/g, (whole, _q: string, ref: string) => {
      if (ref.startsWith('data:') || ref.startsWith('/') || ref.startsWith('#')) return whole;
      const target = path.resolve(path.dirname(file), ref.replace('/img/img/', '/img/'));
      return existsSync(target) ? `url(krds-uiux/${path.relative(KRDS, target)})` : whole;
    });
  }).join('\n');
}

/**
 * The Pretendard GOV faces: the font people have installed (`local()`), never downloaded. A Korean web font costs
 * about 85 bytes per Hangul glyph in WOFF2 (measured on KRDS's Pretendard GOV slices made with subset-font): a
 * petition page uses 300–600 distinct syllables in two weights, 50–100 KB on its own, the whole first-visit budget.
 * Without Pretendard the system's Korean font is used (Apple SD Gothic Neo, Malgun Gothic, Noto Sans CJK KR); as
 * nothing arrives late, nothing is swapped and nothing moves.
 */
function fontFaces(): string {
  return FACES.map(
    (face) =>
      `@font-face{font-family:"Pretendard GOV";font-style:normal;font-weight:${face.weight};font-display:optional;` +
      `src:${face.local.map((name) => `local("${name}")`).join(',')}}`,
  ).join('\n');
}

/**
 * The icon of `src/http/assets/icon.svg` (a white tick on a KRDS-blue rounded square) drawn at `size` px as PNG, for
 * the manifest's 192 px icon and the 32 px `/favicon.ico` (an ICO holding one PNG). Drawn here with 4×4
 * supersampling so no image tool is needed.
 */
function iconPng(size: number): Buffer {
  const scale = 64 / size;
  const tick = [
    [18, 33],
    [28, 43],
    [46, 21],
  ] as const;
  const distToSegment = (x: number, y: number, a: readonly number[], b: readonly number[]) => {
    const [ax, ay, bx, by] = [a[0] as number, a[1] as number, b[0] as number, b[1] as number];
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
  };
  const inRoundedSquare = (x: number, y: number) => {
    const r = 14;
    const cx = Math.min(Math.max(x, r), 64 - r);
    const cy = Math.min(Math.max(y, r), 64 - r);
    return Math.hypot(x - cx, y - cy) <= r && x >= 0 && y >= 0 && x <= 64 && y <= 64;
  };
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const x = (px + (sx + 0.5) / 4) * scale;
          const y = (py + (sy + 0.5) / 4) * scale;
          if (!inRoundedSquare(x, y)) continue;
          const white =
            Math.min(distToSegment(x, y, tick[0], tick[1]), distToSegment(x, y, tick[1], tick[2])) <= 3.5;
          r += white ? 255 : 0x25;
          g += white ? 255 : 0x6e;
          b += white ? 255 : 0xf4;
          a += 255;
        }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      const n = a / 255;
      raw[o] = n ? Math.round(r / n) : 0;
      raw[o + 1] = n ? Math.round(g / n) : 0;
      raw[o + 2] = n ? Math.round(b / n) : 0;
      raw[o + 3] = Math.round(a / 16);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file holding one PNG image (allowed since Windows Vista; every browser reads it). */
function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, png]);
}

/** Builds dist/assets/ unless its inputs are unchanged. @returns the manifest the server reads */
export async function buildAssets(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<AssetManifest> {
  const log = options.log ?? ((line: string) => console.log(line));
  const content = [
    ...filesUnder(path.join(ROOT, 'src/http'), ['.tsx', '.ts', '.js']),
    ...filesUnder(path.join(ROOT, 'src/i18n/messages'), ['.ts']),
  ];
  const inputs = [...KRDS_CSS.map((rel) => path.join(KRDS, rel)), SITE_CSS, ...content];
  const hash = inputsHash(inputs);
  const manifestFile = path.join(ASSETS_OUT, 'manifest.json');
  if (!options.force && existsSync(manifestFile)) {
    const previous = JSON.parse(readFileSync(manifestFile, 'utf8')) as AssetManifest;
    if (
      previous.inputsHash === hash &&
      [previous.stylesheet, ...previous.icons].every((f) => existsSync(path.join(ASSETS_OUT, f)))
    )
      return previous;
  }
  const started = Date.now();
  rmSync(ASSETS_OUT, { recursive: true, force: true });
  mkdirSync(ASSETS_OUT, { recursive: true });

  writeFileSync(path.join(ASSETS_OUT, 'icon-192.png'), iconPng(192));
  writeFileSync(path.join(ASSETS_OUT, 'favicon.ico'), icoOf(iconPng(32), 32));
  const source = `${krdsCss()}\n${readFileSync(SITE_CSS, 'utf8')}`;
  const [purged] = await new PurgeCSS().purge({
    content: content.map((file) => ({
      raw: readFileSync(file, 'utf8'),
      extension: path.extname(file).slice(1),
    })),
    css: [{ raw: source }],
    safelist: { standard: [/^:root$/, 'html', 'body'], greedy: SAFELIST },
    variables: true,
    keyframes: true,
    fontFace: false,
  });
  const { code } = transform({
    filename: 'site.css',
    code: Buffer.from(`${fontFaces()}\n${purged?.css ?? ''}`),
    minify: true,
  });
  const stylesheet = 'site.css';
  writeFileSync(path.join(ASSETS_OUT, stylesheet), code);
  const manifest: AssetManifest = { inputsHash: hash, stylesheet, icons: ['icon-192.png', 'favicon.ico'] };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  log(
    `assets: site.css ${(code.length / 1024).toFixed(1)} KB (KRDS + site.css: ${(source.length / 1024).toFixed(0)} KB) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s → dist/assets/`,
  );
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAssets({ force: process.argv.includes('--force') });
}
