/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { approveInvalidation } from '../../commands/approve-invalidation.js';
import { cancelInvalidation } from '../../commands/cancel-invalidation.js';
import { addFraudListEntry, removeFraudListEntryCommand } from '../../commands/edit-fraud-list.js';
import { previewInvalidation, requestInvalidation } from '../../commands/request-invalidation.js';
import { runInvalidation } from '../../commands/run-invalidation.js';
import type { CountRules } from '../../domain/count-effects.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_RATE_ALERT_PER_MINUTE, isDisposableDomain, rateAlerts } from '../../domain/fraud.js';
import { INVALIDATION_REASONS } from '../../domain/tlog/entries.js';
import {
  listLiveFraudEntries,
  type SignalDimension,
  signalBuckets,
} from '../../repositories/fraud-signals.js';
import { listInvalidations } from '../../repositories/invalidations.js';
import type { Site } from '../site.js';
import { HorizontalBarChart } from '../views/charts.js';
import { done, petitionIdParam, type StaffGuard, type StaffRequest, staffPage, wantsJson } from './guard.js';
import { MODERATION } from './policy.js';

const DIMENSIONS: Array<[SignalDimension, string]> = [
  ['prefix', '네트워크 대역 (IPv4 /24, IPv6 /48)'],
  ['domain', '이메일 도메인'],
  ['provider', '본인확인 제공자'],
  ['hour', '시간대 (UTC)'],
];

/**
 * Fraud signals and accountable invalidation for moderators (issue 13): per-petition signals with charts and the
 * rate alert, the block / allow lists, and invalidation requests (preview, request, a second moderator's approval,
 * the run in batches with progress, cancel). Routes parse, authorise (MODERATION), call one command, present.
 * `ALERT` (query `alert`, default DEFAULT_RATE_ALERT_PER_MINUTE) is the agreements-per-minute level that raises the
 * rate alert.
 */
export function registerFraudRoutes(site: Site, guard: StaffGuard): void {
  const rules: CountRules = {
    settingsFor: (profile) => site.profile(profile).settings,
    timeZoneFor: (profile) => site.profile(profile).timeZone,
  };
  const deps = { db: site.db, now: () => site.now(), rules };
  const running = new Set<string>();
  /** Runs an approved invalidation in this process, batch by batch, unless it already runs here. */
  const startRun = (id: string) => {
    if (running.has(id)) return;
    running.add(id);
    void runInvalidation(deps, id)
      .catch((error) => console.error(`invalidation ${id}: the run stopped`, error))
      .finally(() => running.delete(id));
  };

  guard.route('GET', '/staff/petitions/:id/signals', MODERATION, async (r) => {
    const petitionId = petitionIdParam(r.c);
    const alert = Math.max(
      1,
      Number(r.c.req.query('alert') ?? DEFAULT_RATE_ALERT_PER_MINUTE) || DEFAULT_RATE_ALERT_PER_MINUTE,
    );
    const signals = await Promise.all(DIMENSIONS.map(([d]) => signalBuckets(site.db, petitionId, d)));
    const alerts = signals
      .slice(0, 3)
      .flatMap((b, i) => rateAlerts(b, alert).map((a) => ({ ...a, dimension: DIMENSIONS[i]?.[1] ?? '' })));
    const domains = signals[1] ?? [];
    if (wantsJson(r.c)) {
      return r.c.json({
        petitionId,
        alertPerMinute: alert,
        alerts,
        prefix: signals[0],
        domain: domains.map((d) => ({ ...d, disposable: isDisposableDomain(d.key) })),
        provider: signals[2],
        hour: signals[3],
      });
    }
    const fmt = (n: number) => n.toLocaleString('ko-KR');
    return staffPage(
      r,
      `청원 ${petitionId}: 이상 신호`,
      <section>
        <h1>청원 {petitionId}: 이상 신호</h1>
        <form method="get">
          <label>
            경보 기준 (분당 동의) <input name="alert" type="number" min="1" value={String(alert)} />
          </label>
          <button type="submit">적용</button>
        </form>
        {alerts.length > 0 ? (
          <div role="alert" class="alert">
            <h2>경보: 분당 {alert}건 이상</h2>
            <ul>
              {alerts.map((a) => (
                <li>
                  {a.dimension} {a.key}: 최고 분당 {fmt(a.peakPerMinute)}건 (합계 {fmt(a.agreements)}건)
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>분당 {alert}건 이상인 대역·도메인·제공자가 없습니다.</p>
        )}
        {DIMENSIONS.map(([d, label], i) => (
          <HorizontalBarChart
            id={`signal-${d}`}
            rows={(signals[i] ?? []).map((b) => ({
              name: d === 'domain' && isDisposableDomain(b.key) ? `${b.key} (일회용)` : b.key,
              count: b.agreements,
            }))}
            text={{
              title: label,
              summary: `${label}별 유효 동의 수 (상위 ${(signals[i] ?? []).length}개)`,
              columns: [label, '동의'],
              formatNumber: fmt,
              tableLabel: '표로 보기',
            }}
          />
        ))}
        <p>
          <a href={`/staff/invalidations?petition=${petitionId}`}>이 청원의 무효 처리</a>
        </p>
      </section>,
    );
  });

  guard.route('GET', '/staff/fraud-lists', MODERATION, async (r) => {
    const entries = await listLiveFraudEntries(site.db);
    if (wantsJson(r.c)) return r.c.json({ entries });
    return staffPage(
      r,
      '차단·허용 목록',
      <section>
        <h1>차단·허용 목록</h1>
        <table>
          <thead>
            <tr>
              <th>종류</th>
              <th>값</th>
              <th>조치</th>
              <th>사유</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.kind === 'prefix' ? '네트워크' : '도메인'}</td>
                <td>{e.value}</td>
                <td>{e.action === 'block' ? '차단' : '허용'}</td>
                <td>{e.reason ?? ''}</td>
                <td>
                  <form method="post" action={`/staff/fraud-lists/${e.id}/remove`}>
                    <input type="hidden" name="csrf" value={r.csrf} />
                    <button type="submit">삭제</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/staff/fraud-lists">
          <input type="hidden" name="csrf" value={r.csrf} />
          <select name="kind">
            <option value="prefix">네트워크 (CIDR)</option>
            <option value="domain">이메일 도메인</option>
          </select>
          <input name="value" required />
          <select name="action">
            <option value="block">차단</option>
            <option value="allow">허용</option>
          </select>
          <input name="reason" placeholder="사유" />
          <button type="submit">추가</button>
        </form>
      </section>,
    );
  });
  guard.route('POST', '/staff/fraud-lists', MODERATION, async (r) => {
    const { id } = await addFraudListEntry(deps, r.actor, {
      kind: r.fields.kind ?? '',
      value: r.fields.value ?? '',
      action: r.fields.action ?? '',
      reason: r.fields.reason || null,
    });
    if (wantsJson(r.c)) return r.c.json({ id: Number(id) }, 201);
    return done(r, '/staff/fraud-lists');
  });
  guard.route('POST', '/staff/fraud-lists/:entryId/remove', MODERATION, async (r) => {
    await removeFraudListEntryCommand(deps, r.actor, r.c.req.param('entryId') ?? '', r.fields.reason || null);
    return done(r, '/staff/fraud-lists');
  });

  const filterFields = (f: Record<string, string>) => ({
    petitionId: f.petition ?? '',
    from: f.from || null,
    to: f.to || null,
    cidr: f.cidr || null,
    emailDomain: f.email_domain || null,
    provider: f.provider || null,
    agreementIds: f.agreement_ids || null,
  });

  guard.route('GET', '/staff/invalidations', MODERATION, async (r) => {
    const petition = r.c.req.query('petition');
    const list = await listInvalidations(
      site.db,
      petition && /^[1-9][0-9]*$/.test(petition) ? petition : undefined,
    );
    if (wantsJson(r.c)) return r.c.json({ invalidations: list });
    return staffPage(r, '무효 처리', <InvalidationsView r={r} list={list} petition={petition ?? ''} />);
  });
  guard.route('POST', '/staff/invalidations/preview', MODERATION, async (r) => {
    const p = await previewInvalidation(site.db, filterFields(r.fields));
    if (wantsJson(r.c)) return r.c.json({ count: p.count, criteria: p.criteria });
    return staffPage(
      r,
      '무효 처리 미리보기',
      <section>
        <p>
          이 조건에 맞는 유효 동의: <strong>{p.count.toLocaleString('ko-KR')}건</strong> (조건 유형:{' '}
          {p.criteria})
        </p>
        <a href={`/staff/invalidations?petition=${p.filter.petitionId}`}>돌아가기</a>
      </section>,
    );
  });
  guard.route('POST', '/staff/invalidations', MODERATION, async (r) => {
    const created = await requestInvalidation(deps, r.actor, {
      filter: filterFields(r.fields),
      reasonCode: Number(r.fields.reason_code),
      note: r.fields.note || null,
    });
    if (wantsJson(r.c))
      return r.c.json({ id: Number(created.id), planned: created.planned, criteria: created.criteria }, 201);
    return done(r, `/staff/invalidations?petition=${r.fields.petition ?? ''}`);
  });
  guard.route('POST', '/staff/invalidations/:invId/approve', MODERATION, async (r) => {
    const id = invalidationIdParam(r);
    await approveInvalidation(deps, r.actor, id);
    startRun(id);
    return done(r, '/staff/invalidations');
  });
  guard.route('POST', '/staff/invalidations/:invId/cancel', MODERATION, async (r) => {
    const result = await cancelInvalidation(deps, r.actor, invalidationIdParam(r));
    if (wantsJson(r.c)) return r.c.json(result);
    return done(r, '/staff/invalidations');
  });
}

function invalidationIdParam(r: StaffRequest): string {
  const id = r.c.req.param('invId') ?? '';
  if (!/^[1-9][0-9]{0,17}$/.test(id))
    throw new DomainError('not_found', 'There is no such invalidation request.');
  return id;
}

function InvalidationsView(props: {
  r: StaffRequest;
  list: Awaited<ReturnType<typeof listInvalidations>>;
  petition: string;
}) {
  const { r } = props;
  return (
    <section>
      <h1>무효 처리</h1>
      <p>
        요청한 직원은 승인할 수 없습니다. 다른 직원이 승인하면 나누어 처리되며, 진행 중에 취소할 수 있습니다.
      </p>
      <form method="post" action="/staff/invalidations">
        <input type="hidden" name="csrf" value={r.csrf} />
        <label>
          청원 번호 <input name="petition" value={props.petition} required />
        </label>
        <label>
          시작 (UTC) <input name="from" type="datetime-local" />
        </label>
        <label>
          끝 (UTC) <input name="to" type="datetime-local" />
        </label>
        <label>
          네트워크 (CIDR) <input name="cidr" />
        </label>
        <label>
          이메일 도메인 <input name="email_domain" />
        </label>
        <label>
          본인확인 제공자 <input name="provider" />
        </label>
        <label>
          동의 번호 목록 <textarea name="agreement_ids" />
        </label>
        <label>
          사유 분류{' '}
          <select name="reason_code">
            {Object.entries(INVALIDATION_REASONS).map(([code, name]) => (
              <option value={code}>{name}</option>
            ))}
          </select>
        </label>
        <input name="note" placeholder="메모 (감사 기록에만)" />
        <button type="submit" formaction="/staff/invalidations/preview">
          건수 미리보기
        </button>
        <button type="submit">요청</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>번호</th>
            <th>청원</th>
            <th>상태</th>
            <th>진행</th>
            <th>조건 유형</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.list.map((i) => (
            <tr>
              <td>{i.id}</td>
              <td>
                <a href={`/staff/petitions/${i.petition_id}/signals`}>{i.petition_id}</a>
              </td>
              <td>{i.state}</td>
              <td>
                <progress max={String(Math.max(1, i.planned))} value={String(i.applied)}>
                  {i.applied}/{i.planned}
                </progress>{' '}
                {i.applied}/{i.planned}
              </td>
              <td>{i.criteria_class}</td>
              <td>
                {i.state === 'requested' && i.requested_by !== r.who.id ? (
                  <form method="post" action={`/staff/invalidations/${i.id}/approve`}>
                    <input type="hidden" name="csrf" value={r.csrf} />
                    <button type="submit">승인</button>
                  </form>
                ) : null}
                {i.state === 'requested' || i.state === 'running' ? (
                  <form method="post" action={`/staff/invalidations/${i.id}/cancel`}>
                    <input type="hidden" name="csrf" value={r.csrf} />
                    <button type="submit">{i.state === 'requested' ? '반려' : '취소'}</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
