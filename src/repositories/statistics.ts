import { sql } from 'kysely';
import {
  isAnswered,
  isResponseDue,
  OVERDUE_RESPONSE_STATES,
  PUBLIC_STATES,
} from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/** Figures of the statistics page: public petitions only (`PUBLIC_STATES`), never anything about signers. */
export interface PetitionStatistics {
  /** Public petitions per category code (null: the archive gave none), largest first. */
  byCategory: Array<{ category: string | null; petitions: number; agreements: number }>;
  /** Public petitions per state (one of `PUBLIC_STATES`). */
  byState: Array<{ state: string; petitions: number }>;
  /**
   * The official-answer track: answered (`ANSWERED_RESPONSE_STATES`), awaiting an answer (every petition whose
   * answer is due, `RESPONSE_DUE_STATES`: awaiting or overdue) of which overdue, and none due. Overdue = marked
   * overdue by the scheduler (`OVERDUE_RESPONSE_STATES`) or awaiting with its deadline (`response_due_at`) before
   * `now`. answered + awaiting + none = total.
   */
  responses: { answered: number; awaiting: number; overdue: number; none: number };
  /** The largest petitions by public count (id as a decimal string). */
  largest: Array<{ id: string; title: string; count: number; state: string; responseState: string }>;
  /** Public petitions in all. */
  total: number;
}

/**
 * Counts for the statistics page over all public petitions. Three aggregate queries over the petitions table
 * (a national archive of a million petitions takes a fraction of a second), so callers cache the result.
 * @param now instant (UTC) an awaiting answer's deadline is compared against to be overdue
 * @param largest how many of the largest petitions to list (default 10)
 */
export async function petitionStatistics(db: Executor, now: Date, largest = 10): Promise<PetitionStatistics> {
  const states = [...PUBLIC_STATES];
  const [byCategory, byStateAndResponse, top] = await Promise.all([
    db
      .selectFrom('petitions')
      .select([
        'category',
        (eb) => eb.fn.countAll<string>().as('petitions'),
        sql<string>`coalesce(sum(public_count), 0)`.as('agreements'),
      ])
      .where('state', 'in', states)
      .groupBy('category')
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    db
      .selectFrom('petitions')
      .select([
        'state',
        'response_state',
        (eb) => eb.fn.countAll<string>().as('petitions'),
        sql<string>`count(*) filter (where response_state in (${sql.join([...OVERDUE_RESPONSE_STATES])})
          or response_due_at < ${now.toISOString()}::timestamptz)`.as('overdue'),
      ])
      .where('state', 'in', states)
      .groupBy(['state', 'response_state'])
      .execute(),
    db
      .selectFrom('petitions')
      .select(['id', 'title', 'public_count', 'state', 'response_state'])
      .where('state', 'in', states)
      .orderBy('public_count', 'desc')
      .orderBy('id', 'desc')
      .limit(largest)
      .execute(),
  ]);
  const byState = new Map<string, number>();
  const responses = { answered: 0, awaiting: 0, overdue: 0, none: 0 };
  for (const r of byStateAndResponse) {
    const n = Number(r.petitions);
    byState.set(r.state, (byState.get(r.state) ?? 0) + n);
    if (isAnswered(r.response_state)) responses.answered += n;
    else if (isResponseDue(r.response_state)) {
      // the filter counts a marked-overdue group whole and an awaiting group by its deadline
      responses.awaiting += n;
      responses.overdue += Number(r.overdue);
    } else responses.none += n;
  }
  return {
    byCategory: byCategory.map((r) => ({
      category: r.category,
      petitions: Number(r.petitions),
      agreements: Number(r.agreements),
    })),
    byState: [...byState].map(([state, petitions]) => ({ state, petitions })),
    responses,
    largest: top.map((r) => ({
      id: r.id,
      title: r.title,
      count: r.public_count,
      state: r.state,
      responseState: r.response_state,
    })),
    total: [...byState.values()].reduce((a, b) => a + b, 0),
  };
}
