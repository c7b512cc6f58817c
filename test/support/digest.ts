import { sql } from 'kysely';
import type { Executor } from '../../src/repositories/petitions.js';

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
