/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
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
import { describeIssues, type ListQuery, listQuerySchema, PUBLIC_LIST_STATES } from './list-query.js';
import { DataAboutPage, ErrorPage, HomePage, ListPage } from './pages/lists.js';
import { PetitionPage } from './pages/petition.js';
import type { Site } from './site.js';

// Read from src/ in both layouts: src/http/app.tsx and the compiled dist/http/app.js sit two levels below the root.
const stylesheet = readFileSync(new URL('../../src/http/assets/style.css', import.meta.url), 'utf8');

const SORT_LABELS: Array<[PetitionSort, string]> = [
  ['agreements', '동의 많은 순'],
  ['newest', '최신 순'],
  ['closing', '마감 임박 순'],
];

/**
 * The whole web application: public pages (server-rendered HTML, Korean, no JavaScript needed) and the read API
 * under /api/v1. Routes stay thin: parse, call a repository, present.
 */
export function createApp(site: Site): Hono {
  const app = new Hono();
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } }));

  app.use(rejectMalformedUrls);
  app.route('/api/v1', apiV1(site));

  app.get('/assets/style.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(stylesheet);
  });
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/', async (c) => {
    const list = (sort: PetitionSort, extra: { states?: readonly string[]; responseState?: string } = {}) =>
      listPetitions(site.db, {
        states: extra.states ?? PUBLIC_LIST_STATES,
        responseState: extra.responseState,
        sort,
        page: 1,
        perPage: 5,
      }).then((p) => p.rows);
    const [mostAgreed, endingSoon, newest, answered] = await Promise.all([
      list('agreements'),
      list('closing', { states: ['open'] }),
      list('newest'),
      list('answered', { responseState: 'answered' }),
    ]);
    return c.html(<HomePage site={site} lists={{ mostAgreed, endingSoon, newest, answered }} />);
  });

  app.get('/petitions', async (c) => {
    const q = parseListQuery(c);
    const sort = q.sort ?? 'agreements';
    return renderList(c, q, {
      heading: q.answered === 'true' ? '답변 완료 청원' : '전체 청원',
      path: '/petitions',
      sort,
    });
  });

  app.get('/categories/:code', async (c) => {
    const code = c.req.param('code');
    const name = site.categories().find((cat) => cat.code === code)?.name;
    if (!name) throw new DomainError('not_found', '그런 분야가 없습니다.');
    const q = { ...parseListQuery(c), category: code };
    return renderList(c, q, {
      heading: `${name} 분야 청원`,
      path: `/categories/${code}`,
      sort: q.sort ?? 'agreements',
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
    return renderList(c, q, { heading: `‘${q.q}’ 검색 결과`, path: '/search', sort: q.sort ?? 'relevance' });
  });

  app.get('/petitions/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[1-9][0-9]{0,15}$/.test(id))
      throw new DomainError('invalid_parameter', '청원 번호는 숫자여야 합니다.');
    const row = await findPetition(site.db, id);
    if (!row || !(PUBLIC_LIST_STATES as readonly string[]).includes(row.state)) {
      throw new DomainError('petition_not_found', `${id}번 청원을 찾을 수 없습니다.`);
    }
    const responses = await responsesForPetition(site.db, row.id);
    return c.html(<PetitionPage site={site} row={row} responses={responses} />);
  });

  app.get('/about/data', (c) => c.html(<DataAboutPage site={site} />));

  app.notFound((c) => {
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
      if (c.req.path.startsWith('/api/'))
        return c.json(apiError(error.code, error.message, error.details), status);
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
    view: { heading: string; path: string; sort: PetitionSort },
  ) {
    const page = await listPetitions(site.db, {
      states: q.state ? [q.state] : PUBLIC_LIST_STATES,
      category: q.category,
      text: q.q || undefined,
      responseState: q.answered === 'true' ? 'answered' : undefined,
      sort: view.sort,
      page: q.page,
      perPage: q.per_page,
    });
    const href = (overrides: Record<string, string | number>) => {
      const params = new URLSearchParams();
      if (q.q) params.set('q', q.q);
      if (q.state) params.set('state', q.state);
      if (q.answered) params.set('answered', q.answered);
      if (q.sort) params.set('sort', q.sort);
      if (q.per_page !== 20) params.set('per_page', String(q.per_page));
      for (const [k, v] of Object.entries(overrides)) params.set(k, String(v));
      params.delete('category');
      const s = params.toString();
      return s ? `${view.path}?${s}` : view.path;
    };
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
        sortLinks={SORT_LABELS.map(([sort, label]) => ({
          label,
          href: href({ sort }),
          current: view.sort === sort,
        }))}
        empty={q.q ? '검색 결과가 없습니다. 다른 낱말로 찾아보십시오.' : '청원이 없습니다.'}
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
      '주소에 올바르지 않은 문자 인코딩이 있습니다 (UTF-8이 아닙니다).',
    );
  }
  await next();
};

/** Parses list parameters from the URL. @throws DomainError('invalid_parameter') naming each bad parameter */
function parseListQuery(c: Context): ListQuery {
  const parsed = listQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    throw new DomainError('invalid_parameter', `잘못된 요청입니다: ${message}`, { fields });
  }
  return parsed.data;
}
