/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PetitionRow } from '../../db/schema.js';
import { formatNumber } from '../format.js';
import type { Site } from '../site.js';
import { Pager, PetitionList } from './components.js';
import { Layout } from './layout.js';

export interface HomeLists {
  mostAgreed: PetitionRow[];
  newest: PetitionRow[];
  endingSoon: PetitionRow[];
  answered: PetitionRow[];
}

/** Home: the four lists a citizen looks at first. */
export function HomePage(props: { lists: HomeLists; site: Site }) {
  const { lists, site } = props;
  const sections: Array<{ id: string; title: string; rows: PetitionRow[]; more: string; empty: string }> = [
    {
      id: 'most',
      title: '최다 동의 청원',
      rows: lists.mostAgreed,
      more: '/petitions?sort=agreements',
      empty: '청원이 없습니다.',
    },
    {
      id: 'ending',
      title: '마감 임박 청원',
      rows: lists.endingSoon,
      more: '/petitions?state=open&sort=closing',
      empty: '지금 동의를 받고 있는 청원이 없습니다.',
    },
    {
      id: 'newest',
      title: '최신 청원',
      rows: lists.newest,
      more: '/petitions?sort=newest',
      empty: '청원이 없습니다.',
    },
    {
      id: 'answered',
      title: '답변 완료 청원',
      rows: lists.answered,
      more: '/petitions?answered=true&sort=answered',
      empty: '답변이 완료된 청원이 없습니다.',
    },
  ];
  return (
    <Layout title="국민청원" categories={site.categories()}>
      <h1 class="visually-hidden">청원 홈</h1>
      <div class="home-grid">
        {sections.map((s) => (
          <section aria-labelledby={`h-${s.id}`}>
            <h2 id={`h-${s.id}`}>{s.title}</h2>
            <PetitionList rows={s.rows} site={site} empty={s.empty} />
            <p class="more">
              <a href={s.more}>{s.title} 더 보기</a>
            </p>
          </section>
        ))}
      </div>
    </Layout>
  );
}

/** A paginated petition list under a heading (all petitions, a category, search results). */
export function ListPage(props: {
  site: Site;
  heading: string;
  query?: string | undefined;
  rows: PetitionRow[];
  total: number;
  page: number;
  perPage: number;
  href: (page: number) => string;
  sortLinks?: Array<{ label: string; href: string; current: boolean }>;
  /** Short explanations shown above the list (how the search was done). */
  notes?: string[];
  empty: string;
}) {
  return (
    <Layout title={props.heading} query={props.query} categories={props.site.categories()}>
      <h1>{props.heading}</h1>
      <p class="result-count" role="status">
        {formatNumber(props.total)}건
      </p>
      {props.sortLinks ? (
        <nav class="sort" aria-label="정렬">
          {props.sortLinks.map((l) => (
            <a href={l.href} aria-current={l.current ? 'true' : undefined}>
              {l.label}
            </a>
          ))}
        </nav>
      ) : null}
      {(props.notes ?? []).map((note) => (
        <p class="list-note">{note}</p>
      ))}
      <PetitionList rows={props.rows} site={props.site} empty={props.empty} />
      <Pager page={props.page} perPage={props.perPage} total={props.total} href={props.href} />
    </Layout>
  );
}

/** An error page with the same stable code the API gives. */
export function ErrorPage(props: { site: Site; status: number; code: string; message: string }) {
  const title = props.status === 404 ? '찾을 수 없습니다' : '요청을 처리할 수 없습니다';
  return (
    <Layout title={title} categories={props.site.categories()}>
      <h1>{title}</h1>
      <p>{props.message}</p>
      <p class="error-code">
        오류 코드: <code>{props.code}</code>
      </p>
      <p>
        <a href="/">처음으로</a>
      </p>
    </Layout>
  );
}

/** Where the archive comes from and under which terms it may be used. */
export function DataAboutPage(props: { site: Site }) {
  return (
    <Layout title="자료 출처와 이용 조건" categories={props.site.categories()}>
      <h1>자료 출처와 이용 조건</h1>
      <p>
        이 사이트의 보관 청원은 공개된 과거 청원 게시판에서 수집된 자료입니다. 참여인원은 원 게시판의 최종
        집계이며 개별 동의 기록은 포함되어 있지 않습니다. 청원인과 동의한 사람의 신원은 어떤 자료에도 포함되어
        있지 않습니다.
      </p>
      <ul>
        <li>
          출처: 청와대 국민청원 (www1.president.go.kr/petitions). 청원 본문은 시민이 쓴 글이며, 정부 답변은
          공공저작물입니다.
        </li>
        <li>
          수집본: korkeep/BlueHouse (2020년 청원), lovit/petitions_archive (CC0 1.0),
          gyunggyung/National-Petition (답변 원문, Apache-2.0).
        </li>
        <li>국회 국민동의청원 (petitions.assembly.go.kr), 수집본 jeongkyu-im-git/petitions-assembly.</li>
        <li>
          UK Parliament petitions: Contains Parliamentary information licensed under the Open Parliament
          Licence v3.0.
        </li>
        <li>
          We the People: petitions.obamawhitehouse.archives.gov (Subramanian, Baldwin, Cohn, ACL 2018 자료).
        </li>
      </ul>
      <p>자세한 내용은 저장소의 NOTICE 파일을 보십시오.</p>
    </Layout>
  );
}
