import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { sameOriginWrites } from './same-origin.js';

function app() {
  const a = new Hono();
  a.use(sameOriginWrites(['https://cheongwon.example.kr']));
  a.post('/petitions/1/agreements', (c) => c.text('stored'));
  a.get('/petitions/1', (c) => c.text('page'));
  a.onError((e, c) =>
    e instanceof DomainError ? c.json({ error: { code: e.code } }, 403) : c.text('boom', 500),
  );
  return a;
}

const post = (headers: Record<string, string>) =>
  app().request('http://internal:3000/petitions/1/agreements', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'method=oidc',
  });

describe('sameOriginWrites', () => {
  it('lets same-origin browser posts through (by Fetch Metadata or by Origin)', async () => {
    expect((await post({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post({ origin: 'https://cheongwon.example.kr' })).status).toBe(200);
    expect((await post({ origin: 'http://internal:3000' })).status).toBe(200); // the request's own origin
    expect((await post({ 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it('refuses posts another site makes a visitor’s browser send', async () => {
    const forged: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://evil.example.kr' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://cheongwon.example.kr' }, // the browser's label wins
      { origin: 'https://evil.example.com' },
      { origin: 'null' },
      { origin: 'https://cheongwon.example.kr.evil.com' },
    ];
    for (const headers of forged) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'csrf_rejected' } });
    }
  });

  it('lets programs without browser headers through, and never blocks reading', async () => {
    expect((await post({})).status).toBe(200);
    const read = await app().request('http://internal:3000/petitions/1', {
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example.com' },
    });
    expect(read.status).toBe(200);
  });
});
