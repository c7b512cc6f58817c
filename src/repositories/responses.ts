import type { Kysely, Selectable } from 'kysely';
import type { Database, OfficialResponsesTable } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { ResponseContent } from '../domain/official-response.js';
import { PUBLIC_STATES, RESPONSE_DUE_STATES } from '../domain/petition-states.js';
import { isRecordNumber } from '../domain/record-numbers.js';

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
      .where('p.state', 'in', PUBLIC_STATES)
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

/** An answer as the responder's pages show it: its content, state and the petitions it covers (id order). */
export interface StaffResponseView {
  id: string;
  state: 'draft' | 'published';
  content: Required<ResponseContent>;
  petitionIds: string[];
  publishedAt: Date | null;
  updatedAt: Date;
}

/** An answer's content as stored (absent responder name and title as ''), in the shape the forms and checks use. */
export function storedContent(r: {
  title: string | null;
  summary: string | null;
  body: string;
  responder_name: string | null;
  responder_title: string | null;
  video_url: string | null;
  video_caption_url: string | null;
}): Required<ResponseContent> {
  return {
    title: r.title,
    summary: r.summary,
    body: r.body,
    responderName: r.responder_name ?? '',
    responderTitle: r.responder_title ?? '',
    videoUrl: r.video_url,
    videoCaptionUrl: r.video_caption_url,
  };
}

/**
 * Answers written on this platform (not archive imports) for the staff pages: drafts first, then published ones,
 * newest change first, `limit` of them (1–500).
 */
export async function listStaffResponses(db: Kysely<Database>, limit = 200): Promise<StaffResponseView[]> {
  const rows = await db
    .selectFrom('official_responses')
    .selectAll()
    .where('archive_source', 'is', null)
    .orderBy('state', 'asc') // 'draft' < 'published'
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  return withPetitions(db, rows);
}

/**
 * One answer written on this platform, for the revise form.
 * @throws DomainError('response_not_found') for an unknown id or an archive answer
 */
export async function loadStaffResponse(
  db: Kysely<Database>,
  responseId: string,
): Promise<StaffResponseView> {
  const row = isRecordNumber(responseId)
    ? await db
        .selectFrom('official_responses')
        .selectAll()
        .where('id', '=', responseId)
        .where('archive_source', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new DomainError('response_not_found', `${responseId}번 답변을 찾을 수 없습니다.`);
  const [view] = await withPetitions(db, [row]);
  return view as StaffResponseView;
}

async function withPetitions(
  db: Kysely<Database>,
  rows: Array<Selectable<OfficialResponsesTable>>,
): Promise<StaffResponseView[]> {
  const links =
    rows.length === 0
      ? []
      : await db
          .selectFrom('petition_official_responses')
          .select(['official_response_id', 'petition_id'])
          .where(
            'official_response_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('petition_id')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    content: storedContent(r),
    petitionIds: links.filter((l) => l.official_response_id === r.id).map((l) => l.petition_id),
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
  }));
}

/** A petition owed an official response, as the staff "responses due" list shows it. */
export interface ResponseDueRow {
  id: string;
  title: string;
  profile: string;
  /** UTC instant the response threshold was reached. */
  response_threshold_reached_at: Date | null;
  /** Exclusive UTC end of the answer deadline, or null when the profile sets none. */
  response_due_at: Date | null;
}

/**
 * Petitions owed an official response (`RESPONSE_DUE_STATES`: awaiting, and overdue past their deadline), nearest
 * deadline first (no deadline last), then by number; at most `limit` (default 200).
 */
export function listResponsesDue(db: Kysely<Database>, limit = 200): Promise<ResponseDueRow[]> {
  return db
    .selectFrom('petitions')
    .select(['id', 'title', 'profile', 'response_threshold_reached_at', 'response_due_at'])
    .where('response_state', 'in', RESPONSE_DUE_STATES)
    .orderBy('response_due_at', (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .limit(limit)
    .execute();
}
