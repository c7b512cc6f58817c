/**
 * The witness's HTTP interface (C2SP tlog-witness), with one prefix for submission and monitoring:
 *   POST /add-checkpoint             — witness.ts addCheckpoint (200/400/403/404/409/422)
 *   GET  /<sha256(origin)>/checkpoint — the latest cosigned checkpoint of that log (404 if none)
 *   GET  /                            — the witness's name, vkey and the origins it follows (plain text)
 * Bodies above 64 KiB get 413; other methods 405.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_ADD_CHECKPOINT_BODY, type Witness } from './witness.js';

/** The Hono app serving one witness. */
export function witnessApp(witness: Witness): Hono {
  const app = new Hono();
  app.post(
    '/add-checkpoint',
    bodyLimit({
      maxSize: MAX_ADD_CHECKPOINT_BODY,
      onError: (c) => c.text('the request body is too large\n', 413),
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      let body: string;
      try {
        body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return c.text('the request body is not UTF-8\n', 400);
      }
      const r = await witness.addCheckpoint(body);
      return c.body(r.body, r.status, { 'Content-Type': r.contentType, 'Cache-Control': 'no-store' });
    },
  );
  app.get('/:originHash{[0-9a-f]{64}}/checkpoint', (c) => {
    const note = witness.latestCheckpoint(c.req.param('originHash'));
    if (!note) return c.text('this witness has not cosigned a checkpoint of that log\n', 404);
    return c.body(note, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'max-age=5' });
  });
  app.get('/', (c) =>
    c.text(
      [
        `witness ${witness.name}`,
        `vkey ${witness.vkey}`,
        ...witness.origins().map((o) => `log ${o}`),
        '',
      ].join('\n'),
    ),
  );
  app.all('/add-checkpoint', (c) => c.text('use POST\n', 405, { Allow: 'POST' }));
  return app;
}

/** Starts the witness on host:port (port 0 = any free port). Resolves once listening. */
export function startWitnessServer(
  witness: Witness,
  opts: { host?: string; port?: number } = {},
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const app = witnessApp(witness);
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, hostname: host, port: opts.port ?? 7380 },
      (info: AddressInfo) => {
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
            }),
        });
      },
    );
  });
}
