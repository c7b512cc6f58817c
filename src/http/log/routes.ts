/**
 * The transparency log's public contract (issue 13; docs/transparency-log.md): `/log/key`, each petition's
 * checkpoint, tiles, entry bundles and entry proofs, and the heads log's checkpoint and tiles. Tiles are immutable
 * (cached for a year); checkpoints change and are cached for 5 s at most.
 */
import type { Context, Hono } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { parseTilePath } from '../../domain/tlog/tiles.js';
import type { Executor } from '../../repositories/petitions.js';
import { findHeadsState, findPetitionCheckpoint, findTile } from '../../repositories/transparency-log.js';
import { petitionTileLog } from '../../transparency/integrator.js';
import { petitionEntryProof } from '../../transparency/proofs.js';

/** What the log routes publish besides the database: the `/log/key` text (tlog-policy). */
export interface LogRoutesContext {
  db: Executor;
  /** The `/log/key` document (src/domain/tlog/site-log.ts `formatLogKeys`). */
  keyText: string;
}

const TEXT = 'text/plain; charset=utf-8';
const CHECKPOINT_CACHE = 'public, max-age=5';
const TILE_CACHE = 'public, max-age=31536000, immutable';

/** Mounts the `/log/…` routes. */
export function registerLogRoutes(app: Hono, log: LogRoutesContext): void {
  const notFound = (what: string) => new DomainError('not_found', what);
  const petitionId = (id: string) => {
    if (!isRecordNumber(id))
      throw new DomainError('invalid_parameter', 'the petition number is not a number');
    return id;
  };
  const tile = async (c: Context, store: string, prefix: string) => {
    const path = c.req.path.slice(prefix.length);
    if (!parseTilePath(path)) throw notFound('no such tile path (C2SP tlog-tiles)');
    const bytes = await findTile(log.db, store, path);
    if (!bytes) throw notFound('this tile is not published (yet)');
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': TILE_CACHE,
    });
  };

  app.get('/log/key', (c) =>
    c.body(log.keyText, 200, { 'Content-Type': TEXT, 'Cache-Control': 'public, max-age=300' }),
  );

  app.get('/log/heads/checkpoint', async (c) => {
    const state = await findHeadsState(log.db);
    const note = state.cosigned ?? null;
    if (!note) throw notFound('the heads log has no witnessed checkpoint yet');
    return c.body(note, 200, { 'Content-Type': TEXT, 'Cache-Control': CHECKPOINT_CACHE });
  });
  app.get('/log/heads/tile/*', (c) => tile(c, 'heads', '/log/heads/'));

  app.get('/log/petitions/:id/checkpoint', async (c) => {
    const latest = await findPetitionCheckpoint(log.db, petitionId(c.req.param('id')));
    if (!latest) throw notFound('this petition has no signed checkpoint yet');
    return c.body(latest.note, 200, { 'Content-Type': TEXT, 'Cache-Control': CHECKPOINT_CACHE });
  });
  app.get('/log/petitions/:id/tile/*', (c) => {
    const id = petitionId(c.req.param('id'));
    return tile(c, petitionTileLog(id), `/log/petitions/${id}/`);
  });
  app.get('/log/petitions/:id/proof/:index', async (c) => {
    const id = petitionId(c.req.param('id'));
    const index = c.req.param('index');
    if (!/^(0|[1-9][0-9]{0,15})$/.test(index))
      throw new DomainError('invalid_parameter', 'the entry index is not a whole number');
    const bundle = await petitionEntryProof(log.db, id, Number(index));
    if (!bundle) throw notFound('this entry is not in a signed checkpoint yet');
    return c.body(bundle, 200, {
      'Content-Type': TEXT,
      'Content-Disposition': `attachment; filename="petition-${id}-${index}.tlog-proof"`,
      'Cache-Control': CHECKPOINT_CACHE,
    });
  });
}
