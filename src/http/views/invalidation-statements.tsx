/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { reasonName } from '../../domain/tlog/entries.js';
import { formatDate, formatNumber, type Locale, t } from '../../i18n/index.js';
import type { PublicStatement } from '../../repositories/invalidations.js';

/**
 * The public record of a petition's invalidations (issue 13): for each approved one, how many agreements were
 * removed from the count, when, the reason class and the criteria class, and the leaf index of its statement entry
 * in the petition's transparency log — never a network, a domain or a signer.
 */
export function InvalidationStatements(props: {
  statements: PublicStatement[];
  locale: Locale;
  zone: string;
}) {
  if (props.statements.length === 0) return null;
  const m = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => t(props.locale, key, values);
  return (
    <section class="invalidations" aria-labelledby="invalidations-heading">
      <h2 id="invalidations-heading">{m('petition.invalidations.heading')}</h2>
      <ul>
        {props.statements.map((s) => (
          <li>
            {m('petition.invalidations.item', {
              count: formatNumber(props.locale, s.applied),
              date: formatDate(props.locale, s.approvedAt, props.zone),
              reason: reasonName(s.reasonCode),
              criteria: s.criteriaClass,
            })}
            {s.state === 'cancelled'
              ? ` ${m('petition.invalidations.cancelled', { planned: formatNumber(props.locale, s.planned) })}`
              : null}
            {s.statementIndex !== null
              ? ` ${m('petition.invalidations.leaf', { index: String(s.statementIndex) })}`
              : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
