import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { siteAssets } from './assets.js';

/** What Node's HTTP parser reports when a request line and headers exceed `maxHeaderSize` (16 KB by default). */
const TOO_LARGE = new Set(['HPE_HEADER_OVERFLOW', 'HPE_URI_TOO_LONG']);

/**
 * Answers requests whose line or headers are too large for Node's parser (a 100 KB query string, a huge cookie)
 * the way the app answers every error, instead of Node's bare `431` with no body: 431 with the API's JSON envelope
 * (`{"error": {"code": "request_too_large", …}}`) when the request line names `/api/`, else a short page in Korean
 * and English. Such a request never reaches the app (there is no parsed request to route), so this hooks the
 * server's `clientError`; other client errors keep Node's answer.
 * @param server the `http.Server` returned by `serve` of @hono/node-server
 */
export function answerOversizedRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (!TOO_LARGE.has(error.code ?? '') || !socket.writable) {
      if (socket.writable)
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
      return;
    }
    const head = error.rawPacket?.subarray(0, 64).toString('latin1') ?? '';
    const api = /^[A-Z]+ \/api\//.test(head);
    const body = api
      ? JSON.stringify({
          error: {
            code: 'request_too_large',
            message: 'The request line or headers are too large (at most 16 KB together). Shorten the query.',
          },
        })
      : `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>요청이 너무 깁니다 | 청원</title><link rel="stylesheet" href="${siteAssets().stylesheetUrl}"></head><body><main id="main" class="container"><h1>요청이 너무 깁니다</h1><p>주소(검색어 등)나 요청 머리글이 너무 깁니다. 검색어를 줄여 다시 시도해 주십시오.</p><p lang="en">The address (search text) or the request headers are too long. Please shorten the search and try again.</p><p>오류 코드 / Error code: <code>request_too_large</code></p><p><a href="/">청원 홈 / Cheongwon home</a></p></main></body></html>`;
    const bytes = Buffer.from(body, 'utf8');
    const headers =
      'HTTP/1.1 431 Request Header Fields Too Large\r\n' +
      `Content-Type: ${api ? 'application/json' : 'text/html; charset=utf-8'}\r\n` +
      `Content-Length: ${bytes.length}\r\n` +
      "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'none'\r\n" +
      'Connection: close\r\n\r\n';
    socket.end(Buffer.concat([Buffer.from(headers, 'latin1'), bytes]));
  });
}
