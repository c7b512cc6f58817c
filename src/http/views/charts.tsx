/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { scaleBand, scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import type { Child } from 'hono/jsx';

/**
 * Server-rendered SVG charts of a petition's agreements. No script and no inline style (the site's CSP allows
 * neither): shapes carry class names styled by the stylesheet. Each chart is a <figure> whose SVG has a title and a
 * description a screen reader reads (role="img"), followed by the same data as a table, so nobody depends on
 * seeing the picture. Scales and paths come from d3-scale and d3-shape.
 */

/** Words a chart needs, in the page's language (the caller formats numbers and dates for its locale). */
export interface ChartText {
  /** Figure title, e.g. '날짜별 동의' / 'Agreements by day'. */
  title: string;
  /** One sentence summarising the data for people who cannot see the chart. */
  summary: string;
  /** Column headings of the data table. */
  columns: [string, ...string[]];
  /** Formats a count for display (grouping per locale). */
  formatNumber: (n: number) => string;
  /** Label of the folded data table, e.g. '표로 보기' / 'Show the data as a table'. */
  tableLabel: string;
}

/**
 * Charts are drawn in user units close to CSS pixels at a phone's width: a 360 px screen has about 328 px for
 * content, so a 320-unit-wide chart is drawn at scale ≥ 1 there and its 13-unit text renders at 13 px or more (the
 * stylesheet caps the width at 48rem, scale 1.5, on larger screens). Wider viewBoxes shrank the labels to ~6 px.
 */
const WIDTH = 320;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 8, bottom: 26, left: 64 };

/**
 * Agreements over time: the running total as an area with its line, new agreements per day as bars beneath.
 * @param days local days 'YYYY-MM-DD' with the agreements confirmed that day, oldest first; days missing from the
 *   list are drawn as zero (the series is filled from the first to the last day)
 * @param formatDay how a day is labelled on the axis and in the table (e.g. '3월 18일' / '18 Mar')
 */
export function AgreementsOverTimeChart(props: {
  days: Array<{ day: string; count: number }>;
  text: ChartText;
  formatDay: (day: string) => string;
  id: string;
}) {
  const series = fillDays(props.days);
  if (series.length === 0) return null;
  let total = 0;
  const points = series.map((d) => {
    total += d.count;
    return { ...d, total };
  });
  const x = scaleBand<string>()
    .domain(points.map((p) => p.day))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(0.15);
  const y = scaleLinear()
    .domain([0, Math.max(1, total)])
    .nice(4)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const mid = (day: string) => (x(day) ?? 0) + x.bandwidth() / 2;
  const areaPath = area<(typeof points)[number]>()
    .x((p) => mid(p.day))
    .y0(y(0))
    .y1((p) => y(p.total))(points);
  const linePath = line<(typeof points)[number]>()
    .x((p) => mid(p.day))
    .y((p) => y(p.total))(points);
  const step = Math.max(1, Math.ceil(points.length / 3)); // at most ~3 day labels: each is ~60 units wide
  return (
    <ChartFigure
      id={props.id}
      text={props.text}
      height={HEIGHT}
      table={points.map((p) => [
        props.formatDay(p.day),
        props.text.formatNumber(p.count),
        props.text.formatNumber(p.total),
      ])}
    >
      {y.ticks(4).map((t) => (
        <g class="chart-grid">
          <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(t)} y2={y(t)} />
          <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
            {props.text.formatNumber(t)}
          </text>
        </g>
      ))}
      {areaPath ? <path class="chart-area" d={areaPath} /> : null}
      {linePath ? <path class="chart-line" d={linePath} /> : null}
      {points.map((p) => {
        const h = y(0) - y(p.count);
        return <rect class="chart-bar" x={x(p.day)} y={y(0) - h} width={x.bandwidth()} height={h} />;
      })}
      {points
        .filter((_, i) => i % step === 0)
        .map((p) => (
          <text class="chart-axis" x={mid(p.day)} y={HEIGHT - 8} text-anchor="middle">
            {props.formatDay(p.day)}
          </text>
        ))}
    </ChartFigure>
  );
}

/**
 * One horizontal bar per named row, largest first: agreements by region (시·도), petitions by category or state.
 * Each row's name stands above its bar, so long names need no margin and the bars keep the chart's whole width at
 * 360 px. With `whole`, bars are drawn against that total and the value says its share (`1,234 (56%)`): a part that
 * is alone in the chart (every petition answered) no longer fills the width as if it were everything.
 * @param rows name and count per row; rows with nothing are left out
 * @param whole the total the rows are parts of (default: bars scaled to the largest row)
 */
export function HorizontalBarChart(props: {
  rows: Array<{ name: string; count: number }>;
  text: ChartText;
  id: string;
  whole?: number;
}) {
  const rows = [...props.rows].filter((r) => r.count > 0).sort((a, b) => b.count - a.count);
  if (rows.length === 0) return null;
  const rowHeight = 40; // name (16) + bar (16) + gap (8)
  const height = 8 + rows.length * rowHeight;
  const whole = props.whole && props.whole > 0 ? props.whole : null;
  const valueText = (count: number) => {
    const value = props.text.formatNumber(count);
    return whole ? `${value} (${Math.round((count / whole) * 100)}%)` : value;
  };
  const valueRoom = whole ? 104 : 72;
  const x = scaleLinear()
    .domain([0, whole ?? rows[0]?.count ?? 1])
    .range([0, WIDTH - valueRoom]);
  return (
    <ChartFigure
      id={props.id}
      text={props.text}
      height={height}
      table={rows.map((r) => [r.name, valueText(r.count)])}
    >
      {rows.map((r, i) => {
        const top = 4 + i * rowHeight;
        const width = Math.max(1, x(r.count));
        return (
          <g>
            <text class="chart-axis" x={0} y={top + 13}>
              {r.name}
            </text>
            {whole ? (
              <rect class="chart-track" x={0} y={top + 18} width={WIDTH - valueRoom} height={14} />
            ) : null}
            <rect class="chart-bar" x={0} y={top + 18} width={width} height={14} />
            <text class="chart-value" x={(whole ? WIDTH - valueRoom : width) + 6} y={top + 29}>
              {valueText(r.count)}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}

/**
 * A chart's frame: the figure and its visible caption, the SVG (role="img", titled and described for screen readers)
 * around `children`, and the data as a table.
 */
function ChartFigure(props: {
  id: string;
  text: ChartText;
  height: number;
  table: string[][];
  children?: Child;
}) {
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure class="chart" id={props.id}>
      <figcaption id={titleId}>{props.text.title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${props.height}`}
        role="img"
        aria-labelledby={`${titleId}-svg`}
        aria-describedby={descId}
        class="chart-svg"
      >
        <title id={`${titleId}-svg`}>{props.text.title}</title>
        <desc id={descId}>{props.text.summary}</desc>
        {props.children}
      </svg>
      <DataTable
        caption={props.text.title}
        label={props.text.tableLabel}
        columns={props.text.columns}
        rows={props.table}
      />
    </figure>
  );
}

/**
 * Data as a table folded under <details> (a chart's data, so sighted readers are not shown everything twice, or a
 * long table such as archived area counts): `label` is the summary, `caption` the table's accessible name, the
 * first cell of each row its row header.
 */
export function DataTable(props: {
  caption: string;
  label: string;
  columns: string[];
  rows: string[][];
  id?: string;
}) {
  return (
    <details class="chart-data" id={props.id}>
      <summary>{props.label}</summary>
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>{r.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * Every local day from the first to the last of `days` ('YYYY-MM-DD', ascending), with 0 where none was listed.
 * Calendar arithmetic on dates only (UTC noon), so no time zone or DST change can skip or repeat a day.
 */
export function fillDays(days: Array<{ day: string; count: number }>): Array<{ day: string; count: number }> {
  if (days.length === 0) return [];
  const byDay = new Map(days.map((d) => [d.day, d.count]));
  const first = Date.parse(`${days[0]?.day}T12:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]?.day}T12:00:00Z`);
  const out: Array<{ day: string; count: number }> = [];
  for (let t = first; t <= last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, count: byDay.get(day) ?? 0 });
  }
  return out;
}
