/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PetitionRow } from '../../db/schema.js';
import { type MessageKey, t } from '../../i18n/index.js';
import type { PageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { Pager, PetitionList } from './components.js';
import { Layout } from './layout.js';

export interface HomeLists {
  mostAgreed: PetitionRow[];
  newest: PetitionRow[];
  endingSoon: PetitionRow[];
  answered: PetitionRow[];
}

/** Home: the four lists a citizen looks at first, in the page's language. */
export function HomePage(props: { lists: HomeLists; site: Site; page: PageContext }) {
  const { lists, site, page } = props;
  const { locale } = page;
  const sections: Array<{
    id: string;
    title: MessageKey;
    more: MessageKey;
    rows: PetitionRow[];
    href: string;
    empty: MessageKey;
  }> = [
    {
      id: 'most',
      title: 'home.mostAgreed',
      more: 'home.moreMostAgreed',
      rows: lists.mostAgreed,
      href: '/petitions?sort=agreements',
      empty: 'home.emptyAny',
    },
    {
      id: 'ending',
      title: 'home.endingSoon',
      more: 'home.moreEndingSoon',
      rows: lists.endingSoon,
      href: '/petitions?state=open&sort=closing',
      empty: 'home.emptyOpen',
    },
    {
      id: 'newest',
      title: 'home.newest',
      more: 'home.moreNewest',
      rows: lists.newest,
      href: '/petitions?sort=newest',
      empty: 'home.emptyAny',
    },
    {
      id: 'answered',
      title: 'home.answered',
      more: 'home.moreAnswered',
      rows: lists.answered,
      href: '/petitions?answered=true&sort=answered',
      empty: 'home.emptyAnswered',
    },
  ];
  return (
    <Layout
      title={t(locale, 'home.title')}
      categories={site.categories(locale)}
      locale={locale}
      url={page.url}
    >
      <h1 class="sr-only">{t(locale, 'home.heading')}</h1>
      <div class="home-grid">
        {sections.map((s) => (
          <section aria-labelledby={`h-${s.id}`}>
            <h2 id={`h-${s.id}`}>{t(locale, s.title)}</h2>
            <PetitionList rows={s.rows} site={site} empty={t(locale, s.empty)} locale={locale} />
            <p class="more">
              <a class="krds-btn medium secondary" href={s.href}>
                {t(locale, s.more)}
              </a>
            </p>
          </section>
        ))}
      </div>
    </Layout>
  );
}

/** A paginated petition list under a heading (all petitions, a category, search results), in the page's language. */
export function ListPage(props: {
  site: Site;
  page: PageContext;
  heading: string;
  query?: string | undefined;
  rows: PetitionRow[];
  total: number;
  pageNumber: number;
  perPage: number;
  href: (page: number) => string;
  sortLinks?: Array<{ label: string; href: string; current: boolean }>;
  /** Short explanations shown above the list (how the search was done). */
  notes?: string[];
  empty: string;
  /** True when `total` is the search's count cap ("1,000+"), not the count. */
  totalIsLowerBound?: boolean;
  /** A refused search text: the message goes under the search box, tied to it, and the error code is shown. */
  searchError?: { code: string; message: string };
}) {
  const { locale } = props.page;
  return (
    <Layout
      title={props.heading}
      query={props.query}
      searchError={props.searchError?.message}
      categories={props.site.categories(locale)}
      locale={locale}
      url={props.page.url}
    >
      <h1>{props.heading}</h1>
      {props.searchError ? (
        <p class="error-code">
          {t(locale, 'errorPage.code')}: <code>{props.searchError.code}</code>
        </p>
      ) : null}
      <div class="list-toolbar">
        <p class="result-count" role="status">
          {t(locale, props.totalIsLowerBound ? 'list.totalAtLeast' : 'list.total', { count: props.total })}
        </p>
        {props.sortLinks ? (
          <nav class="sort" aria-label={t(locale, 'list.sortNav')}>
            <ul class="krds-tag-wrap small">
              {props.sortLinks.map((l) => (
                <li>
                  <a class="krds-btn-tag link" href={l.href} aria-current={l.current ? 'true' : undefined}>
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </div>
      {(props.notes ?? []).map((note) => (
        <p class="list-note">{note}</p>
      ))}
      <PetitionList rows={props.rows} site={props.site} empty={props.empty} locale={locale} />
      {props.rows.length === 0 && props.total > 0 && props.pageNumber > 1 ? (
        <p>
          <a href={props.href(1)}>{t(locale, 'list.firstPage')}</a>
        </p>
      ) : null}
      <Pager
        page={props.pageNumber}
        perPage={props.perPage}
        total={props.total}
        href={props.href}
        locale={locale}
      />
    </Layout>
  );
}

/** An error page with the same stable code the API gives; `message` is already in the page's language. */
export function ErrorPage(props: {
  site: Site;
  page: PageContext;
  status: number;
  code: string;
  message: string;
}) {
  const { locale } = props.page;
  const title = t(locale, props.status === 404 ? 'errorPage.notFound' : 'errorPage.other');
  return (
    <Layout title={title} categories={props.site.categories(locale)} locale={locale} url={props.page.url}>
      <h1>{title}</h1>
      <p class="error-message">{props.message}</p>
      <p class="error-code">
        {t(locale, 'errorPage.code')}: <code>{props.code}</code>
      </p>
      <p>
        <a class="krds-btn medium secondary" href="/">
          {t(locale, 'errorPage.home')}
        </a>
      </p>
    </Layout>
  );
}

/** Where the archive comes from and under which terms it may be used. */
export function DataAboutPage(props: { site: Site; page: PageContext }) {
  const { locale } = props.page;
  const sources: MessageKey[] = [
    'about.sourceCheongwadae',
    'about.sourceCrawls',
    'about.sourceAssembly',
    'about.sourceUk',
    'about.sourceWtp',
  ];
  return (
    <Layout
      title={t(locale, 'about.title')}
      categories={props.site.categories(locale)}
      locale={locale}
      url={props.page.url}
    >
      <div class="prose">
        <h1>{t(locale, 'about.title')}</h1>
        <p>{t(locale, 'about.intro')}</p>
        <ul>
          {sources.map((key) => (
            <li>{t(locale, key)}</li>
          ))}
        </ul>
        <p>{t(locale, 'about.notice')}</p>
      </div>
    </Layout>
  );
}
