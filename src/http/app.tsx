/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { DomainError } from '../domain/errors.js';
import {
  findPetition,
  listPetitions,
  type PetitionSort,
  responsesForPetition,
} from '../repositories/petitions.js';
import { apiV1 } from './api/v1.js';
import { apiError, HTTP_STATUS } from './errors.js';
import {
  describeIssues,
  type ListQuery,
  MIN_BODY_SEARCH_LENGTH,
  PUBLIC_LIST_STATES,
  pageQuerySchema,
  toPetitionListQuery,
} from './list-query.js';
import { DataAboutPage, ErrorPage, HomePage, ListPage } from './pages/lists.js';
import { PetitionPage } from './pages/petition.js';
import { registerSigningRoutes, type SigningContext, sessionPerson } from './signing-routes.js';
import type { Site } from './site.js';

// Read from src/ in both layouts: src/http/app.tsx and the compiled dist/http/app.js sit two levels below the root.
const stylesheet = readFileSync(new URL('../../src/http/assets/style.css', import.meta.url), 'utf8');

const SORT_LABELS: Array<[PetitionSort, string]> = [
  ['agreements', '동의 많은 순'],
  ['newest', '최신 순'],
  ['closing', '마감 임박 순'],
];

/** Petition numbers in URLs: 1, 2, … (bigint range). */
const PETITION_ID = /^[1-9][0-9]{0,15}$/;

/**
 * The whole web application: public pages (server-rendered HTML, Korean, no JavaScript needed) and the read API
 * under /api/v1. Routes stay thin: parse, call a repository, present.
 */
export function createApp(site: Site, signing?: SigningContext): Hono {
  const app = new Hono();
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } }));
  app.use(rejectMalformedUrls);
  // open data: any site may read the API from a browser
  app.use('/api/v1/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.route('/api/v1', apiV1(site));

  app.get('/assets/style.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(stylesheet);
  });
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/', async (c) => {
    const list = (sort: PetitionSort, extra: { answered?: boolean } = {}) =>
      listPetitions(site.db, { states: PUBLIC_LIST_STATES, ...extra, sort, page: 1, perPage: 5 }).then(
        (p) => p.rows,
      );
    const [mostAgreed, endingSoon, newest, answered] = await Promise.all([
      list('agreements'),
      listPetitions(site.db, { states: ['open'], sort: 'closing', page: 1, perPage: 5 }).then((p) => p.rows),
      list('newest'),
      list('answered', { answered: true }),
    ]);
    return c.html(<HomePage site={site} lists={{ mostAgreed, endingSoon, newest, answered }} />);
  });

  app.get('/petitions', async (c) => {
    const q = parseListQuery(c);
    const heading =
      q.answered === 'true' ? '답변 완료 청원' : q.state === 'open' ? '진행 중인 청원' : '전체 청원';
    return renderList(c, q, { heading, path: '/petitions', defaultSort: 'agreements' });
  });

  app.get('/categories/:code', async (c) => {
    const code = c.req.param('code');
    const name = site.categories().find((cat) => cat.code === code)?.name;
    if (!name) throw new DomainError('not_found', '그런 분야가 없습니다.');
    const q = { ...parseListQuery(c), category: code };
    return renderList(c, q, {
      heading: `${name} 분야 청원`,
      path: `/categories/${code}`,
      defaultSort: 'agreements',
    });
  });

  app.get('/search', async (c) => {
    const q = parseListQuery(c);
    if (!q.q) {
      return c.html(
        <ListPage
          site={site}
          heading="청원 검색"
          rows={[]}
          total={0}
          page={1}
          perPage={q.per_page}
          href={() => '/search'}
          empty="검색어를 입력하십시오."
        />,
      );
    }
    return renderList(c, q, { heading: `‘${q.q}’ 검색 결과`, path: '/search', defaultSort: 'relevance' });
  });

  app.get('/petitions/:id', async (c) => {
    const id = c.req.param('id');
    if (!PETITION_ID.test(id)) throw new DomainError('invalid_parameter', '청원 번호는 1 이상의 정수입니다.');
    const row = await findPetition(site.db, id);
    if (!row || !(PUBLIC_LIST_STATES as readonly string[]).includes(row.state)) {
      throw new DomainError('petition_not_found', `${id}번 청원을 찾을 수 없습니다.`);
    }
    const responses = await responsesForPetition(site.db, row.id);
    const collecting = row.state === 'open' && (row.closes_at === null || site.now() < row.closes_at);
    const agree =
      signing && collecting
        ? {
            signedIn: sessionPerson(c, signing) !== null,
            providers: signing.providers.map((p) => ({ id: p.id, label: p.label })),
          }
        : undefined;
    return c.html(<PetitionPage site={site} row={row} responses={responses} agree={agree} />);
  });

  app.get('/about/data', (c) => c.html(<DataAboutPage site={site} />));
  if (signing) registerSigningRoutes(app, site, signing);

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/') && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json(
        apiError('method_not_allowed', `${c.req.method} is not allowed here; the API is read-only.`),
        405,
      );
    }
    if (c.req.path.startsWith('/api/'))
      return c.json(apiError('not_found', `No API resource at ${c.req.path}.`), 404);
    return c.html(
      <ErrorPage site={site} status={404} code="not_found" message="요청하신 페이지가 없습니다." />,
      404,
    );
  });

  app.onError((error, c) => {
    if (error instanceof DomainError) {
      const status = HTTP_STATUS[error.code];
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      const json =
        c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
      if (json) return c.json(apiError(error.code, error.message, error.details), status);
      return c.html(
        <ErrorPage site={site} status={status} code={error.code} message={error.message} />,
        status,
      );
    }
    console.error(error);
    return c.text('Internal Server Error', 500);
  });

  async function renderList(
    c: Context,
    q: ListQuery,
    view: { heading: string; path: string; defaultSort: PetitionSort },
  ) {
    const query = toPetitionListQuery(q, view.defaultSort);
    const page = await listPetitions(site.db, query);
    const href = (overrides: Record<string, string | number>) => {
      const params = new URLSearchParams();
      if (q.q) params.set('q', q.q);
      if (q.state) params.set('state', q.state);
      if (q.answered) params.set('answered', q.answered);
      if (q.sort) params.set('sort', q.sort);
      if (q.per_page !== 20) params.set('per_page', String(q.per_page));
      for (const [k, v] of Object.entries(overrides)) params.set(k, String(v));
      if (overrides.sort !== undefined) params.delete('page');
      const s = params.toString();
      return s ? `${view.path}?${s}` : view.path;
    };
    const sorts: Array<[PetitionSort, string]> = q.q
      ? [['relevance', '관련도 순'], ...SORT_LABELS]
      : SORT_LABELS;
    const notes: string[] = [];
    if (query.titlesOnly)
      notes.push(`${MIN_BODY_SEARCH_LENGTH}글자보다 짧은 검색어는 청원 제목에서만 찾습니다.`);
    if (query.sort === 'closing') notes.push('마감 임박 순에는 동의를 받고 있는 청원만 나옵니다.');
    return c.html(
      <ListPage
        site={site}
        heading={view.heading}
        query={q.q}
        rows={page.rows}
        total={page.total}
        page={q.page}
        perPage={q.per_page}
        href={(p) => href({ page: p })}
        sortLinks={sorts.map(([sort, label]) => ({
          label,
          href: href({ sort }),
          current: query.sort === sort,
        }))}
        notes={notes}
        empty={
          page.total > 0
            ? '이 페이지에는 청원이 없습니다. 첫 페이지로 돌아가십시오.'
            : q.q
              ? '검색 결과가 없습니다. 다른 낱말로 찾아보십시오.'
              : '청원이 없습니다.'
        }
      />,
    );
  }

  return app;
}

/**
 * Refuses URLs whose percent-encoding is not valid UTF-8 (e.g. `?q=%FF`) with 400 `invalid_parameter`, instead of
 * letting the raw escape through as if it were text.
 */
const rejectMalformedUrls: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  try {
    decodeURIComponent(url.slice(url.indexOf('/', url.indexOf('//') + 2)).replace(/\+/g, ' '));
  } catch {
    throw new DomainError(
      'invalid_parameter',
      c.req.path.startsWith('/api/')
        ? 'The URL contains percent-encoded bytes that are not valid UTF-8.'
        : '주소에 올바르지 않은 문자 인코딩이 있습니다 (UTF-8이 아닙니다).',
    );
  }
  await next();
};

/**
 * Parses list parameters from a page URL; unknown parameters (utm_source, fbclid…) are ignored.
 * @throws DomainError('invalid_parameter') naming each bad parameter in Korean
 */
function parseListQuery(c: Context): ListQuery {
  const parsed = pageQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const { messageKo, fields } = describeIssues(parsed.error);
    throw new DomainError('invalid_parameter', `잘못된 요청입니다: ${messageKo}`, { fields });
  }
  return parsed.data;
}
