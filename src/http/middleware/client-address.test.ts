import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAddress,
  clientAddressFrom,
  parseTrustedProxies,
  resolveClientAddress,
} from './client-address.js';

// A real socket: the peer address comes from the connection, as in production.
let base = '';
let close: () => void = () => {};
let proxies = parseTrustedProxies('');
beforeAll(async () => {
  const app = new Hono();
  app.get('/who', (c) => c.text(resolveClientAddress(c, proxies) ?? 'none'));
  // as the app wires it: the middleware hands the deployment's proxies to every rate-limited route
  app.get('/wired', clientAddressFrom(parseTrustedProxies('127.0.0.1')), (c) =>
    c.text(clientAddress(c) ?? 'none'),
  );
  app.get('/unwired', (c) => c.text(clientAddress(c) ?? 'none'));
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const who = async (xff?: string) =>
  (await fetch(`${base}/who`, { headers: xff ? { 'x-forwarded-for': xff } : {} })).text();

describe('resolveClientAddress', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', async () => {
    proxies = parseTrustedProxies(undefined);
    expect(await who()).toMatch(/127\.0\.0\.1$/);
    expect(await who('203.0.113.9')).toMatch(/127\.0\.0\.1$/);
  });

  it('reads X-Forwarded-For from the right, skipping trusted proxies, behind a trusted proxy', async () => {
    proxies = parseTrustedProxies('127.0.0.1, 10.0.0.0/8');
    expect(await who('203.0.113.9')).toBe('203.0.113.9');
    // the client forged the left entry; the proxies appended the real one
    expect(await who('198.51.100.1, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(await who('2001:db8::1')).toBe('2001:db8::1');
    expect(await who('not-an-address')).toMatch(/127\.0\.0\.1$/);
    expect(await who()).toMatch(/127\.0\.0\.1$/);
  });

  it('reaches rate-limited routes through clientAddressFrom, and trusts nobody without it', async () => {
    const xff = { 'x-forwarded-for': '203.0.113.9' };
    expect(await (await fetch(`${base}/wired`, { headers: xff })).text()).toBe('203.0.113.9');
    expect(await (await fetch(`${base}/unwired`, { headers: xff })).text()).toMatch(/127\.0\.0\.1$/);
  });

  it('refuses a TRUST_PROXY entry that is not an address or range', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.local')).toThrow(/proxy\.local/);
  });
});
