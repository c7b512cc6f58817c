/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CategoryLink } from '../site.js';

export interface LayoutProps {
  title: string;
  /** Text searched, kept in the header's search box. */
  query?: string | undefined;
  categories: CategoryLink[];
  /** Extra <head> content (Open Graph etc.). */
  head?: Child;
  children?: Child;
}

/** Page frame: header with search, category navigation, main content, footer with data attribution. */
export function Layout(props: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} | 청원`}</title>
          <link rel="stylesheet" href="/assets/style.css" />
          {props.head}
        </head>
        <body>
          <a class="skip-link" href="#main">
            본문 바로가기
          </a>
          <header class="site-header">
            <div class="container header-row">
              <a class="brand" href="/">
                청원 <span class="brand-sub">Cheongwon</span>
              </a>
              {/* biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the landmark pattern screen readers know; <search> is too new */}
              <form class="search" role="search" action="/search" method="get">
                <label for="search-q" class="visually-hidden">
                  청원 검색
                </label>
                <input
                  id="search-q"
                  type="search"
                  name="q"
                  value={props.query ?? ''}
                  maxlength={100}
                  placeholder="청원 검색 (예: n번방)"
                />
                <button type="submit">검색</button>
              </form>
            </div>
            <nav class="container categories" aria-label="분야">
              <ul>
                <li>
                  <a href="/petitions">전체</a>
                </li>
                {props.categories.map((c) => (
                  <li>
                    <a href={`/categories/${c.code}`}>{c.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <main id="main" class="container">
            {props.children}
          </main>
          <footer class="site-footer">
            <div class="container">
              <p>
                청원(Cheongwon)은 누구나 청원하고, 한 사람이 한 번 동의하며, 집계를 공개적으로 검증할 수 있는
                열린 전자청원 플랫폼입니다.
              </p>
              <p>
                보관 자료 출처: 청와대 국민청원 (www1.president.go.kr/petitions), 국회 국민동의청원, UK
                Parliament petitions (Contains Parliamentary information licensed under the Open Parliament
                Licence v3.0). <a href="/about/data">자료 출처와 이용 조건</a>
              </p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
