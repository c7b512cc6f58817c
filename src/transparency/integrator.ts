/**
 * The transparency log's integrator and publisher (issue 13) — what turns stored entries into what the site
 * serves: C2SP tiles and entry bundles, signed petition checkpoints, and the heads log whose checkpoints witnesses
 * cosign. The formats are src/domain/tlog/'s; the SQL is src/repositories/(writes/)transparency-log.ts; one holder
 * at a time runs these (src/scheduling/log-scheduler.ts takes the advisory lock).
 */
import { formatCheckpoint } from '../domain/tlog/checkpoint.js';
import {
  consistencyProof,
  consistencyProofNodes,
  emptyRoot,
  type Hash,
  hashEquals,
  leafHash,
} from '../domain/tlog/merkle.js';
import { encodeBase64, signNote, splitNote } from '../domain/tlog/note.js';
import { headsEntry, headsOrigin, petitionOrigin } from '../domain/tlog/site-log.js';
import {
  appendTiles,
  encodeEntryBundle,
  entriesPath,
  hashesAtTileLevel,
  TILE_WIDTH,
  type TileId,
  tileHashes,
  tileNodeReader,
  tilePath,
  tilesForNodes,
} from '../domain/tlog/tiles.js';
import type { Executor } from '../repositories/petitions.js';
import {
  findHeadsState,
  readHeadsEntries,
  readLogEntries,
  readTiles,
} from '../repositories/transparency-log.js';
import {
  appendHeads,
  type LogBehind,
  listLogsBehind,
  listUnpublishedCheckpoints,
  storeCosignedHeads,
  storeTiles,
  swapPetitionCheckpoint,
} from '../repositories/writes/transparency-log.js';
import type { LogSigners } from './log-signers.js';

/** The tile store name of a petition's log. */
export const petitionTileLog = (petitionId: string) => `petitions/${petitionId}`;
/** The tile store name of the heads log. */
export const HEADS_TILE_LOG = 'heads';

/** Entries integrated per petition and pass at most (a petition further behind catches up over passes). */
const MAX_ENTRIES_PER_PASS = 65_536;

/** The path of a tile by its coordinates (full tiles have no width suffix). */
const pathOf = (t: TileId) => tilePath(t.level, t.index, t.width);

/**
 * Grows a log's tiles from `oldSize` by `newEntries`: reads the stored right-edge partial tiles, checks they give
 * `oldRoot` (else the stored tiles are not the tree last signed: nothing is written, an Error is thrown), and
 * returns the new root and every new or grown tile and entry bundle. `earlier` are the entries from the start of
 * the old size's last entry bundle up to `oldSize` (that bundle grows too).
 */
async function growTiles(
  db: Executor,
  log: string,
  oldSize: number,
  oldRoot: Uint8Array | null,
  earlier: readonly Uint8Array[],
  newEntries: readonly Uint8Array[],
): Promise<{ root: Hash; tiles: Array<{ path: string; bytes: Uint8Array }> }> {
  const edge: string[] = [];
  for (let level = 0; hashesAtTileLevel(level, oldSize) > 0; level++) {
    const count = hashesAtTileLevel(level, oldSize);
    if (count % TILE_WIDTH > 0)
      edge.push(tilePath(level, Math.floor(count / TILE_WIDTH), count % TILE_WIDTH));
  }
  const stored = await readTiles(db, log, edge);
  const read = (level: number, index: number, width: number) => {
    const bytes = stored.get(tilePath(level, index, width));
    if (!bytes) throw new Error(`${log}: tile ${tilePath(level, index, width)} is missing`);
    return bytes;
  };
  const before = oldSize === 0 ? emptyRoot() : appendTiles(oldSize, [], read).root;
  if (!hashEquals(before, oldRoot ?? emptyRoot())) {
    throw new Error(`${log}: the stored tiles of size ${oldSize} do not give the root last signed`);
  }
  const grown =
    oldSize + newEntries.length === 0
      ? { root: emptyRoot(), tiles: [] }
      : appendTiles(oldSize, newEntries.map(leafHash), read);
  const tiles: Array<{ path: string; bytes: Uint8Array }> = grown.tiles.map((t) => ({
    path: t.path,
    bytes: t.bytes,
  }));
  // entry bundles: the old size's last (partial) bundle grows, new ones follow
  const first = Math.floor(oldSize / TILE_WIDTH);
  if (earlier.length !== oldSize - first * TILE_WIDTH) throw new Error(`${log}: earlier entries missing`);
  const all = [...earlier, ...newEntries];
  for (let b = 0; b * TILE_WIDTH < all.length; b++) {
    const slice = all.slice(b * TILE_WIDTH, (b + 1) * TILE_WIDTH);
    tiles.push({ path: entriesPath(first + b, slice.length), bytes: encodeEntryBundle(slice) });
  }
  return { root: grown.root, tiles };
}

/** What a pass of the integrator did: the petitions whose checkpoint it signed, with their new sizes. */
export interface IntegrationPass {
  signed: Array<{ petitionId: string; size: number }>;
  /** Petitions whose checkpoint another signer moved meanwhile (compare-and-swap refused; retried next pass). */
  lost: string[];
}

/**
 * One pass of the integrator: for each petition log whose entries run ahead of its signed checkpoint (up to
 * `maxLogs`), builds the new tiles and entry bundles, stores them (immutable), signs a checkpoint (origin
 * `<host>/petitions/<id>`, petitions key) and stores it by compare-and-swap on the checkpoint it extends — never
 * over another.
 * @param now the clock (UTC), for `signed_at`
 * @throws Error when a log's stored tiles do not give its last signed root, or its entries have a gap (a broken
 *   log is never signed over; the error names it)
 */
export async function integratePetitionLogs(
  db: Executor,
  signers: LogSigners,
  now: Date,
  { maxLogs = 100 }: { maxLogs?: number } = {},
): Promise<IntegrationPass> {
  const pass: IntegrationPass = { signed: [], lost: [] };
  for (const log of await listLogsBehind(db, maxLogs)) {
    const size = await integrateOne(db, signers, log, now);
    if (size === null) pass.lost.push(log.petitionId);
    else pass.signed.push({ petitionId: log.petitionId, size });
  }
  return pass;
}

async function integrateOne(
  db: Executor,
  signers: LogSigners,
  log: LogBehind,
  now: Date,
): Promise<number | null> {
  const target = Math.min(log.logSize, log.signedSize + MAX_ENTRIES_PER_PASS);
  const bundleStart = Math.floor(log.signedSize / TILE_WIDTH) * TILE_WIDTH;
  // log_size and its entries commit together: every entry below the size read is there
  const rows = await readLogEntries(db, log.petitionId, bundleStart, target);
  rows.forEach((r, i) => {
    if (r.idx !== bundleStart + i)
      throw new Error(`petition ${log.petitionId}: log entry ${bundleStart + i} is missing`);
  });
  if (rows.length !== target - bundleStart) {
    throw new Error(`petition ${log.petitionId}: log entries up to ${target} are missing`);
  }
  const entries = rows.map((r) => r.entry);
  const tileLog = petitionTileLog(log.petitionId);
  const { root, tiles } = await growTiles(
    db,
    tileLog,
    log.signedSize,
    log.signedRoot,
    entries.slice(0, log.signedSize - bundleStart),
    entries.slice(log.signedSize - bundleStart),
  );
  await storeTiles(db, tileLog, tiles);
  const body = formatCheckpoint({ origin: petitionOrigin(signers.host, log.petitionId), size: target, root });
  const note = signNote(body, signers.petitions.skey);
  const swapped = await swapPetitionCheckpoint(
    db,
    log.petitionId,
    { size: log.signedSize, root: log.signedRoot },
    { size: target, root, note },
    now,
  );
  return swapped ? target : null;
}

/** A witness the publisher asks to cosign heads checkpoints (C2SP tlog-witness). */
export interface WitnessEndpoint {
  /** The witness's cosignature vkey (its name is the key name). */
  vkey: string;
  /** Its submission prefix: `<url>/add-checkpoint` is posted to. */
  url: string;
}

/** What a publishing pass did. */
export interface PublishPass {
  /** The heads log's size after the pass (unchanged when nothing was new). */
  size: number;
  /** Petition checkpoints appended. */
  appended: number;
  /** Witnesses that cosigned the latest heads checkpoint in this pass (by key name). */
  cosignedBy: string[];
  /** Witnesses that refused or could not be reached, with why. */
  refusals: Array<{ witness: string; reason: string }>;
}

/**
 * The publisher: appends the petition checkpoints signed since the last pass (their bodies) to the heads log,
 * builds its tiles, signs its checkpoint (origin `<host>/heads`, heads key) — all by compare-and-swap, in one
 * transaction — then asks each witness to cosign it (C2SP tlog-witness `add-checkpoint`, with a consistency proof
 * from the size that witness last cosigned; a 409 tells that size and the request is made once more) and stores the
 * checkpoint with the cosignatures it got. With no witness configured, the signed checkpoint is the one served.
 * @param witnessSizes the heads size each witness last cosigned, kept by the caller between passes (by vkey)
 * @param post the HTTP client (injected for tests): POST body, answer status and body
 */
export async function publishHeads(
  db: Executor,
  signers: LogSigners,
  witnesses: readonly WitnessEndpoint[],
  witnessSizes: Map<string, number>,
  now: Date,
  post: (url: string, body: string) => Promise<{ status: number; body: string }> = httpPost,
): Promise<PublishPass> {
  const unpublished = await listUnpublishedCheckpoints(db, 1000);
  let state = await findHeadsState(db);
  let appended = 0;
  if (unpublished.length > 0 || state.checkpoint === null) {
    const bundleStart = Math.floor(state.size / TILE_WIDTH) * TILE_WIDTH;
    const earlier = await readHeadsEntries(db, bundleStart, state.size);
    const entries = unpublished.map((u) => headsEntry(splitNote(u.note).text));
    const { root, tiles } = await growTiles(db, HEADS_TILE_LOG, state.size, state.root, earlier, entries);
    const size = state.size + entries.length;
    const note = signNote(
      formatCheckpoint({ origin: headsOrigin(signers.host), size, root }),
      signers.heads.skey,
    );
    const done = await db.transaction().execute(async (trx) => {
      await storeTiles(trx, HEADS_TILE_LOG, tiles);
      return await appendHeads(
        trx,
        { size: state.size, root: state.root },
        entries,
        { size, root, note },
        unpublished.map((u) => ({ petitionId: u.petitionId, size: u.size })),
        now,
      );
    });
    if (!done) return { size: state.size, appended: 0, cosignedBy: [], refusals: [] }; // moved meanwhile
    appended = entries.length;
    state = await findHeadsState(db);
  }
  const pass: PublishPass = { size: state.size, appended, cosignedBy: [], refusals: [] };
  if (state.checkpoint === null) return pass;
  if (witnesses.length === 0) {
    if (state.cosignedSize !== state.size) await storeCosignedHeads(db, state.size, state.checkpoint);
    return pass;
  }
  if (state.cosignedSize === state.size && appended === 0) return pass; // nothing new to witness
  const lines: string[] = [];
  for (const w of witnesses) {
    const name = w.vkey.split('+')[0] as string;
    try {
      const line = await askWitness(db, w, state.size, state.checkpoint, witnessSizes, post);
      lines.push(line);
      pass.cosignedBy.push(name);
    } catch (error) {
      pass.refusals.push({ witness: name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (lines.length > 0) await storeCosignedHeads(db, state.size, `${state.checkpoint}${lines.join('')}`);
  return pass;
}

/** Asks one witness to cosign; returns its signature line(s). Throws with the witness's answer when refused. */
async function askWitness(
  db: Executor,
  w: WitnessEndpoint,
  size: number,
  note: string,
  witnessSizes: Map<string, number>,
  post: (url: string, body: string) => Promise<{ status: number; body: string }>,
): Promise<string> {
  const url = `${w.url.replace(/\/+$/, '')}/add-checkpoint`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const old = Math.min(witnessSizes.get(w.vkey) ?? 0, size);
    const proof = old > 0 && old < size ? await headsConsistencyProof(db, old, size) : [];
    const body = `old ${old}\n${proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${note}`;
    const answer = await post(url, body);
    if (answer.status === 200) {
      witnessSizes.set(w.vkey, size);
      return answer.body.endsWith('\n') ? answer.body : `${answer.body}\n`;
    }
    if (answer.status === 409 && /^\d+\n?$/.test(answer.body)) {
      witnessSizes.set(w.vkey, Number(answer.body.trim()));
      continue;
    }
    throw new Error(`${answer.status}: ${answer.body.trim().slice(0, 200)}`);
  }
  throw new Error('409 twice: the witness keeps another size');
}

/** The RFC 9162 consistency proof between two heads sizes, from the stored heads tiles. */
async function headsConsistencyProof(db: Executor, oldSize: number, newSize: number): Promise<Hash[]> {
  const needed = tilesForNodes(consistencyProofNodes(oldSize, newSize), newSize);
  const stored = await readTiles(db, HEADS_TILE_LOG, needed.map(pathOf));
  return consistencyProof(
    oldSize,
    newSize,
    tileNodeReader(newSize, (t) => {
      const bytes = stored.get(pathOf(t));
      if (!bytes) throw new Error(`heads tile ${pathOf(t)} is missing`);
      return tileHashes(bytes, t.width);
    }),
  );
}

async function httpPost(url: string, body: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, body: await res.text() };
}
