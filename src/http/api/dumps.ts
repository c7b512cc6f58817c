import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { DomainError } from '../../domain/errors.js';
import { checksumLine, type DumpManifest, readLatestManifest } from '../../open-data/dump.js';
import { ifNoneMatchHits } from './counts.js';
import { errorResponse, RATE_LIMITED_RESPONSE } from './schemas.js';

const DUMP_DESCRIPTION =
  'Every public petition with its official response(s), gzip-compressed JSON Lines (schema `cheongwon-dump/1`): a ' +
  'header line with the attribution and licence of the data, then one `Petition` object per line (the fields of ' +
  '`GET /petitions/{id}`, plus `answered_at` and `archive.category_label`). Regenerated once a day. Verify with ' +
  '`/dumps/latest.sha256` (`sha256sum -c`). `cheongwon import` reads it back.';

const dumpRoute = createRoute({
  method: 'get',
  path: '/dumps/latest.jsonl.gz',
  summary: 'The daily full dump (JSON Lines, gzip)',
  description: DUMP_DESCRIPTION,
  responses: {
    200: {
      description: 'The dump file (attachment)',
      headers: {
        ETag: { description: 'The SHA-256 of the file, quoted', schema: { type: 'string' } },
        'Content-Disposition': {
          description: 'attachment; filename of the dated dump',
          schema: { type: 'string' },
        },
      },
      content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    304: { description: 'Not modified: the `If-None-Match` ETag is current' },
    429: RATE_LIMITED_RESPONSE,
    503: errorResponse('No dump has been written yet (code dump_not_ready); try again later'),
  },
});

const checksumRoute = createRoute({
  method: 'get',
  path: '/dumps/latest.sha256',
  summary: 'SHA-256 checksum of the latest dump',
  description: 'One line, `<hex>  <file name>` — the format `sha256sum -c` checks.',
  responses: {
    200: {
      description: 'The checksum line',
      content: {
        'text/plain': {
          schema: z.string().openapi({
            example:
              'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  cheongwon-petitions-20261129T000000Z.jsonl.gz',
          }),
        },
      },
    },
    429: RATE_LIMITED_RESPONSE,
    503: errorResponse('No dump has been written yet (code dump_not_ready)'),
  },
});

/**
 * Mounts the dump downloads, served from `dir` (the directory `cheongwon serve` writes the daily dump into);
 * null → always 503 `dump_not_ready`.
 */
export function registerDumpRoutes(api: OpenAPIHono, dir: string | null): void {
  const latest = async (): Promise<DumpManifest> => {
    const manifest = dir ? await readLatestManifest(dir) : null;
    if (!manifest || !dir) {
      throw new DomainError(
        'dump_not_ready',
        'No open data dump has been written yet; try again in a few minutes.',
        {
          retryAfterSeconds: 300,
        },
      );
    }
    return manifest;
  };

  api.openapi(dumpRoute, async (c) => {
    const manifest = await latest();
    const etag = `"${manifest.sha256}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=3600');
    if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    const stream = Readable.toWeb(
      createReadStream(path.join(dir as string, manifest.file)),
    ) as ReadableStream;
    c.header('Content-Type', 'application/gzip');
    c.header('Content-Length', String(manifest.bytes));
    c.header('Content-Disposition', `attachment; filename="${manifest.file}"`);
    return c.body(stream, 200);
  });

  api.openapi(checksumRoute, async (c) => {
    const manifest = await latest();
    c.header('Cache-Control', 'public, max-age=3600');
    return c.text(checksumLine(manifest), 200);
  });
}
