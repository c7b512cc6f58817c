/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { PUBLIC_AGREEMENT_STATES, takesAgreement } from '../../domain/admission.js';
import { DomainError } from '../../domain/errors.js';
import { publicRejectionText, withheldReason } from '../../domain/moderation.js';
import { hasPublicPage, inGroup, PUBLIC_STATES } from '../../domain/petition-states.js';
import { PRE_PUBLICATION_PAGE_STATES, type PublicList } from '../../domain/public-lists.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { CATALOGS, formatList, type MessageKey, t } from '../../i18n/index.js';
import { listPublicStatements } from '../../repositories/invalidations.js';
import { loadModerationSettings } from '../../repositories/moderation-settings.js';
import {
  agreementsByDay,
  agreementsByRegion,
  archivedAreaCounts,
  type DayCount,
  type RegionCount,
} from '../../repositories/open-data.js';
import {
  findArchivedPetition,
  findPublicPetition,
  listPetitions,
  type PetitionSort,
  rejectionOf,
  responsesForPetition,
} from '../../repositories/petitions.js';
import { responseExtras } from '../../repositories/responses.js';
import { type PetitionStatistics, petitionStatistics } from '../../repositories/statistics.js';
import { debateOutcome, scheduledDebateOn, trackEvents } from '../../repositories/tracks.js';
import { HTTP_STATUS } from '../errors.js';
import {
  describeIssues,
  type ListQuery,
  MIN_BODY_SEARCH_LENGTH,
  pageQuerySchema,
  toPetitionListQuery,
} from '../list-query.js';
import { type PageContext, pageContext } from '../middleware/locale.js';
import { sessionPerson } from '../middleware/session.js';
import { SharedCache } from '../shared-cache.js';
import type { SigningContext } from '../signing/routes.js';
import type { Site } from '../site.js';
import { DataAboutPage, HomePage, ListPage } from '../views/lists.js';
import { PetitionPage } from '../views/petition.js';
import { PrePublicationPage } from '../views/pre-publication.js';
import { StatisticsPage } from '../views/statistics.js';

/** The orders a list page offers, with their labels' message keys. */
/** The heading of each public list (domain/public-lists.ts). */
const LIST_HEADINGS: Record<PublicList, MessageKey> = {
  open: 'list.open',
  closed: 'state.closed',
  rejected: 'list.rejected',
  awaiting_response: 'list.awaitingResponse',
  with_response: 'list.withResponse',
  awaiting_debate: 'list.awaitingDebate',
  debate_scheduled: 'list.debateScheduled',
  debated: 'list.debated',
  not_debated: 'list.notDebated',
};

const SORT_LABELS: Array<[PetitionSort, MessageKey]> = [
  ['agreements', 'sort.agreements'],
  ['newest', 'sort.newest'],
  ['closing', 'sort.closing'],
];

/**
 * Mounts the public pages: home, petition lists (all, by category, search), the petition page (shared by visitors
 * through `site.pages`), statistics and the page about open data. Reads only: each route parses, calls one read,
 * presents.
 * @param signing the signing path, when the site takes agreements (the petition page then shows the form)
 */
export function registerPublicPages(app: Hono, site: Site, signing: SigningContext | undefined): void {
  app.get('/', async (c) => {
    const list = (sort: PetitionSort, extra: { answered?: boolean } = {}) =>
      listPetitions(site.db, { states: PUBLIC_STATES, ...extra, sort, page: 1, perPage: 5 }).then(
        (p) => p.rows,
      );
    const [mostAgreed, endingSoon, newest, answered] = await Promise.all([
      list('agreements'),
      listPetitions(site.db, { states: PUBLIC_AGREEMENT_STATES, sort: 'closing', page: 1, perPage: 5 }).then(
        (p) => p.rows,
      ),
      list('newest'),
      list('answered', { answered: true }),
    ]);
    const page = pageContext(c);
    return c.html(<HomePage site={site} page={page} lists={{ mostAgreed, endingSoon, newest, answered }} />);
  });

  app.get('/petitions', async (c) => {
    const q = parseListQuery(c);
    const heading = t(
      c.var.locale,
      q.answered === 'true' ? 'list.answered' : q.state ? LIST_HEADINGS[q.state] : 'list.all',
    );
    return renderList(c, q, { heading, path: '/petitions', defaultSort: 'agreements' });
  });

  app.get('/categories/:code', async (c) => {
    const code = c.req.param('code');
    const name = site.categories(c.var.locale).find((cat) => cat.code === code)?.name;
    if (!name) throw new DomainError('not_found', t(c.var.locale, 'errorPage.noSuchCategory'));
    const q = { ...parseListQuery(c), category: code };
    return renderList(c, q, {
      heading: t(c.var.locale, 'list.category', { name }),
      path: `/categories/${code}`,
      defaultSort: 'agreements',
    });
  });

  app.get('/search', async (c) => {
    const parsed = pageQuerySchema.safeParse(c.req.query());
    /** The search page with no results to show: an empty form, or a refused search text said under the box. */
    const noResults = (perPage: number, empty: string, searchError?: { code: string; message: string }) => {
      const page = pageContext(c);
      // a refused text stays in the box to be corrected (control characters dropped, at most 200 characters)
      const typed = searchError
        ? [...(c.req.query('q') ?? '')]
            .filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x20 && ch !== '\u007f')
            .slice(0, 200)
            .join('')
        : undefined;
      return c.html(
        <ListPage
          site={site}
          page={page}
          query={typed}
          heading={t(page.locale, 'list.search')}
          rows={[]}
          total={0}
          pageNumber={1}
          perPage={perPage}
          href={() => '/search'}
          empty={empty}
          searchError={searchError}
        />,
        searchError ? HTTP_STATUS.invalid_parameter : 200,
      );
    };
    if (!parsed.success && parsed.error.issues.some((issue) => issue.path[0] === 'q')) {
      // a refused search text is a form error: said under the search box and tied to it, not a bare error page
      return noResults(20, '', { code: 'invalid_parameter', message: t(c.var.locale, 'list.searchInvalid') });
    }
    const q = parseListQuery(c);
    if (!q.q) return noResults(q.per_page, t(c.var.locale, 'list.emptyNoQuery'));
    const heading = t(c.var.locale, 'list.searchResults', { query: q.q });
    return renderList(c, q, { heading, path: '/search', defaultSort: 'relevance' });
  });

  // Agreements by day and by region scan a petition's agreement rows (two million for the largest of 2020): each app
  // server computes them at most every 30 s per petition, however many people open the page during a surge.
  const series = new SharedCache<{ byDay: DayCount[]; byRegion: RegionCount[] }>({ ttlMs: 30_000 });
  const agreementSeries = (id: string, profile: string) =>
    series.get(id, async () => {
      const [byDay, byRegion] = await Promise.all([
        agreementsByDay(site.db, id, site.profile(profile).timeZone),
        agreementsByRegion(site.db, id),
      ]);
      return { byDay, byRegion };
    });

  app.get('/petitions/:id', async (c) => {
    const id = c.req.param('id');
    if (!isRecordNumber(id))
      throw new DomainError('invalid_parameter', t(c.var.locale, 'errorPage.petitionNumber'));
    const page = pageContext(c);
    const signedIn = signing ? sessionPerson(c, signing) !== null : false;
    const publicUrl = site.publicUrl ?? new URL(c.req.url).origin;
    const render = () => renderPetitionPage(id, page, signedIn, publicUrl);
    // a page with a query string (?lang=en, tracking parameters) is rendered for its request alone
    const shared = !c.req.url.includes('?');
    return c.html(
      shared
        ? await site.pages.get(`${id} ${page.locale} ${signedIn} ${publicUrl}`, id, render)
        : await render(),
    );
  });

  /**
   * The petition page's HTML: everything in it follows from the petition's data and the arguments, so it may be
   * shared by every visitor with the same arguments (`site.pages`).
   * @throws DomainError('petition_not_found') for petitions the public may not see
   */
  const renderPetitionPage = async (
    id: string,
    page: PageContext,
    signedIn: boolean,
    publicUrl: string,
  ): Promise<string> => {
    const found = await findPublicPetition(site.db, id);
    if (found && inGroup(PRE_PUBLICATION_PAGE_STATES, found.state)) {
      // gathering support / awaiting moderation: the count and the moderation delay, never the unchecked text
      const settings = await loadModerationSettings(site.db, found.profile);
      const html = (
        <PrePublicationPage
          site={site}
          page={page}
          row={found}
          threshold={site.profile(found.profile).settings.preAgreementThreshold}
          reviewDays={settings.reviewTargetDays}
        />
      ).toString();
      return String(await html);
    }
    // rejected petitions stay reachable by their number to show the public reason (never their text)
    if (!found || !hasPublicPage(found.state)) {
      throw new DomainError('petition_not_found', t(page.locale, 'errorPage.noSuchPetition', { id }));
    }
    const row =
      found.state === 'rejected'
        ? {
            ...found,
            rejection_reason: publicRejectionText(
              found.rejection_reason,
              await rejectionOf(site.db, found.id),
              page.locale,
            ),
          }
        : found;
    const tracks =
      site.profile(row.profile).profile.tracks.length > 0
        ? await Promise.all([
            trackEvents(site.db, row.id),
            debateOutcome(site.db, row.id),
            scheduledDebateOn(site.db, row.id),
          ]).then(([events, outcome, scheduledOn]) => ({ events, outcome, scheduledOn }))
        : undefined;
    const [withheld, responses, invalidations] = await Promise.all([
      loadModerationSettings(site.db, row.profile).then((settings) => withheldReason(settings, row.category)),
      responsesForPetition(site.db, row.id),
      listPublicStatements(site.db, row.id),
    ]);
    const extras = await responseExtras(
      site.db,
      row.id,
      responses.map((r) => r.id),
    );
    const collecting = withheld === null && takesAgreement(row, false, site.now());
    const agree = signing && collecting ? { signedIn, providers: signing.providers } : undefined;
    const series =
      row.agreement_count > 0 && !withheld ? await agreementSeries(row.id, row.profile) : undefined;
    // an archived petition's per-area counts are the aggregates its source published (UK), not agreement rows
    const areaCounts =
      row.archived_agreement_count !== null && !withheld
        ? await archivedAreaCounts(site.db, row.id)
        : undefined;
    const html = (
      <PetitionPage
        site={site}
        page={page}
        row={row}
        responses={responses}
        responseExtras={extras}
        agree={agree}
        withheld={withheld}
        byDay={series?.byDay}
        byRegion={series?.byRegion}
        areaCounts={areaCounts}
        publicUrl={publicUrl}
        invalidations={invalidations}
        tracks={tracks}
      />
    ).toString();
    return String(await html);
  };

  // Old-style links to an archived petition by the number it had on its source (news, papers, the board's own
  // links: /archive/cwd/586819): moved permanently to the petition's page here; unknown ones are the 404 page.
  app.get('/archive/:source/:sourceId', async (c) => {
    const { source, sourceId } = c.req.param();
    const row =
      /^[a-z][a-z-]{0,19}$/.test(source) && /^[A-Za-z0-9._-]{1,64}$/.test(sourceId)
        ? await findArchivedPetition(site.db, source, sourceId)
        : undefined;
    if (!row || !hasPublicPage(row.state)) {
      throw new DomainError(
        'petition_not_found',
        t(c.var.locale, 'errorPage.noSuchPetition', { id: `${source}/${sourceId}` }),
      );
    }
    return c.redirect(`/petitions/${row.id}`, 301);
  });

  app.get('/about/data', (c) => c.html(<DataAboutPage site={site} page={pageContext(c)} />));
  // figures over every public petition: three aggregate queries, computed at most once a minute per app server
  const statistics = new SharedCache<PetitionStatistics>({ ttlMs: 60_000 });
  app.get('/statistics', async (c) => {
    const stats = await statistics.get('all', () => petitionStatistics(site.db, site.now()));
    return c.html(<StatisticsPage site={site} page={pageContext(c)} stats={stats} />);
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
    const pageCtx = pageContext(c);
    const { locale } = pageCtx;
    const sorts: Array<[PetitionSort, MessageKey]> = q.q
      ? [['relevance', 'sort.relevance'], ...SORT_LABELS]
      : SORT_LABELS;
    const notes: string[] = [];
    if (query.titlesOnly) notes.push(t(locale, 'list.noteTitlesOnly', { min: MIN_BODY_SEARCH_LENGTH }));
    if (query.sort === 'closing') notes.push(t(locale, 'list.noteClosing'));
    if (page.totalIsLowerBound) notes.push(t(locale, 'list.noteCapped', { count: page.total }));
    return c.html(
      <ListPage
        site={site}
        page={pageCtx}
        heading={view.heading}
        query={q.q}
        rows={page.rows}
        total={page.total}
        totalIsLowerBound={page.totalIsLowerBound}
        pageNumber={q.page}
        perPage={q.per_page}
        href={(p) => href({ page: p })}
        sortLinks={sorts.map(([sort, label]) => ({
          label: t(locale, label),
          href: href({ sort }),
          current: query.sort === sort,
        }))}
        notes={notes}
        empty={t(
          locale,
          page.total > 0 ? 'list.emptyPastEnd' : q.q ? 'list.emptyNoResults' : 'list.emptyNone',
        )}
      />,
    );
  }
}

/**
 * Parses list parameters from a page URL; unknown parameters (utm_source, fbclid…) are ignored.
 * @throws DomainError('invalid_parameter') naming each bad parameter in the page's language
 */
function parseListQuery(c: Context): ListQuery {
  const parsed = pageQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const { fields } = describeIssues(parsed.error);
    const locale = c.var.locale;
    const names = Object.keys(fields).map((k) => {
      const key = `parameter.${k}`;
      return `‘${key in CATALOGS[locale] ? t(locale, key as MessageKey) : k}’`;
    });
    throw new DomainError(
      'invalid_parameter',
      t(locale, 'errorPage.badParameters', { names: formatList(locale, names) }),
      { fields },
    );
  }
  return parsed.data;
}
