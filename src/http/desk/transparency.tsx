/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { stringify } from 'csv-stringify/sync';
import type { Hono } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { type Locale, t } from '../../i18n/index.js';
import { transparencyAggregates } from '../../repositories/desk.js';
import { pageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { Layout } from '../views/layout.js';

type Aggregates = Awaited<ReturnType<typeof transparencyAggregates>>;

/** One row per figure: what the page's tables and the CSV both show. Aggregates only. */
function rows(
  year: number,
  a: Aggregates,
): Array<{ year: number; measure: string; group: string; value: number | null }> {
  const out: Array<{ year: number; measure: string; group: string; value: number | null }> = [];
  for (const c of a.cases) out.push({ year, measure: 'cases', group: c.priority, value: c.count });
  for (const h of a.hashes) out.push({ year, measure: 'hashes', group: h.algorithm, value: h.count });
  for (const m of a.matches)
    out.push({ year, measure: 'matches', group: `${m.platformKind}/${m.feedback}`, value: m.count });
  for (const d of a.takedowns) {
    out.push({ year, measure: 'takedowns', group: `${d.platformKind}/${d.state}`, value: d.count });
    if (d.state === 'removed') {
      out.push({
        year,
        measure: 'median_hours_to_removal',
        group: d.platformKind,
        value: d.medianHoursToRemoval === null ? null : Math.round(d.medianHoursToRemoval * 10) / 10,
      });
    }
  }
  return out;
}

/**
 * The desk's yearly transparency report, `/support/transparency?year=YYYY` (page, Korean and English) and
 * `/support/transparency.csv?year=YYYY`: counts only — cases by track, hashes by algorithm, matches by platform
 * type and feedback, takedowns by platform type and outcome, median hours from sending to removal. Never a case,
 * URL, hash or platform name. Years are UTC calendar years.
 */
export function registerTransparencyReport(app: Hono, site: Site): void {
  const yearOf = (raw: string | undefined) => {
    const year = raw === undefined ? site.now().getUTCFullYear() : Number(raw);
    if (!Number.isInteger(year) || year < 2020 || year > 2100) {
      throw new DomainError('invalid_parameter', 'year: 2020–2100', { fields: { year: '2020–2100' } });
    }
    return year;
  };
  const load = (year: number) =>
    transparencyAggregates(site.db, new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1)));

  app.get('/support/transparency.csv', async (c) => {
    const year = yearOf(c.req.query('year'));
    const csv = stringify(rows(year, await load(year)), {
      header: true,
      columns: ['year', 'measure', 'group', 'value'],
      record_delimiter: '\r\n',
      bom: true,
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="desk-transparency-${year}.csv"`);
    return c.body(csv);
  });

  app.get('/support/transparency', async (c) => {
    const page = pageContext(c);
    const year = yearOf(c.req.query('year'));
    const data = rows(year, await load(year));
    const locale: Locale = page.locale;
    const heading =
      locale === 'ko'
        ? `디지털성범죄 대응 투명성 보고서 ${year}`
        : `Response desk transparency report ${year}`;
    return c.html(
      <Layout title={heading} categories={site.categories(locale)} locale={locale} url={page.url}>
        <h1>{heading}</h1>
        <p>
          {locale === 'ko'
            ? '집계 숫자만 공개합니다. 사건, 주소, 해시, 플랫폼 이름은 싣지 않습니다.'
            : 'Aggregates only: no case, address, hash or platform name is published.'}
        </p>
        <table>
          <caption>{t(locale, 'support.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{locale === 'ko' ? '항목' : 'Measure'}</th>
              <th scope="col">{locale === 'ko' ? '구분' : 'Group'}</th>
              <th scope="col">{locale === 'ko' ? '값' : 'Value'}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <tr>
                <td>{r.measure}</td>
                <td>{r.group}</td>
                <td>{r.value ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a href={`/support/transparency.csv?year=${year}`}>CSV</a>
        </p>
      </Layout>,
    );
  });
}
