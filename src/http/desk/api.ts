import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { importHashes } from '../../commands/desk/import-hashes.js';
import { type LookupQuery, lookupHash } from '../../commands/desk/lookup-hash.js';
import { recordApiRequest } from '../../commands/desk/record-api-request.js';
import { reportMatchFeedback } from '../../commands/desk/report-match-feedback.js';
import type { DeskHashIndex } from '../../desk/hash-index.js';
import { EXCHANGE_FORMATS, exchangeRecord } from '../../domain/desk/exchange.js';
import type { ApiScope } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import { hashToken } from '../../domain/tokens.js';
import { apiKeyByHash, bankByName, bankHashesForExport, hashFeedAfter } from '../../repositories/desk.js';
import { apiError, HTTP_STATUS } from '../errors.js';
import { describeIssues } from '../list-query.js';
import type { Site } from '../site.js';

/** What the desk's routes (platform API, /support, staff desk pages) need besides the site. */
export interface DeskContext {
  /** The matching index of this process. */
  index: DeskHashIndex;
  /** The deployment secret (encrypts contacts and captured evidence). */
  secret: string;
  /** The operator's name, in notices and on /support (DESK_OPERATOR_NAME). */
  operatorName: string;
  /** The centre's hotline shown on /support (DESK_HOTLINE), e.g. '02-735-8994'. */
  hotline: string;
}

interface PlatformCaller {
  platformId: string;
  keyId: string;
  scopes: ApiScope[];
}

type Env = { Variables: { caller: PlatformCaller } };

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_hash' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('DeskError');
const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});
const COMMON_ERRORS = {
  401: err('No API key, or one that is unknown or revoked (invalid_api_key)'),
  403: err('The key lacks the scope (insufficient_scope)'),
  429: err('Over the key’s requests per minute (rate_limited; Retry-After)'),
};

const MatchSchema = z
  .object({
    match_id: z.string().openapi({ description: 'Report feedback on it: POST /matches/{match_id}/feedback' }),
    hash_id: z.string(),
    bank: z.string(),
    algorithm: z.enum(['pdq', 'md5']),
    hash: z.string(),
    distance: z.number().int().openapi({ description: 'Hamming distance in bits (PDQ) or 0 (MD5)' }),
  })
  .openapi('DeskMatch');
const LookupAnswerSchema = z
  .object({
    algorithm: z.enum(['pdq', 'md5']),
    query: z.array(z.string()),
    matches: z.array(MatchSchema),
    suppressed_by: z
      .array(z.object({ hash_id: z.string(), bank: z.string(), distance: z.number().int() }))
      .openapi({ description: 'Negative-bank hashes that matched; when any did, matches is empty' }),
    quarantined: z
      .array(z.string())
      .openapi({ description: 'Bank hashes held for review by flood quarantine' }),
  })
  .openapi('DeskLookupAnswer');

const lookupRoute = createRoute({
  method: 'post',
  path: '/lookup',
  summary:
    'Look up a PDQ hash (with up to 7 more: the rotations/flips of the same image) or an MD5 in every bank: one answer with the matching hashes, their banks and distances (each bank’s threshold, default ≤ 31 bits)',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              pdq: z
                .union([z.string(), z.array(z.unknown())])
                .optional()
                .openapi({ description: '64 hex digits, or an array of 1–8 (the image’s dihedral hashes)' }),
              md5: z.string().optional().openapi({ description: '32 hex digits' }),
            })
            .openapi('DeskLookupRequest'),
        },
      },
    },
  },
  responses: {
    200: { description: 'The answer', content: { 'application/json': { schema: LookupAnswerSchema } } },
    400: err('Malformed hash (invalid_hash, details.problem says why) or neither/both of pdq and md5'),
    ...COMMON_ERRORS,
  },
});

const lookupGetRoute = createRoute({
  method: 'get',
  path: '/lookup',
  summary:
    'The same lookup with the hash in the query string (`pdq` — repeat it for rotations/flips — or `md5`)',
  request: {
    query: z.object({
      pdq: z.union([z.string(), z.array(z.string())]).optional(),
      md5: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The answer', content: { 'application/json': { schema: LookupAnswerSchema } } },
    400: err('Malformed hash (invalid_hash)'),
    ...COMMON_ERRORS,
  },
});

const feedbackRoute = createRoute({
  method: 'post',
  path: '/matches/{id}/feedback',
  summary: 'Report what the platform did about one of its matches',
  request: {
    params: z.object({ id: z.string() }),
    body: {
      content: {
        'application/json': {
          schema: z.object({ feedback: z.enum(['pending_review', 'blocked', 'not_blocked']) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Recorded',
      content: { 'application/json': { schema: z.object({ match_id: z.string(), feedback: z.string() }) } },
    },
    400: err('Bad feedback word or match id'),
    404: err('No such match of this platform'),
    ...COMMON_ERRORS,
  },
});

const changesRoute = createRoute({
  method: 'get',
  path: '/hashes/changes',
  summary:
    'Hashes changed since a checkpoint, in change order, deactivations included (for platforms that match locally): start with since=0, then pass next_checkpoint',
  request: {
    query: z.object({
      since: z
        .string()
        .regex(/^(0|[1-9][0-9]{0,18})$/)
        .default('0'),
      limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
    }),
  },
  responses: {
    200: {
      description: 'A page of changes',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(
              z.object({
                hash_id: z.string(),
                algorithm: z.enum(['pdq', 'md5']),
                hash: z.string(),
                quality: z.number().int().nullable(),
                bank: z.string(),
                bank_kind: z.enum(['positive', 'negative']),
                active: z.boolean().openapi({ description: 'false: remove it from your copy' }),
                changed_at: z.string(),
              }),
            ),
            next_checkpoint: z.string(),
            has_more: z.boolean(),
          }),
        },
      },
    },
    400: err('Bad checkpoint or limit'),
    ...COMMON_ERRORS,
  },
});

const importRoute = createRoute({
  method: 'post',
  path: '/banks/{bank}/import',
  summary:
    'Import hash records (HMA `signal_type`/`signal_value` or StopNCII `hashType`/`hashValue` shapes) into a bank',
  request: {
    params: z.object({ bank: z.string() }),
    body: { content: { 'application/json': { schema: z.object({ records: z.array(z.unknown()) }) } } },
  },
  responses: {
    200: {
      description: 'Imported',
      content: { 'application/json': { schema: z.object({ imported: z.number() }) } },
    },
    400: err('A malformed record (invalid_hash, details.index) or an unknown bank'),
    ...COMMON_ERRORS,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/banks/{bank}/export',
  summary: 'Export a bank’s active hashes as HMA or StopNCII records, paged by id',
  request: {
    params: z.object({ bank: z.string() }),
    query: z.object({
      format: z.enum(EXCHANGE_FORMATS).default('hma'),
      after: z
        .string()
        .regex(/^(0|[1-9][0-9]{0,18})$/)
        .default('0'),
      limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
    }),
  },
  responses: {
    200: {
      description: 'A page of records',
      content: {
        'application/json': {
          schema: z.object({
            records: z.array(z.record(z.string(), z.unknown())),
            next_after: z.string().nullable(),
          }),
        },
      },
    },
    400: err('Unknown bank or bad parameter'),
    ...COMMON_ERRORS,
  },
});

/**
 * `/api/desk/v1/…`: the response desk's API for platforms (OpenAPI document at `/api/desk/v1/openapi.json`).
 * Every request needs `Authorization: Bearer cwdesk_…` — a key issued per platform (`cheongwon desk key`), scoped
 * (lookup, feedback, delta, import, export), rate-limited per key (its requests per minute, in this process) and
 * recorded in `desk_api_requests` (platform, key, endpoint, time, status). Routes parse, call one command or read,
 * present; a malformed hash is a 400 `invalid_hash` with `details.problem`, never a 500.
 */
export function deskApi(site: Site, desk: DeskContext): OpenAPIHono<Env> {
  const api = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, fields } = describeIssues(result.error);
        return c.json(apiError('invalid_parameter', message, { fields }), 400);
      }
    },
  });
  const limiters = new Map<string, RateLimiterMemory>();

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Cheongwon response desk — platform API',
      version: '1.0.0',
      description:
        'Hash matching for platforms: look up PDQ/MD5 hashes against the desk’s banks, report feedback on matches, fetch changes for local matching, exchange bank records. Only hashes ever leave a victim’s device; this API never sees or returns an image.',
    },
    servers: [{ url: '/api/desk/v1' }],
    security: [{ bearer: [] }],
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  const authenticated: MiddlewareHandler<Env> = async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const key = /^Bearer\s+(cwdesk_[A-Za-z0-9_-]{43})$/.exec(header)?.[1];
    const row = key ? await apiKeyByHash(site.db, hashToken(key)) : undefined;
    // the route's pattern (no ids, no query: a GET lookup's hash is never logged)
    const endpoint = `${c.req.method} ${c.req.routePath.replace(/^\/api\/desk\/v1/, '')}`;
    if (!row || row.revoked_at !== null) {
      await recordApiRequest(site.db, {
        at: site.now(),
        platformId: null,
        keyId: null,
        endpoint,
        status: 401,
      });
      throw new DomainError(
        'invalid_api_key',
        'Send a valid platform API key: Authorization: Bearer cwdesk_…',
      );
    }
    let limiter = limiters.get(row.id);
    if (!limiter) {
      limiter = new RateLimiterMemory({
        keyPrefix: `desk-key-${row.id}`,
        points: row.requests_per_minute,
        duration: 60,
      });
      limiters.set(row.id, limiter);
    }
    try {
      await limiter.consume(row.id);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      await recordApiRequest(site.db, {
        at: site.now(),
        platformId: row.platform_id,
        keyId: row.id,
        endpoint,
        status: 429,
      });
      throw new DomainError(
        'rate_limited',
        `This key may make ${row.requests_per_minute} requests a minute.`,
        {
          retryAfterSeconds,
          limit: row.requests_per_minute,
          windowSeconds: 60,
        },
      );
    }
    c.set('caller', { platformId: row.platform_id, keyId: row.id, scopes: row.scopes });
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } catch (error) {
      status = error instanceof DomainError ? HTTP_STATUS[error.code] : 500;
      throw error;
    } finally {
      await recordApiRequest(site.db, {
        at: site.now(),
        platformId: row.platform_id,
        keyId: row.id,
        endpoint,
        status,
      });
    }
  };
  const need = (c: Context<Env>, scope: ApiScope) => {
    if (!c.var.caller.scopes.includes(scope)) {
      throw new DomainError('insufficient_scope', `This key does not have the '${scope}' scope.`, {
        required: scope,
      });
    }
  };
  for (const path of ['/lookup', '/matches/*', '/hashes/*', '/banks/*']) api.use(path, authenticated);
  api.use('/banks/*', bodyLimit({ maxSize: 4 * 1024 * 1024, onError: tooLarge }));
  api.use('/lookup', bodyLimit({ maxSize: 16 * 1024, onError: tooLarge }));
  api.use('/matches/*', bodyLimit({ maxSize: 4 * 1024, onError: tooLarge }));
  // a body that is not JSON is a 400 with a code, before the validators read it
  api.use('*', async (c, next) => {
    if (c.req.method === 'POST') {
      try {
        await c.req.json();
      } catch {
        throw new DomainError(
          'invalid_body',
          'The request body must be JSON (Content-Type: application/json).',
        );
      }
    }
    await next();
  });

  const answer = async (c: Context<Env>, query: LookupQuery) => {
    need(c, 'lookup');
    const r = await lookupHash(
      { db: site.db, index: desk.index, now: site.now() },
      { platformId: c.var.caller.platformId, query },
    );
    return {
      algorithm: r.algorithm,
      query: r.query,
      matches: r.matches.map((m) => ({
        match_id: m.matchId,
        hash_id: m.hashId,
        bank: m.bank,
        algorithm: m.algorithm,
        hash: m.hash,
        distance: m.distance,
      })),
      suppressed_by: r.suppressedBy.map((s) => ({ hash_id: s.hashId, bank: s.bank, distance: s.distance })),
      quarantined: r.quarantined,
    };
  };
  const queryOf = (pdq: unknown, md5: unknown): LookupQuery => {
    if ((pdq === undefined) === (md5 === undefined)) {
      throw new DomainError('invalid_parameter', 'Send exactly one of pdq and md5.', {
        fields: { pdq: 'or md5' },
      });
    }
    return pdq !== undefined
      ? { algorithm: 'pdq', hashes: Array.isArray(pdq) ? pdq : [pdq] }
      : { algorithm: 'md5', hash: md5 };
  };

  api.openapi(lookupRoute, async (c) => {
    const body = c.req.valid('json');
    return c.json(await answer(c, queryOf(body.pdq, body.md5)), 200);
  });
  api.openapi(lookupGetRoute, async (c) => {
    const pdq = c.req.queries('pdq');
    const md5 = c.req.query('md5');
    return c.json(await answer(c, queryOf(pdq, md5)), 200);
  });
  api.openapi(feedbackRoute, async (c) => {
    need(c, 'feedback');
    const id = c.req.valid('param').id;
    const { feedback } = await reportMatchFeedback(site.db, {
      platformId: c.var.caller.platformId,
      matchId: id,
      feedback: c.req.valid('json').feedback,
      now: site.now(),
    });
    return c.json({ match_id: id, feedback }, 200);
  });
  api.openapi(changesRoute, async (c) => {
    need(c, 'delta');
    const q = c.req.valid('query');
    const rows = await hashFeedAfter(site.db, q.since, q.limit);
    const last = rows.at(-1);
    return c.json(
      {
        data: rows.map((r) => ({
          hash_id: r.id,
          algorithm: r.algorithm,
          hash: r.hash,
          quality: r.quality,
          bank: r.bank,
          bank_kind: r.bank_kind,
          active: r.active,
          changed_at: r.changed_at.toISOString(),
        })),
        next_checkpoint: last ? String(last.change_seq) : q.since,
        has_more: rows.length === q.limit,
      },
      200,
    );
  });
  api.openapi(importRoute, async (c) => {
    need(c, 'import');
    const caller = c.var.caller;
    const r = await importHashes(site.db, {
      bank: c.req.valid('param').bank,
      records: c.req.valid('json').records,
      actor: { staffId: null, name: `platform:${caller.platformId}` },
      now: site.now(),
    });
    desk.index.invalidate();
    return c.json(r, 200);
  });
  api.openapi(exportRoute, async (c) => {
    need(c, 'export');
    const q = c.req.valid('query');
    const bank = await bankByName(site.db, c.req.valid('param').bank);
    if (!bank) throw new DomainError('invalid_parameter', 'No such bank.', { fields: { bank: 'unknown' } });
    const rows = await bankHashesForExport(site.db, bank.id, q.after, q.limit);
    return c.json(
      {
        records: rows.map((r) => exchangeRecord(q.format, r)),
        next_after: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null,
      },
      200,
    );
  });
  return api;
}

function tooLarge(): never {
  throw new DomainError('body_too_large', 'The request body is too large.');
}
