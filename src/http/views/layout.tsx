/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { getContext } from 'hono/context-storage';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { DEFAULT_LOCALE, type Locale, otherLocale, t } from '../../i18n/index.js';
import { siteAssets } from '../assets.js';
import { withLanguage } from '../middleware/locale.js';
import type { CategoryLink } from '../site.js';

export interface LayoutProps {
  title: string;
  /** Text searched, kept in the header's search box. */
  query?: string | undefined;
  /** Why the search text was refused: shown under the search box, announced, and tied to it (aria-describedby). */
  searchError?: string | undefined;
  categories: CategoryLink[];
  /** Language of the page (`<html lang>`, the frame's texts); default Korean, for pages not yet translated. */
  locale?: Locale;
  /** This page's path and query, for the switch to the same page in the other language (default: the home page). */
  url?: string;
  /** What the page is, in a sentence (`<meta name="description">`); default: the site's own description. */
  description?: string | undefined;
  /** Extra <head> content (Open Graph etc.). */
  head?: Child;
  children?: Child;
}

/**
 * Page frame on KRDS (the Korean government design system, `krds-uiux`): skip link, header with the site's name,
 * the language switch, search and category navigation, the main content, and a footer with data attribution.
 * No government banner (KRDS masthead "이 누리집은 대한민국 공식 전자정부 누리집입니다"): Cheongwon is an open
 * platform that anyone may deploy, and that banner is reserved to official government sites — claiming it would
 * teach people to trust look-alikes.
 */
export function Layout(props: LayoutProps) {
  const locale = props.locale ?? DEFAULT_LOCALE;
  const other = otherLocale(locale);
  const m = (key: Parameters<typeof t>[1]) => t(locale, key);
  const here = props.url ?? '/';
  const origin = requestOrigin();
  const assets = siteAssets();
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{t(locale, 'site.documentTitle', { title: props.title })}</title>
          <meta name="description" content={props.description ?? m('site.description')} />
          <link rel="stylesheet" href={assets.stylesheetUrl} />
          <link rel="canonical" href={`${origin}${canonicalUrl(here)}`} />
          <link rel="alternate" hreflang="ko" href={`${origin}${withLanguage(canonicalPath(here), 'ko')}`} />
          <link rel="alternate" hreflang="en" href={`${origin}${withLanguage(canonicalPath(here), 'en')}`} />
          <link rel="alternate" hreflang="x-default" href={`${origin}${canonicalPath(here)}`} />
          <link rel="icon" href="/favicon.ico" sizes="32x32" />
          <link rel="icon" href={assets.icons.svg} type="image/svg+xml" />
          <link rel="apple-touch-icon" href={assets.icons.png} />
          <link rel="manifest" href={assets.icons.manifest} />
          <meta name="theme-color" content="#256ef4" />
          {props.head}
        </head>
        <body>
          <div id="krds-skip-link">
            <a href="#main">{m('layout.skipLink')}</a>
          </div>
          <header class="site-header">
            <div class="container header-top">
              <a class="brand" href="/">
                <span class="brand-name">{m('site.name')}</span>
                <span class="brand-tagline">{m('site.tagline')}</span>
              </a>
              <a class="krds-btn small primary start-petition" href="/petitions/new">
                {m('layout.startPetition')}
              </a>
              <a
                class="krds-btn small tertiary lang-switch"
                href={withLanguage(here, other)}
                hreflang={other}
                lang={other}
                aria-label={m('layout.languageSwitchLabel')}
              >
                {m('layout.languageSwitch')}
              </a>
            </div>
            <div class="container header-search">
              {/* biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the landmark pattern screen readers know; <search> is too new */}
              <form class="search" role="search" action="/search" method="get">
                <label for="search-q" class="sr-only">
                  {m('layout.searchLabel')}
                </label>
                <input
                  id="search-q"
                  class="krds-input medium"
                  type="search"
                  name="q"
                  value={props.query ?? ''}
                  maxlength={100}
                  placeholder={m('layout.searchPlaceholder')}
                  aria-invalid={props.searchError ? 'true' : undefined}
                  aria-describedby={props.searchError ? 'search-q-error' : undefined}
                />
                <button type="submit" class="krds-btn medium primary">
                  {m('layout.searchButton')}
                </button>
              </form>
              {props.searchError ? (
                <p id="search-q-error" class="form-hint search-error" role="alert">
                  {props.searchError}
                </p>
              ) : null}
            </div>
            <nav class="container categories" aria-label={m('layout.categoriesNav')}>
              <ul class="krds-tag-wrap small">
                <li>
                  <a class="krds-btn-tag link" href="/petitions">
                    {m('layout.allPetitions')}
                  </a>
                </li>
                {props.categories.map((c) => (
                  <li>
                    <a class="krds-btn-tag link" href={`/categories/${c.code}`}>
                      {c.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <main id="main" class="container" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">
            <div class="container">
              <p>{m('layout.footerAbout')}</p>
              <p>{m('layout.footerSources')}</p>
              <ul class="footer-links">
                <li>
                  <a href="/about/data">{m('layout.footerSourcesLink')}</a>
                </li>
                <li>
                  <a href="/statistics">{m('layout.statistics')}</a>
                </li>
                <li>
                  <a href="/api/v1/openapi.json">{m('layout.footerOpenData')}</a>
                </li>
              </ul>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

/**
 * The origin links in `<head>` are made absolute with (canonical, hreflang): PUBLIC_URL's when the deployment set
 * it, else the request's own (the app sets `publicOrigin` for every request; see `createApp`). Empty outside a
 * request (a view rendered by a unit test), which leaves the links relative.
 */
function requestOrigin(): string {
  try {
    return getContext().var.publicOrigin ?? '';
  } catch {
    return '';
  }
}

/** `url` without the `lang` parameter. */
function canonicalPath(url: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.delete('lang');
  const rest = params.toString();
  return rest ? `${path}?${rest}` : path;
}

/**
 * The page's canonical address: its path and query without parameters other than `lang`, kept as asked — so a page
 * asked with `?lang=en` is its English address, and one asked without is the default (`x-default`) address.
 */
function canonicalUrl(url: string): string {
  const lang = new URLSearchParams(url.split('?', 2)[1] ?? '').get('lang');
  const path = canonicalPath(url);
  return lang === 'ko' || lang === 'en' ? withLanguage(path, lang) : path;
}
