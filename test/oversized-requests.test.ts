import type { Server } from 'node:http';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOversizedRequests } from '../src/http/oversized-requests.js';
import { freePort } from './support/live-server.js';

let port = 0;
let close: () => void = () => {};

beforeAll(async () => {
  port = await freePort();
  const app = new Hono();
  app.get('*', (c) => c.text('ok'));
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
  answerOversizedRequests(server as Server);
  close = () => server.close();
});
afterAll(() => close());

/** Sends `request` raw and returns everything the server answered before closing. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('over-long request lines and headers', () => {
  it('answers a 100 KB query string on the API with 431 and the JSON error envelope', async () => {
    const answer = await raw(`GET /api/v1/petitions?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('Content-Type: application/json');
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
    expect(body.error.code).toBe('request_too_large');
  });

  it('answers an over-long search on the site, or a huge header, with 431 and an error page', async () => {
    for (const request of [
      `GET /search?q=${'%EA%B0%80'.repeat(12_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: x\r\nCookie: c=${'x'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const answer = await raw(request);
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(answer).toContain('Content-Type: text/html; charset=utf-8');
      expect(answer).toContain('<h1>요청이 너무 깁니다</h1>');
      expect(answer).toContain('request_too_large');
    }
  });

  it('leaves ordinary requests to the app', async () => {
    const answer = await raw('GET /search?q=n HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
