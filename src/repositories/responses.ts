import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** An earlier or current version of a published answer, as listed in its public history. */
export interface ResponseRevisionView {
  revision: number;
  phase: 'published' | 'revised';
  /** UTC instant the version was saved. */
  createdAt: Date;
  title: string | null;
  summary: string | null;
  body: string;
  bodyFormat: 'text' | 'markdown';
  responderName: string | null;
  responderTitle: string | null;
}

/** What a petition page shows of each published answer beyond its current text. */
export interface ResponseExtras {
  /** Versions since publication, oldest first (drafts are never shown). Empty for archive answers. */
  revisions: ResponseRevisionView[];
  /** Other public petitions the same answer covers (a joint answer), by id. */
  alsoCovers: Array<{ id: string; title: string }>;
}

/**
 * For the published answers of a petition: their public revision history and the other public petitions each one
 * covers. Two queries whatever the number of answers.
 * @returns a map keyed by response id (absent ids have no extras)
 */
export async function responseExtras(
  db: Kysely<Database>,
  petitionId: string,
  responseIds: readonly string[],
): Promise<Map<string, ResponseExtras>> {
  const out = new Map<string, ResponseExtras>();
  if (responseIds.length === 0) return out;
  for (const id of responseIds) out.set(id, { revisions: [], alsoCovers: [] });
  const [revisions, covers] = await Promise.all([
    db
      .selectFrom('official_response_revisions')
      .selectAll()
      .where('official_response_id', 'in', [...responseIds])
      .where('phase', 'in', ['published', 'revised'])
      .orderBy('official_response_id')
      .orderBy('revision')
      .execute(),
    db
      .selectFrom('petition_official_responses as pr')
      .innerJoin('petitions as p', 'p.id', 'pr.petition_id')
      .select(['pr.official_response_id', 'p.id', 'p.title'])
      .where('pr.official_response_id', 'in', [...responseIds])
      .where('pr.petition_id', '<>', petitionId)
      .where('p.state', 'in', ['open', 'closed'])
      .orderBy('p.id')
      .execute(),
  ]);
  for (const r of revisions) {
    out.get(r.official_response_id)?.revisions.push({
      revision: r.revision,
      phase: r.phase === 'revised' ? 'revised' : 'published',
      createdAt: r.created_at,
      title: r.title,
      summary: r.summary,
      body: r.body,
      bodyFormat: r.body_format,
      responderName: r.responder_name,
      responderTitle: r.responder_title,
    });
  }
  for (const c of covers) out.get(c.official_response_id)?.alsoCovers.push({ id: c.id, title: c.title });
  return out;
}
