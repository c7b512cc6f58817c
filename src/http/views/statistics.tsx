/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatNumber, t } from '../../i18n/index.js';
import type { PetitionStatistics } from '../../repositories/statistics.js';
import type { PageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { HorizontalBarChart } from './charts.js';
import { stateLabel } from './components.js';
import { Layout } from './layout.js';

/**
 * The statistics page: public petitions by category and by state, the answer track (answered, awaiting, overdue),
 * and the largest petitions. Each figure is drawn (server-side SVG) with its data as a table.
 */
export function StatisticsPage(props: { site: Site; page: PageContext; stats: PetitionStatistics }) {
  const { site, page, stats } = props;
  const { locale } = page;
  const n = (v: number) => formatNumber(locale, v);
  const profile = site.profile(site.deploymentProfile);
  const categoryName = (code: string | null) =>
    code === null ? t(locale, 'stats.noCategory') : profile.categoryName(code, locale);
  const largestCategory = stats.byCategory[0];
  // every part of the whole: the petitions that owed no answer too, so answered petitions are seen as the share
  // they are (a chart of the answered alone was one full-width bar)
  const answerRows = [
    { name: t(locale, 'response.answered'), count: stats.responses.answered },
    { name: t(locale, 'response.awaiting'), count: stats.responses.awaiting - stats.responses.overdue },
    { name: t(locale, 'stats.overdue'), count: stats.responses.overdue },
    {
      name: t(locale, 'stats.noAnswerDue'),
      count: stats.responses.none,
    },
  ];
  return (
    <Layout
      title={t(locale, 'stats.title')}
      categories={site.categories(locale)}
      locale={locale}
      url={page.url}
    >
      <h1>{t(locale, 'stats.title')}</h1>
      <p>{t(locale, 'stats.intro', { total: stats.total })}</p>
      <HorizontalBarChart
        id="stats-categories"
        whole={stats.total}
        rows={stats.byCategory.map((c) => ({ name: categoryName(c.category), count: c.petitions }))}
        text={{
          title: t(locale, 'stats.byCategory'),
          summary: t(locale, 'stats.byCategorySummary', {
            categories: stats.byCategory.length,
            largest: largestCategory ? categoryName(largestCategory.category) : '—',
            count: largestCategory?.petitions ?? 0,
          }),
          columns: [t(locale, 'stats.category'), t(locale, 'stats.petitions')],
          formatNumber: n,
          tableLabel: t(locale, 'chart.tableLabel'),
        }}
      />
      <HorizontalBarChart
        id="stats-states"
        whole={stats.total}
        rows={stats.byState.map((s) => ({ name: stateLabel(locale, s.state), count: s.petitions }))}
        text={{
          title: t(locale, 'stats.byState'),
          summary: stats.byState.map((s) => `${stateLabel(locale, s.state)} ${n(s.petitions)}`).join(', '),
          columns: [t(locale, 'stats.state'), t(locale, 'stats.petitions')],
          formatNumber: n,
          tableLabel: t(locale, 'chart.tableLabel'),
        }}
      />
      <HorizontalBarChart
        id="stats-answers"
        whole={stats.total}
        rows={answerRows}
        text={{
          title: t(locale, 'stats.answers'),
          summary: answerRows.map((r) => `${r.name} ${n(r.count)}`).join(', '),
          columns: [t(locale, 'stats.answerState'), t(locale, 'stats.petitions')],
          formatNumber: n,
          tableLabel: t(locale, 'chart.tableLabel'),
        }}
      />
      <section aria-labelledby="stats-largest">
        <h2 id="stats-largest">{t(locale, 'stats.largest')}</h2>
        <table class="stats-table">
          <thead>
            <tr>
              <th scope="col">{t(locale, 'stats.rank')}</th>
              <th scope="col">{t(locale, 'stats.petition')}</th>
              <th scope="col">{t(locale, 'stats.agreements')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.largest.map((p, i) => (
              <tr>
                <td>{n(i + 1)}</td>
                <th scope="row">
                  <a href={`/petitions/${p.id}`} lang={/[\uac00-\ud7a3]/.test(p.title) ? 'ko' : undefined}>
                    {p.title}
                  </a>
                </th>
                <td>{n(p.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
