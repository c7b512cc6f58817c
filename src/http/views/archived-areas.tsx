/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatNumber, type Locale, t } from '../../i18n/index.js';
import type { ArchivedAreaCount } from '../../repositories/open-data.js';
import { type ChartText, DataTable, HorizontalBarChart } from './charts.js';

type Message = Parameters<typeof t>[1];

/**
 * The signatures per area an archived petition's source published (UK: by region, by country, by constituency),
 * marked as imported aggregates: the regions as a bar chart (a dozen rows), countries and constituencies as tables
 * (largest first; up to 650 rows, folded under <details>). Nothing when the source published none.
 * @param total the petition's archived total (the denominator the source had at the time)
 * @param source the archive's display name ('UK Parliament petitions')
 */
export function ArchivedAreaCounts(props: {
  counts: ArchivedAreaCount[];
  total: number;
  source: string;
  locale: Locale;
}) {
  const { counts, locale } = props;
  if (counts.length === 0) return null;
  const m = (key: Message, values?: Parameters<typeof t>[2]) => t(locale, key, values);
  const n = (v: number) => formatNumber(locale, v);
  const of = (scope: ArchivedAreaCount['scope']) =>
    counts.filter((c) => c.scope === scope).sort((a, b) => b.count - a.count);
  const regions = of('region');
  const countries = of('country');
  const constituencies = of('constituency');
  const regionTotal = regions.reduce((a, r) => a + r.count, 0);
  const text = (over: Omit<ChartText, 'formatNumber' | 'tableLabel'>): ChartText => ({
    ...over,
    formatNumber: n,
    tableLabel: m('chart.tableLabel'),
  });
  return (
    <section class="archived-areas" aria-labelledby="archived-areas-heading" data-source="archive">
      <h2 id="archived-areas-heading">{m('petition.archivedAreas')}</h2>
      <p class="notice">{m('petition.archivedAreasNote', { source: props.source, total: props.total })}</p>
      {regions.length > 0 ? (
        <HorizontalBarChart
          id="archived-by-region"
          rows={regions}
          text={text({
            title: m('petition.archivedByRegion'),
            summary: m('petition.archivedByRegionSummary', {
              total: regionTotal,
              top: regions[0]?.name ?? '',
              topCount: regions[0]?.count ?? 0,
            }),
            columns: [m('petition.region'), m('petition.signatures')],
          })}
        />
      ) : null}
      {countries.length > 0 ? (
        <DataTable
          id="archived-by-country"
          label={m('petition.archivedByCountry', { rows: countries.length })}
          caption={m('petition.archivedByCountry', { rows: countries.length })}
          columns={[m('petition.country'), m('petition.signatures')]}
          rows={countries.map((c) => [`${c.name} (${c.code})`, n(c.count)])}
        />
      ) : null}
      {constituencies.length > 0 ? (
        <DataTable
          id="archived-by-constituency"
          label={m('petition.archivedByConstituency', { rows: constituencies.length })}
          caption={m('petition.archivedByConstituency', { rows: constituencies.length })}
          columns={[m('petition.constituency'), m('petition.mp'), m('petition.signatures')]}
          rows={constituencies.map((c) => [c.name, c.mp ?? '—', n(c.count)])}
        />
      ) : null}
    </section>
  );
}
