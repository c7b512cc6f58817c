/**
 * A Cheongwon log site built on disk with the tlog core alone (no database): petition logs, the heads log, /log/key,
 * witness cosignatures — the public layout `cheongwon verify` reads (docs/transparency-log.md). Tests use it to
 * build honest logs and then tamper with them; bench/verify.ts builds a Room-N-sized one. `serveDirectory` serves
 * such a directory over HTTP, as a static site would.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { formatCheckpoint } from '../../src/domain/tlog/checkpoint.js';
import { cosignCheckpoint, generateCosignerKey } from '../../src/domain/tlog/cosignature.js';
import { type Hash, leafHash } from '../../src/domain/tlog/merkle.js';
import { generateSignerKey, signNote } from '../../src/domain/tlog/note.js';
import {
  formatLogKeys,
  headsEntry,
  headsOrigin,
  petitionOrigin,
  petitionsKeyName,
} from '../../src/domain/tlog/site-log.js';
import {
  appendTiles,
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  TILE_WIDTH,
  tilePath,
} from '../../src/domain/tlog/tiles.js';

/** One log written as files under `dir/prefix`. */
export class FileLog {
  size = 0;
  root: Hash = leafHash(new Uint8Array()); // replaced on first append
  body = '';
  note = '';

  constructor(
    readonly dir: string,
    readonly prefix: string,
    readonly origin: string,
  ) {}

  private file(p: string): string {
    return path.join(this.dir, this.prefix, p);
  }

  private write(p: string, bytes: Uint8Array | string): void {
    const f = this.file(p);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, bytes);
  }

  /** Appends entries: bundles, tiles and the new root (no checkpoint: call sign). */
  append(entries: readonly Uint8Array[]): void {
    const oldSize = this.size;
    const hashes = entries.map(leafHash);
    const out = appendTiles(oldSize, hashes, (level, index, width) =>
      readFileSync(this.file(tilePath(level, index, width))),
    );
    for (const t of out.tiles) this.write(t.path, t.bytes);
    // Entry bundles: extend the previous partial bundle, then full and partial ones.
    let at = 0;
    let bundle = Math.floor(oldSize / TILE_WIDTH);
    const oldWidth = oldSize % TILE_WIDTH;
    let current: Uint8Array[] =
      oldWidth > 0 ? decodeEntryBundle(readFileSync(this.file(entriesPath(bundle, oldWidth)))) : [];
    while (at < entries.length) {
      const take = Math.min(TILE_WIDTH - current.length, entries.length - at);
      current = current.concat(entries.slice(at, at + take));
      at += take;
      this.write(entriesPath(bundle, current.length), encodeEntryBundle(current));
      if (current.length === TILE_WIDTH) {
        bundle += 1;
        current = [];
      }
    }
    this.size = out.size;
    this.root = out.root;
  }

  /** Signs and writes `checkpoint` with the key; returns the body. */
  sign(skey: string, extraLines = ''): string {
    this.body = formatCheckpoint({ origin: this.origin, size: this.size, root: this.root });
    this.note = signNote(this.body, skey) + extraLines;
    this.write('checkpoint', this.note);
    return this.body;
  }

  /** Overwrites a file of this log (for tampering tests). */
  overwrite(p: string, bytes: Uint8Array | string): void {
    this.write(p, bytes);
  }

  read(p: string): Uint8Array {
    return readFileSync(this.file(p));
  }

  remove(p: string): void {
    rmSync(this.file(p));
  }
}

/** A whole site: keys, witnesses, petition logs and the heads log. */
export class LogSite {
  readonly host = 'cheongwon.test';
  readonly heads: FileLog;
  readonly headsKey = generateSignerKey(headsOrigin('cheongwon.test'));
  readonly petitionsKey = generateSignerKey(petitionsKeyName('cheongwon.test'));
  readonly witnesses = [1, 2, 3].map((i) => ({
    name: `w${i}`,
    ...generateCosignerKey(`witness${i}.test/cheongwon`),
  }));
  readonly petitions = new Map<string, FileLog>();
  private published = new Map<string, string>();
  /** Cosignature time (POSIX seconds). */
  now = Math.floor(Date.now() / 1000);

  constructor(
    readonly dir: string,
    opts: { quorum?: number } = {},
  ) {
    this.heads = new FileLog(dir, 'log/heads', headsOrigin(this.host));
    mkdirSync(path.join(dir, 'log'), { recursive: true });
    writeFileSync(
      path.join(dir, 'log/key'),
      formatLogKeys({
        publicUrl: `https://${this.host}/`,
        headsVkey: this.headsKey.vkey,
        petitionsVkey: this.petitionsKey.vkey,
        witnesses: this.witnesses.map((w) => ({ name: w.name, vkey: w.vkey })),
        quorum: { threshold: opts.quorum ?? 2 },
      }),
    );
  }

  petition(id: string | number): FileLog {
    const key = String(id);
    let log = this.petitions.get(key);
    if (!log) {
      log = new FileLog(this.dir, `log/petitions/${key}`, petitionOrigin(this.host, key));
      this.petitions.set(key, log);
    }
    return log;
  }

  /** Appends entries to a petition log and signs its checkpoint. */
  appendToPetition(id: string | number, entries: readonly Uint8Array[]): FileLog {
    const log = this.petition(id);
    log.append(entries);
    log.sign(this.petitionsKey.skey);
    return log;
  }

  /**
   * Appends every petition checkpoint that changed since the last call to the heads log, signs it and has the
   * given witnesses (indexes into `witnesses`, default all) cosign it.
   */
  publishHeads(cosigners: number[] = this.witnesses.map((_, i) => i)): void {
    const changed: Uint8Array[] = [];
    for (const [id, log] of this.petitions) {
      if (log.body && this.published.get(id) !== log.body) {
        changed.push(headsEntry(log.body));
        this.published.set(id, log.body);
      }
    }
    if (changed.length > 0) this.heads.append(changed);
    const body = formatCheckpoint({
      origin: this.heads.origin,
      size: this.heads.size,
      root: this.heads.root,
    });
    const lines = cosigners
      .map((i) => cosignCheckpoint(body, this.witnesses[i]?.skey as string, this.now))
      .join('');
    this.heads.sign(this.headsKey.skey, lines);
  }

  /** Writes the site's count API answer for a petition (what the page shows). */
  showCount(id: string | number, count: number, state = 'closed'): void {
    const f = path.join(this.dir, `api/v1/petitions/${id}/count`);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, JSON.stringify({ id: Number(id), count, state }));
  }
}

/** Serves a directory as a static site on 127.0.0.1 (any free port). */
export async function serveDirectory(
  dir: string,
): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const root = path.resolve(dir);
  const server = createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(p);
    const file = path.resolve(root, `.${p}`);
    if (!file.startsWith(`${root}${path.sep}`)) {
      res.writeHead(400).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
