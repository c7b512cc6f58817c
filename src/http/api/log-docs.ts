import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';

/**
 * The transparency log's public paths (served by src/http/log/routes.ts, outside `/api/v1`: each operation names
 * the site root as its server) in the OpenAPI document, so API clients find them beside the read API.
 */
export function registerLogDocs(api: OpenAPIHono): void {
  const root = [{ url: '/' }];
  const text = (description: string) => ({
    description,
    content: { 'text/plain': { schema: z.string() } },
  });
  const bytes = (description: string) => ({
    description,
    content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
  });
  const id = z
    .string()
    .regex(/^[0-9]+$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: '6' });
  const tile = z.string().openapi({
    param: { name: 'tile', in: 'path' },
    example: '0/x001/234.p/17',
    description: 'C2SP tlog-tiles path after `tile/`',
  });
  const notFound = text('not published (yet), or not a tile path');
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/key',
    servers: root,
    tags: ['transparency log'],
    summary: 'The log keys and witness policy (C2SP tlog-policy: vkey lines, witnesses, quorum)',
    responses: { 200: text('the policy file; cached 5 minutes') },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/petitions/{id}/checkpoint',
    servers: root,
    tags: ['transparency log'],
    summary:
      "A petition log's latest checkpoint (C2SP tlog-checkpoint, signed note; origin <host>/petitions/<id>)",
    request: { params: z.object({ id }) },
    responses: { 200: text('the signed checkpoint; Cache-Control max-age=5'), 404: notFound },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/petitions/{id}/tile/{tile}',
    servers: root,
    tags: ['transparency log'],
    summary: "A petition log's hash tile or entry bundle (C2SP tlog-tiles, height 8; immutable)",
    request: { params: z.object({ id, tile }) },
    responses: { 200: bytes('the tile; cached for a year, immutable'), 404: notFound },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/petitions/{id}/proof/{index}',
    servers: root,
    tags: ['transparency log'],
    summary: 'A .tlog-proof bundle (C2SP tlog-proof) of one entry against the latest petition checkpoint',
    request: {
      params: z.object({
        id,
        index: z
          .string()
          .regex(/^[0-9]+$/)
          .openapi({ param: { name: 'index', in: 'path' }, example: '0' }),
      }),
    },
    responses: {
      200: text('the proof, with the entry as `extra`; a download (Content-Disposition)'),
      404: text('the entry is not in a signed checkpoint yet'),
    },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/heads/checkpoint',
    servers: root,
    tags: ['transparency log'],
    summary: "The heads log's latest witnessed checkpoint (origin <host>/heads; cosigned by the witnesses)",
    responses: { 200: text('the cosigned checkpoint; Cache-Control max-age=5'), 404: notFound },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/log/heads/tile/{tile}',
    servers: root,
    tags: ['transparency log'],
    summary: "The heads log's tiles and entry bundles (entries are petition checkpoint bodies; immutable)",
    request: { params: z.object({ tile }) },
    responses: { 200: bytes('the tile; cached for a year, immutable'), 404: notFound },
  });
}
