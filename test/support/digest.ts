import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { PUBLIC_STATES } from '../../src/domain/petition-states.js';
import type { ProfileView } from '../../src/http/site.js';
import { dumpRecord } from '../../src/open-data/dump.js';
import type { Executor } from '../../src/repositories/petitions.js';
import { responsesForPetitions } from '../../src/repositories/petitions.js';

/** A fingerprint of every stored petition, official response and link: equal digests mean nothing changed. */
export async function contentDigest(db: Executor): Promise<string> {
  const result = await sql<{ digest: string }>`
    select md5(
      coalesce((select string_agg(row_to_json(p)::text, '|' order by p.id) from petitions p), '') ||
      coalesce((select string_agg(row_to_json(r)::text, '|' order by r.id) from official_responses r), '') ||
      coalesce((select string_agg(row_to_json(l)::text, '|' order by l.petition_id, l.official_response_id)
                from petition_official_responses l), '')
    ) as digest`.execute(db);
  return result.rows[0]?.digest ?? '';
}

/**
 * A fingerprint of what the public sees of every public petition, independent of database ids and import times:
 * each petition as the dump presents it (the API's Petition plus answered_at and provenance), without `id`, `url`
 * and response ids, ordered by provenance. Equal digests mean two databases publish the same petitions.
 */
export async function publicDigest(
  db: Executor,
  profile: (code: string) => ProfileView,
): Promise<{ digest: string; petitions: Array<Record<string, unknown>> }> {
  const rows = await db
    .selectFrom('petitions')
    .selectAll()
    .where('state', 'in', [...PUBLIC_STATES])
    .execute();
  const responses = await responsesForPetitions(
    db,
    rows.map((r) => r.id),
  );
  const petitions = rows
    .map((row) => {
      const {
        id: _id,
        url: _url,
        official_responses,
        ...rest
      } = dumpRecord(row, responses.get(row.id) ?? [], profile(row.profile));
      return { ...rest, official_responses: official_responses.map(({ id: _rid, ...r }) => r) };
    })
    .sort((a, b) =>
      `${a.archive?.source}/${a.archive?.source_id}`.localeCompare(
        `${b.archive?.source}/${b.archive?.source_id}`,
      ),
    );
  return { digest: createHash('sha256').update(JSON.stringify(petitions)).digest('hex'), petitions };
}
