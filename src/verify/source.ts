/**
 * Where `cheongwon verify` reads the public log files: a live site (`--from URL`, HTTP GET) or a directory with the
 * same layout (`--dir`, e.g. a mirror made with wget). Paths are the site's, without a leading slash:
 * `log/key`, `log/petitions/6/checkpoint`, `log/petitions/6/tile/entries/x001/234`, …
 *
 * Every read is counted, so the verifier can report how many files it fetched against how many it needed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HASH_SIZE, type Hash } from '../domain/tlog/merkle.js';
import {
  decodeEntryBundle,
  entriesPath,
  TILE_WIDTH,
  type TileId,
  tileHashes,
  tilePath,
} from '../domain/tlog/tiles.js';
import { VerifyFailure } from './outcome.js';

export interface LogSource {
  /** Where it reads from, for messages. */
  readonly label: string;
  /** The file at `path`, or null when it does not exist (404, ENOENT). Throws VerifyFailure('unavailable') otherwise. */
  get(path: string): Promise<Uint8Array | null>;
  /** Files read so far, and their bytes. */
  readonly stats: { files: number; bytes: number };
}

/** A directory laid out like the site. */
export function dirSource(dir: string): LogSource {
  const stats = { files: 0, bytes: 0 };
  const root = path.resolve(dir);
  return {
    label: root,
    stats,
    async get(p) {
      const file = path.resolve(root, p);
      if (!file.startsWith(`${root}${path.sep}`))
        throw new VerifyFailure('usage', `the path ${p} leaves the directory`);
      try {
        // Synchronous on purpose: a promise-based read costs four event-loop round trips (open, stat, read,
        // close), which dominated a 10,000-bundle verification; hashing runs on worker threads meanwhile.
        const b = readFileSync(file);
        stats.files += 1;
        stats.bytes += b.length;
        return new Uint8Array(b.buffer, b.byteOffset, b.length);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new VerifyFailure('unavailable', `cannot read ${file}: ${(e as Error).message}`);
      }
    },
  };
}

/** A live site. `fetchImpl` is injectable for tests; requests time out after `timeoutMs` (default 30 s). */
export function httpSource(
  baseUrl: string,
  opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): LogSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const stats = { files: 0, bytes: 0 };
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    label: base,
    stats,
    async get(p) {
      const url = new URL(p, base).toString();
      let res: Response;
      try {
        res = await doFetch(url, {
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
          headers: { 'Accept-Encoding': 'gzip, identity' },
        });
      } catch (e) {
        throw new VerifyFailure('unavailable', `cannot fetch ${url}: ${(e as Error).message}`);
      }
      if (res.status === 404) return null;
      if (!res.ok) throw new VerifyFailure('unavailable', `${url} answered ${res.status}`);
      const b = new Uint8Array(await res.arrayBuffer());
      stats.files += 1;
      stats.bytes += b.length;
      return b;
    },
  };
}

/** The file at `p`, or VerifyFailure(missing, message) when it does not exist. */
export async function need(
  source: LogSource,
  p: string,
  missing: 'unavailable' | 'dropped-leaf' = 'unavailable',
): Promise<Uint8Array> {
  const b = await source.get(p);
  if (b === null) throw new VerifyFailure(missing, `${source.label}${p} does not exist`);
  return b;
}

/** A file as UTF-8 text (VerifyFailure('unavailable') when missing). */
export async function needText(source: LogSource, p: string): Promise<string> {
  return new TextDecoder().decode(await need(source, p));
}

/**
 * The hashes of a tile as a tree of some size has it (`tile.width` hashes). A partial tile the log no longer serves
 * is read from the full tile — or a wider partial tile — that replaced it: its first hashes are the same (tlog-tiles
 * lets logs delete partial tiles once the full one exists). `widerSizes` are tree sizes known to exist (e.g. the
 * latest checkpoint's) whose partial tiles may hold it. Throws VerifyFailure('dropped-leaf') when none exists.
 */
export async function readTile(
  source: LogSource,
  prefix: string,
  tile: TileId,
  widerWidth?: number,
): Promise<Hash[]> {
  const tries = [tile.width];
  if (tile.width < TILE_WIDTH) tries.push(TILE_WIDTH);
  if (widerWidth !== undefined && widerWidth > tile.width && widerWidth < TILE_WIDTH) tries.push(widerWidth);
  for (const w of tries) {
    const b = await source.get(`${prefix}/${tilePath(tile.level, tile.index, w)}`);
    if (b === null) continue;
    if (b.length !== w * HASH_SIZE) {
      throw new VerifyFailure(
        'dropped-leaf',
        `${prefix}/${tilePath(tile.level, tile.index, w)} has ${b.length} bytes, not ${w * HASH_SIZE}`,
      );
    }
    return tileHashes(b).slice(0, tile.width);
  }
  throw new VerifyFailure(
    'dropped-leaf',
    `${prefix}/${tilePath(tile.level, tile.index, tile.width)} is missing`,
  );
}

/**
 * The entries of one entry bundle as a tree of `size` has it. Throws VerifyFailure('dropped-leaf') when the bundle
 * is missing, is not a bundle, or holds fewer entries than the signed size says (a leaf was dropped).
 */
export async function readBundle(
  source: LogSource,
  prefix: string,
  index: number,
  width: number,
): Promise<Uint8Array[]> {
  return (await readBundleBytes(source, prefix, index, width)).entries;
}

/** readBundle, also returning the file's bytes (exactly the `width` entries: a wider bundle is cut). */
export async function readBundleBytes(
  source: LogSource,
  prefix: string,
  index: number,
  width: number,
): Promise<{ entries: Uint8Array[]; bytes: Uint8Array }> {
  const tries = width < TILE_WIDTH ? [width, TILE_WIDTH] : [TILE_WIDTH];
  for (const w of tries) {
    const p = `${prefix}/${entriesPath(index, w)}`;
    const b = await source.get(p);
    if (b === null) continue;
    let entries: Uint8Array[];
    try {
      entries = decodeEntryBundle(b);
    } catch (e) {
      throw new VerifyFailure('dropped-leaf', `${p} is not a valid entry bundle: ${(e as Error).message}`);
    }
    if (entries.length < width) {
      const first = index * TILE_WIDTH + entries.length;
      throw new VerifyFailure(
        'dropped-leaf',
        `${p} holds ${entries.length} entries where the signed checkpoint needs ${width}: leaf ${first} and after are missing`,
      );
    }
    if (w === width && entries.length !== width) {
      throw new VerifyFailure('dropped-leaf', `${p} holds ${entries.length} entries, not ${width}`);
    }
    const kept = entries.slice(0, width);
    const last = kept[kept.length - 1] as Uint8Array;
    const end = last.byteOffset - b.byteOffset + last.length;
    return { entries: kept, bytes: b.subarray(0, end) };
  }
  throw new VerifyFailure(
    'dropped-leaf',
    `${prefix}/${entriesPath(index, width)} is missing: leaves ${index * TILE_WIDTH}…${index * TILE_WIDTH + width - 1} cannot be checked`,
  );
}
