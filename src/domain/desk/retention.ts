/**
 * Retention of the desk's records: 3 years, then purged.
 *
 * Source: 전기통신사업법 (Telecommunications Business Act) art. 22-5 and its Enforcement Decree oblige the operator
 * handling removal requests for illegal filmed material to keep the records of the requests and their handling for
 * three years; the desk keeps its own records (cases, hashes, takedowns, notices, evidence) for the same period and
 * no longer — a victim's data is not kept beyond what the law asks.
 */

/** Years a desk record is kept after its last event. */
export const RETENTION_YEARS = 3;

/**
 * The instant a record whose last event was at `from` may be purged: the same UTC instant `RETENTION_YEARS` years
 * later (29 February maps to 1 March).
 */
export function retentionEnd(from: Date): Date {
  const end = new Date(from.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + RETENTION_YEARS);
  return end;
}

/** The later of a record's current end of retention and the end counted from a new event at `event`. */
export function extendRetention(current: Date, event: Date): Date {
  const next = retentionEnd(event);
  return next > current ? next : current;
}
