/**
 * The SQL of the group-commit agreement writer (src/signing/agreement-writer.ts, which decides WHAT to write and
 * how a batch is committed; this module only says it in SQL): the one batch statement (insert, contacts, counts),
 * the reads a batch's decisions need, the confirmations of emailed links, the count effects, the split path's pinned
 * transaction, the fast path's guarded count update — and `writeCount`, the other writer of a count (`reconcile`).
 */
import { randomInt } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  LATE_SUPPORT_PROFILES,
  LATE_SUPPORT_STATES,
  PRE_AGREEMENT_STATES,
  PUBLIC_AGREEMENT_STATES,
} from '../../domain/admission.js';
import {
  COUNTED_COLUMNS,
  type CountEffects,
  type CountedPetition,
  type CountRules,
  countEffects,
} from '../../domain/count-effects.js';
import type { PetitionState, StateGroup } from '../../domain/petition-states.js';
import type { PolicySettings } from '../../domain/policy-profiles.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import type { Executor } from '../petitions.js';

/** SQLSTATE raised by `agreement_count_needs_care` (migration 2300_count_guard). */
export const COUNT_NEEDS_CARE = 'CW001';

/** What a batch adds to one petition's count. */
export interface CountDelta {
  petitionId: string;
  added: number;
  profile: string;
}

/** An emailed link's agreement, found by its token hash (ids as decimal strings). */
export interface TokenRow {
  id: string;
  petition_id: string;
  signer_key: string;
  confirmed_at: Date | null;
  token_expires_at: Date | null;
  confirmation_token_hash: string | null;
  /** SHA-256 of the receipt secret (null for an agreement stored before the transparency log existed). */
  receipt_commitment: Buffer | null;
}

/** The agreements whose emailed token hashes (SHA-256 hex) are among `tokenHashes`. */
export async function findAgreementsByTokenHash(db: Executor, tokenHashes: string[]): Promise<TokenRow[]> {
  if (tokenHashes.length === 0) return [];
  return await db
    .selectFrom('agreements')
    .select([
      'id',
      'petition_id',
      'signer_key',
      'confirmed_at',
      'token_expires_at',
      'confirmation_token_hash',
      'receipt_commitment',
    ])
    .where('confirmation_token_hash', 'in', [...new Set(tokenHashes)])
    .execute();
}

/** What admission reads of petitions (src/domain/admission.ts), for the ids given (unknown ids are absent). */
export async function findAdmissionFacts(
  db: Executor,
  petitionIds: string[],
): Promise<Array<{ id: string; state: PetitionState; closes_at: Date | null; profile: string }>> {
  if (petitionIds.length === 0) return [];
  return await db
    .selectFrom('petitions')
    .select(['id', 'state', 'closes_at', 'profile'])
    .where('id', 'in', petitionIds)
    .execute();
}

/**
 * Confirms the still-unconfirmed agreements among `agreementIds` at `now` and — data minimisation — deletes the
 * contact data of those whose signer did not ask to hear back (the rest keep it until the petition is answered).
 * Runs in the batch's transaction.
 * @returns the agreements this call confirmed (a concurrent confirmation of the same row is not among them)
 */
export async function confirmAgreements(
  db: Executor,
  agreementIds: string[],
  now: Date,
): Promise<Array<{ id: string; petition_id: string; signer_key: string }>> {
  if (agreementIds.length === 0) return [];
  const confirmed = await db
    .updateTable('agreements')
    .set({ confirmed_at: now })
    .where('id', 'in', agreementIds)
    .where('confirmed_at', 'is', null)
    .returning(['id', 'petition_id', 'signer_key', 'notify'])
    .execute();
  const forget = confirmed.filter((r) => !r.notify).map((r) => r.id);
  if (forget.length > 0)
    await db.deleteFrom('agreement_contacts').where('agreement_id', 'in', forget).execute();
  return confirmed.map(({ id, petition_id, signer_key }) => ({ id, petition_id, signer_key }));
}

/**
 * A new agreement to store, as the writer passes it (`NewAgreement` in src/signing/agreement-batch.ts). The signer
 * key is already derived (src/domain/identity.ts `signerKey`).
 */
export interface AgreementToInsert {
  petitionId: string;
  /** HMAC-SHA256 hex of (petition, pseudonymous person id): the database enforces one per petition. */
  signerKey: string;
  method: 'email' | 'oidc' | 'creator';
  region: string | null;
  /** UK: the Westminster constituency (ONS code) the signer's postcode led to, or null/absent. */
  constituency?: string | null;
  locale: 'ko' | 'en';
  /** The signer asked to be told when the petition is answered. */
  notify: boolean;
  /**
   * Came through the creator's private pre-agreement link (checked by the caller): only such agreements are taken
   * while the petition collects pre-agreements (사전동의); everyone else may agree once it is open
   * (src/domain/admission.ts).
   */
  sponsor?: boolean;
  /**
   * Email path: the agreement counts only once the emailed link is confirmed. `tokenHash` is the SHA-256 hex of the
   * emailed token (the token itself is never stored); contact data is kept until confirmation (or, with `notify`,
   * until the petition is answered). Absent: one-click (verified identity) — counted at once.
   */
  confirmation?: { tokenHash: string; expiresAt: Date; contact: { email: string; name: string } };
  /**
   * SHA-256 of the signer's 16-byte receipt secret (32 bytes; src/domain/tlog/entries.ts `receiptCommitment`): the
   * commitment of the agreement's log entry. Stored on the row only for an emailed agreement, until its
   * confirmation makes the leaf; the secret itself is never stored.
   */
  receiptCommitment: Uint8Array;
  /**
   * Fraud signals kept on the row (src/domain/fraud.ts): the client's network prefix (IPv4 /24, IPv6 /48 — never
   * the address), the email domain of an emailed agreement, the identity provider of a one-click one. Staff only.
   */
  networkPrefix?: string | null;
  emailDomain?: string | null;
  provider?: string | null;
}

/**
 * The transparency log's part of a batch (absent: the log records nothing, `NO_AGREEMENT_LOG`):
 *  - `entries`: each request's agreement entry, aligned with the requests (null for an emailed request, which is
 *    not counted yet, or one whose petition's log key is destroyed — such a one-click request is not inserted);
 *  - `confirmed`: the entries of the agreements confirmed earlier in the batch.
 * Within a petition, a batch's leaves take its next indices in a random order (no arrival order, no time).
 */
export interface BatchLeaves {
  entries: ReadonlyArray<Uint8Array | null>;
  confirmed: ReadonlyArray<ConfirmedLeaf>;
}

/** The log entry of an agreement confirmed in the batch. */
export interface ConfirmedLeaf {
  petitionId: string;
  agreementId: string;
  entry: Uint8Array;
}

/** A leaf a batch stored: the agreement and its index in its petition's log (decimal strings). */
export interface StoredLeaf {
  agreement_id: string;
  idx: string;
}

/**
 * How the batch statement ends (its `counts` step, over `d` (petition_id, n)):
 *  - `careful`: adds to each count and returns the petitions' `COUNTED_COLUMNS` after the update (the transaction
 *    then writes the effects);
 *  - `single`: adds only where that has no effects, else raises CW001 (`agreement_count_needs_care`); `thresholds`
 *    are the profile thresholds of the batch's new agreements' petitions;
 *  - `split`: reads the profiles only; the caller updates the counts at commit (`guardedCountUpdate`).
 */
export type CountsStep =
  | { mode: 'careful' }
  | { mode: 'split' }
  | { mode: 'single'; thresholds: Array<{ petitionId: string; response: number; debate: number | null }> };

/** A petition the batch statement counted: what it added, and in careful mode the petition after the update. */
export interface CountedBatchRow {
  petitionId: string;
  profile: string;
  added: number;
  /** Careful mode only: the stored petition after the update (its count includes `added`). */
  after?: CountedPetition;
}

/** What the batch statement returns (ids as decimal strings). */
export interface BatchStatementResult {
  inserted: Array<{ id: string; petition_id: string; signer_key: string; counted: boolean }>;
  counts: CountedBatchRow[];
  /** The leaves the statement stored (single and careful with a log; split stores them at commit). */
  leaves: StoredLeaf[];
}

/**
 * The batch's ONE statement: a multi-row `INSERT … ON CONFLICT (petition_id, signer_key) DO NOTHING` of the new
 * agreements (one-click ones counted at once, email ones pending), the contacts of new email agreements, and each
 * touched petition's count moved once by the rows actually inserted-and-counted plus `confirmed` (see
 * `CountsStep`). The insert admits only petitions that take the agreement now — the states of
 * `PUBLIC_AGREEMENT_STATES`, or `PRE_AGREEMENT_STATES` for a sponsor (and `LATE_SUPPORT_STATES` on the
 * `LATE_SUPPORT_PROFILES`), before `closes_at` — the SQL form of
 * `takesAgreement` (src/domain/admission.ts), whose state groups it receives as parameters. The petition row
 * lock is taken at the end of the statement and held only until commit.
 *
 * With `log` (see `BatchLeaves`), a one-click request is inserted only with its entry, and — except in `split`
 * mode, where `guardedCountUpdate` does it at commit — the count update also advances `log_size` by the same `n`
 * and the statement stores the batch's leaves at the indices `log_size - n … log_size - 1` it just took: every
 * counted agreement has exactly one leaf, in the same statement.
 * @param requests in (petition, signer key) order, one per person and petition
 * @param confirmed agreements confirmed earlier in the batch, per petition id
 */
export async function writeAgreementBatch(
  db: Executor,
  requests: readonly AgreementToInsert[],
  confirmed: ReadonlyMap<string, number>,
  now: Date,
  step: CountsStep,
  log?: BatchLeaves,
): Promise<BatchStatementResult> {
  const r = requests;
  const at = now.toISOString();
  const states = (group: StateGroup) => [...group];
  const bytes = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b) : null);
  const withLeaves = log !== undefined && step.mode !== 'split';
  const conf = log?.confirmed ?? [];
  const result = await sql<{
    inserted: BatchStatementResult['inserted'];
    counts: CountedJsonRow[];
    leaves: StoredLeaf[];
  }>`
    with u as (
      select * from unnest(
        ${r.map((a) => a.petitionId)}::bigint[], ${r.map((a) => a.signerKey)}::text[],
        ${r.map((a) => a.method)}::text[], ${r.map((a) => a.region)}::text[], ${r.map((a) => a.locale)}::text[],
        ${r.map((a) => a.notify)}::boolean[],
        ${r.map((a) => (a.confirmation ? null : 'counted'))}::text[],
        ${r.map((a) => a.confirmation?.tokenHash ?? null)}::text[],
        ${r.map((a) => a.confirmation?.expiresAt.toISOString() ?? null)}::timestamptz[],
        ${r.map((a) => a.sponsor === true)}::boolean[],
        ${r.map((a) => a.confirmation?.contact.email ?? null)}::text[],
        ${r.map((a) => a.confirmation?.contact.name ?? null)}::text[],
        ${r.map((a) => (a.confirmation ? bytes(a.receiptCommitment) : null))}::bytea[],
        ${r.map((_, i) => bytes(log?.entries[i]))}::bytea[],
        ${r.map(() => randomInt(2 ** 31))}::int[],
        ${r.map((a) => a.networkPrefix ?? null)}::text[], ${r.map((a) => a.emailDomain ?? null)}::text[],
        ${r.map((a) => a.provider ?? null)}::text[], ${r.map((a) => a.constituency ?? null)}::text[])
        as u (petition_id, signer_key, method, region, locale, notify, counted, confirmation_token_hash,
              token_expires_at, sponsor, contact_email, contact_name, receipt_commitment, entry, rank,
              network_prefix, email_domain, provider, constituency)
    ),
    ins as (
      insert into agreements (petition_id, signer_key, method, region, locale, notify, created_at, confirmed_at,
                              confirmation_token_hash, token_expires_at, receipt_commitment, network_prefix,
                              email_domain, provider, constituency)
      select u.petition_id, u.signer_key, u.method, u.region, u.locale, u.notify, ${at}::timestamptz,
             case when u.counted is not null then ${at}::timestamptz end,
             u.confirmation_token_hash, u.token_expires_at, u.receipt_commitment, u.network_prefix,
             u.email_domain, u.provider, u.constituency
      from u
      join petitions p on p.id = u.petition_id
        and (p.state = any(${states(PUBLIC_AGREEMENT_STATES)}::text[])
             or (u.sponsor and p.state = any(${states(PRE_AGREEMENT_STATES)}::text[]))
             or (u.sponsor and p.state = any(${states(LATE_SUPPORT_STATES)}::text[])
                 and p.profile = any(${[...LATE_SUPPORT_PROFILES]}::text[])))
        and (p.closes_at is null or p.closes_at > ${at}::timestamptz)
      ${log ? sql`where u.counted is null or u.entry is not null` : sql``}
      order by u.petition_id, u.signer_key
      on conflict (petition_id, signer_key) do nothing
      returning id, petition_id, signer_key, confirmed_at
    ),
    contacts as (
      insert into agreement_contacts (agreement_id, email, name, created_at)
      select ins.id, u.contact_email, u.contact_name, ${at}::timestamptz
      from ins join u on u.petition_id = ins.petition_id and u.signer_key = ins.signer_key
      where u.contact_email is not null
    ),
    d as (
      select petition_id, sum(n)::int as n from (
        select petition_id, 1 as n from ins where confirmed_at is not null
        union all
        select * from unnest(${[...confirmed.keys()]}::bigint[], ${[...confirmed.values()]}::int[])
      ) as x (petition_id, n)
      group by petition_id
    ),
    ${countsStep(step, at, withLeaves)},
    leaves as (${
      withLeaves
        ? sql`
      insert into log_entries (petition_id, idx, entry, agreement_id)
      select l.petition_id, c.log_start + row_number() over (partition by l.petition_id order by l.rank) - 1,
             l.entry, l.id
      from (
        select ins.id, ins.petition_id, u.entry, u.rank
        from ins join u on u.petition_id = ins.petition_id and u.signer_key = ins.signer_key
        where ins.confirmed_at is not null
        union all
        select * from unnest(${conf.map((c) => c.agreementId)}::bigint[], ${conf.map((c) => c.petitionId)}::bigint[],
                             ${conf.map((c) => Buffer.from(c.entry))}::bytea[],
                             ${conf.map(() => randomInt(2 ** 31))}::int[])
      ) as l (id, petition_id, entry, rank)
      join counts c on c.id = l.petition_id
      returning agreement_id, idx`
        : sql`select null::bigint as agreement_id, null::bigint as idx where false`
    })
    select
      (select coalesce(json_agg(json_build_object('id', id::text, 'petition_id', petition_id::text,
               'signer_key', signer_key, 'counted', confirmed_at is not null)), '[]') from ins) as inserted,
      (select coalesce(json_agg(counts), '[]') from counts) as counts,
      (select coalesce(json_agg(json_build_object('agreement_id', agreement_id::text, 'idx', idx::text)), '[]')
         from leaves) as leaves`.execute(db);
  const row = result.rows[0];
  return {
    inserted: row?.inserted ?? [],
    counts: (row?.counts ?? []).map((c) => ({
      petitionId: String(c.id),
      profile: c.profile,
      added: c.added,
      ...(step.mode === 'careful' ? { after: countedPetition(c) } : {}),
    })),
    leaves: row?.leaves ?? [],
  };
}

/**
 * The batch statement's `counts` step (see `CountsStep`); `at` is the batch's instant as ISO text. With `leaves`,
 * the update also advances `log_size` by `n` and returns `log_start`, the first index the batch's leaves take.
 */
function countsStep(step: CountsStep, at: string, leaves: boolean) {
  if (step.mode === 'split') {
    return sql`counts as (
      select d.petition_id as id, d.n as added, p.profile from d join petitions p on p.id = d.petition_id)`;
  }
  const logSize = leaves ? sql`, log_size = p.log_size + d.n` : sql``;
  const logStart = leaves ? sql`, p.log_size - d.n as log_start` : sql``;
  if (step.mode === 'careful') {
    return sql`counts as (
      update petitions p set agreement_count = p.agreement_count + d.n ${logSize}, updated_at = ${at}::timestamptz
      from d where p.id = d.petition_id
      returning ${sql.join(COUNTED_COLUMNS.map((c) => sql.ref(`p.${c}`)))}, d.n as added ${logStart})`;
  }
  const t = step.thresholds;
  return sql`counts as (
      update petitions p set agreement_count = ${sql.raw(guardedSum('t.rt', 't.dt'))} ${logSize},
             updated_at = ${at}::timestamptz
      from d join unnest(${t.map((x) => x.petitionId)}::bigint[], ${t.map((x) => x.response)}::int[],
                         ${t.map((x) => x.debate)}::int[]) as t (id, rt, dt) on t.id = d.petition_id
      where p.id = d.petition_id
      returning p.id, p.profile, d.n as added ${logStart})`;
}

/** A petition row the batch statement counted, as JSON (timestamps as strings), with what this batch added. */
type CountedJsonRow = Omit<
  CountedPetition,
  'closes_at' | 'response_threshold_reached_at' | 'debate_threshold_reached_at'
> & {
  closes_at: string | null;
  response_threshold_reached_at: string | null;
  debate_threshold_reached_at: string | null;
  added: number;
  log_start?: number;
};

function countedPetition(c: CountedJsonRow): CountedPetition {
  const { added: _added, log_start: _logStart, ...rest } = c;
  return {
    ...rest,
    id: String(c.id),
    closes_at: c.closes_at === null ? null : new Date(c.closes_at),
    response_threshold_reached_at:
      c.response_threshold_reached_at === null ? null : new Date(c.response_threshold_reached_at),
    debate_threshold_reached_at:
      c.debate_threshold_reached_at === null ? null : new Date(c.debate_threshold_reached_at),
  };
}

/**
 * The earlier agreements of these people (petition id and signer key pairs), whether counted or not.
 * @returns one row per pair that has an agreement
 */
export async function findAgreementsOf(
  db: Executor,
  people: ReadonlyArray<{ petitionId: string; signerKey: string }>,
): Promise<Array<{ id: string; petition_id: string; signer_key: string; confirmed: boolean }>> {
  if (people.length === 0) return [];
  const rows = (
    await sql<{ id: string; petition_id: string; signer_key: string; confirmed_at: Date | null }>`
      select a.id, a.petition_id, a.signer_key, a.confirmed_at
      from agreements a
      join unnest(${people.map((k) => k.petitionId)}::bigint[],
                  ${people.map((k) => k.signerKey)}::text[]) as k (petition_id, signer_key)
        on a.petition_id = k.petition_id and a.signer_key = k.signer_key`.execute(db)
  ).rows;
  return rows.map((row) => ({
    id: row.id,
    petition_id: row.petition_id,
    signer_key: row.signer_key,
    confirmed: row.confirmed_at !== null,
  }));
}

/** Writes what follows from a petition's new count (`countEffects`) in the batch's transaction (careful path). */
export async function writeCountEffects(
  db: Executor,
  petitionId: string,
  effects: CountEffects,
): Promise<void> {
  await db.updateTable('petitions').set(effects).where('id', '=', petitionId).execute();
}

/**
 * The split path's transaction, on ONE pinned connection: BEGIN, `body` (the batch's writes), then the statement
 * `finish` makes of body's result and COMMIT sent as ONE simple-query message — so the petitions' row locks taken
 * by that statement are held only while the server commits, never across a round trip to this process. Any error
 * rolls back.
 * @param finish SQL text ending in `;` or '' (no parameters: a simple-query message takes none)
 */
export async function inPinnedTransaction<T>(
  db: Kysely<Database>,
  body: (conn: Kysely<Database>) => Promise<T>,
  finish: (value: T) => string,
): Promise<T> {
  return await db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      const value = await body(conn);
      await sql.raw(`${finish(value)}commit`).execute(conn);
      return value;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

/**
 * The fast path's count update, as SQL text ending in `;` (values inlined: it is sent with COMMIT as one
 * simple-query message, which takes no parameters; every value is an integer, a profile's threshold or an entry's
 * hex). Each petition's count moves by its delta only where that has no effect on anything else — the petition is
 * open, and each of its thresholds stays on the side it was (not reached and still below, or reached and still at
 * or above); otherwise the update calls `agreement_count_needs_care`, which aborts the transaction with CW001.
 *
 * With `leaves` (the transparency log; one per counted agreement of the batch), the same UPDATE advances each
 * petition's `log_size` by its delta and the statement stores the leaves at the indices it just took, in a random
 * order within each petition — under the row lock the count takes anyway, held only while the server commits.
 * @param deltas per petition: its id (decimal string), how many agreements to add, and its policy profile
 * @param now the batch's instant (UTC), written as `updated_at`
 * @param settingsFor the profile's effective settings (thresholds of petitions that have none of their own)
 * @param leaves the batch's counted agreements' entries (their number per petition equals its delta)
 * @returns the statement, or '' when there is nothing to count
 * @throws RangeError when an id or a number is not an integer (nothing else is ever inlined)
 */
export function guardedCountUpdate(
  deltas: CountDelta[],
  now: Date,
  settingsFor: (profile: string) => PolicySettings,
  leaves?: ReadonlyArray<ConfirmedLeaf>,
): string {
  if (deltas.length === 0) return '';
  const int = (n: number | null) => {
    if (n === null) return 'null::int';
    if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
    return `${n}::int`;
  };
  const id = (value: string, what: string) => {
    if (!isRecordNumber(value)) throw new RangeError(`not ${what}: ${value}`);
    return `${value}::bigint`;
  };
  const rows = deltas.map((d) => {
    const settings = settingsFor(d.profile);
    return `(${id(d.petitionId, 'a petition id')}, ${int(d.added)}, ${int(settings.responseThreshold)}, ${int(settings.debateThreshold)})`;
  });
  const set = `agreement_count = ${guardedSum('d.rt', 'd.dt')},
      updated_at = '${now.toISOString()}'::timestamptz`;
  if (!leaves) {
    return `update petitions p set ${set}
    from (values ${rows.join(', ')}) as d (id, n, rt, dt)
    where p.id = d.id;
`;
  }
  const values = leaves.map(
    (l) =>
      `(${id(l.petitionId, 'a petition id')}, ${id(l.agreementId, 'an agreement id')}, '\\x${Buffer.from(l.entry).toString('hex')}'::bytea, ${int(randomInt(2 ** 31))})`,
  );
  return `with d (id, n, rt, dt) as (values ${rows.join(', ')}),
    c as (
      update petitions p set ${set}, log_size = p.log_size + d.n
      from d where p.id = d.id
      returning p.id, p.log_size - d.n as log_start)
    insert into log_entries (petition_id, idx, entry, agreement_id)
    select l.petition_id, c.log_start + row_number() over (partition by l.petition_id order by l.rank) - 1,
           l.entry, l.agreement_id
    from (values ${values.length > 0 ? values.join(', ') : '(null::bigint, null::bigint, null::bytea, null::int)'})
      as l (petition_id, agreement_id, entry, rank)
    join c on c.id = l.petition_id;
`;
}

/**
 * The log indices of these agreements' leaves (read after a split batch committed, for the signers' receipts).
 * @returns agreement id → index (decimal strings); agreements without a leaf are absent
 */
export async function findLeafIndices(db: Executor, agreementIds: string[]): Promise<Map<string, string>> {
  if (agreementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('log_entries')
    .select(['agreement_id', 'idx'])
    .where('agreement_id', 'in', agreementIds)
    .execute();
  return new Map(rows.map((r) => [String(r.agreement_id), String(r.idx)]));
}

/**
 * SQL for `petitions p`'s count plus `d.n` where that has no effect on anything else — the petition is in
 * `PUBLIC_AGREEMENT_STATES` (open) and each threshold stays on its side (not reached and still below, or reached
 * and still at or above; the petition's own threshold, else the profile's `responseThreshold`/`debateThreshold`
 * expressions) — and a call of `agreement_count_needs_care(p.id)`, which raises CW001, otherwise. Mirrors
 * `countEffects`: whenever that would return effects, this raises (a debate crossing, which moves `debate_state`,
 * is a threshold leaving its side).
 */
export function guardedSum(profileResponseThreshold: string, profileDebateThreshold: string): string {
  const stays = (threshold: string, reachedAt: string) =>
    `(case when ${reachedAt} is null then p.agreement_count + d.n < ${threshold}
           else p.agreement_count + d.n >= ${threshold} end)`;
  const response = `coalesce(p.response_threshold, ${profileResponseThreshold})`;
  const debate = `coalesce(p.debate_threshold, ${profileDebateThreshold})`;
  // inlined (this text also goes into a parameterless simple-query message): state codes are [a-z_] constants
  const open = PUBLIC_AGREEMENT_STATES.map((s) => `'${s}'`).join(', ');
  return `case
        when p.state in (${open})
         and ${stays(response, 'p.response_threshold_reached_at')}
         and (${debate} is null or ${stays(debate, 'p.debate_threshold_reached_at')})
        then p.agreement_count + d.n
        else agreement_count_needs_care(p.id) end`;
}

/**
 * Sets a petition's agreement count and everything that follows from it (`countEffects`), in the caller's
 * transaction, which must hold the petition's row lock. Used by `reconcile --fix`; the batch writer increments
 * atomically and applies `countEffects` itself. These are the only two writers of a count.
 */
export async function writeCount(
  trx: Transaction<Database>,
  p: CountedPetition,
  newCount: number,
  now: Date,
  deps: CountRules,
): Promise<void> {
  const effects = countEffects(p, newCount, now, deps) ?? {};
  await trx
    .updateTable('petitions')
    .set({ agreement_count: newCount, ...effects, updated_at: now })
    .where('id', '=', p.id)
    .execute();
}
