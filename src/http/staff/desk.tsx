/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { approveNotice } from '../../commands/desk/approve-notice.js';
import { createTakedown } from '../../commands/desk/create-takedown.js';
import { editNotice } from '../../commands/desk/edit-notice.js';
import { readEvidenceContent } from '../../commands/desk/read-evidence-content.js';
import { recordRecheck } from '../../commands/desk/record-recheck.js';
import { recordTakedownOutcome, TAKEDOWN_OUTCOMES } from '../../commands/desk/record-takedown-outcome.js';
import { sendNotice } from '../../commands/desk/send-notice.js';
import { setCaptureStorage } from '../../commands/desk/set-capture-storage.js';
import { viewCase } from '../../commands/desk/view-case.js';
import { compareTakedowns, legalClock } from '../../domain/desk/takedowns.js';
import { NOTICE_LANGUAGES } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import { RECORD_NUMBER } from '../../domain/record-numbers.js';
import {
  deskSettings,
  evidenceForTakedown,
  listCases,
  noticesForTakedown,
  takedownById,
  takedownQueue,
} from '../../repositories/desk.js';
import type { DeskContext } from '../desk/api.js';
import type { Site } from '../site.js';
import { done, type StaffRouteRegistrar, staffPage } from './guard.js';
import { ADMINISTRATION, DESK } from './policy.js';

const STATE_LABELS: Record<string, string> = {
  drafted: '작성됨',
  approved: '승인됨',
  sent: '보냄',
  acknowledged: '접수 확인',
  removed: '삭제됨',
  refused: '거부됨',
  unanswered: '기한 내 무응답',
  escalated: '상위 기관 이관',
};

const idParam = (c: Context, name: string) => {
  const id = c.req.param(name) ?? '';
  if (!RECORD_NUMBER.test(id)) throw new DomainError('invalid_parameter', '번호는 1 이상의 정수입니다.');
  return id;
};
const when = (d: Date | null | undefined) =>
  d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';

/**
 * The staff desk, `/staff/desk` (the `desk_officer` role only — a role apart from petition moderators; capture
 * storage is switched by an administrator): the takedown queue against the legal clock (overdue first), cases
 * (under-18 first; every view of a case is audited by `viewCase`, the contact only on request and audited as
 * such), a takedown's notices (edit, approve, send through the outbox), outcomes, re-upload checks and the
 * evidence log (a stored capture opens only through an audited read).
 */
export function registerDeskStaffRoutes(site: Site, route: StaffRouteRegistrar, desk: DeskContext): void {
  route('GET', '/staff/desk', DESK, async (r) => {
    const now = site.now();
    const queue = (await takedownQueue(site.db, 500)).sort((a, b) =>
      compareTakedowns(
        { state: a.state, dueAt: a.due_at, createdAt: a.created_at },
        { state: b.state, dueAt: b.due_at, createdAt: b.created_at },
        now,
      ),
    );
    const cases = await listCases(site.db, 100);
    const settings = await deskSettings(site.db);
    return staffPage(
      r,
      '디지털성범죄 대응',
      <>
        <h1>디지털성범죄 대응</h1>
        <p>
          캡처 내용 보관: {settings.capture_storage ? '켜짐 (암호화, 열람 기록)' : '꺼짐 (SHA-256만 기록)'}
        </p>
        <h2>삭제 요청 (법정 기한: 전기통신사업법 제22조의5, 14일·1회 연장)</h2>
        <table class="desk-queue">
          <thead>
            <tr>
              <th scope="col">번호</th>
              <th scope="col">사이트</th>
              <th scope="col">상태</th>
              <th scope="col">기한</th>
              <th scope="col">남은 날</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((t) => {
              const clock = legalClock({ state: t.state, dueAt: t.due_at }, now);
              return (
                <tr data-takedown={t.id} data-overdue={clock?.overdue ? 'yes' : 'no'}>
                  <td>
                    <a href={`/staff/desk/takedowns/${t.id}`}>T-{t.id}</a>
                    {t.priority === 'minor' ? ' (18세 미만)' : ''}
                  </td>
                  <td>{t.site}</td>
                  <td>{STATE_LABELS[t.state]}</td>
                  <td>{when(t.due_at)}</td>
                  <td>
                    {clock ? (clock.overdue ? `${-clock.daysLeft}일 지남` : `${clock.daysLeft}일`) : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h2>새 삭제 요청</h2>
        <form method="post" action="/staff/desk/takedowns">
          <input type="hidden" name="csrf" value={r.csrf} />
          <label for="td-url">주소</label> <input id="td-url" name="url" required />
          <label for="td-platform">플랫폼</label> <input id="td-platform" name="platform" />
          <label for="td-jurisdiction">관할(국가 코드)</label>{' '}
          <input id="td-jurisdiction" name="jurisdiction" maxlength={2} />
          <button type="submit">작성</button>
        </form>
        <h2>사건</h2>
        <ul>
          {cases.map((c) => (
            <li>
              <a href={`/staff/desk/cases/${c.id}`}>{c.case_number}</a> —{' '}
              {c.state === 'active' ? '진행' : '철회'}
              {c.priority === 'minor' ? ' · 18세 미만 우선' : ''}
              {c.contact_requested ? ' · 상담 연락 요청' : ''}
            </li>
          ))}
        </ul>
      </>,
    );
  });

  route('GET', '/staff/desk/cases/:caseId', DESK, async (r) => {
    const withContact = r.c.req.query('contact') === '1';
    const status = await viewCase(site.db, {
      caseId: idParam(r.c, 'caseId'),
      actor: r.actor,
      now: site.now(),
      withContact,
      secret: desk.secret,
    });
    if (!status) throw new DomainError('case_not_found', '그런 사건이 없습니다.');
    return staffPage(
      r,
      `사건 ${status.case_number}`,
      <>
        <h1>사건 {status.case_number}</h1>
        <p>이 열람은 감사 기록에 남습니다.</p>
        <ul>
          <li>상태: {status.state === 'active' ? '진행' : `철회 (${when(status.withdrawn_at)})`}</li>
          <li>우선순위: {status.priority === 'minor' ? '18세 미만 (우선)' : '일반'}</li>
          <li>
            접수: {when(status.created_at)} · 보관 기한: {when(status.purge_after)}
          </li>
          <li>
            해시: {status.hashes.map((h) => `${h.algorithm} ${h.state} ${h.count}`).join(', ') || '없음'}
          </li>
          <li>일치: {status.matches.map((m) => `${m.feedback} ${m.count}`).join(', ') || '없음'}</li>
        </ul>
        {status.contact_requested ? (
          withContact ? (
            <p>
              상담 연락처: <strong>{status.contact}</strong>
            </p>
          ) : (
            <p>
              <a href={`/staff/desk/cases/${status.id}?contact=1`}>상담 연락처 보기 (열람 기록)</a>
            </p>
          )
        ) : null}
        <h2>삭제 요청</h2>
        <ul>
          {status.takedowns.map((t) => (
            <li>
              <a href={`/staff/desk/takedowns/${t.id}`}>T-{t.id}</a> {t.site} — {STATE_LABELS[t.state]}
            </li>
          ))}
        </ul>
      </>,
    );
  });

  route('POST', '/staff/desk/takedowns', DESK, async (r) => {
    const made = await createTakedown(site.db, {
      url: r.fields.url ?? '',
      ...(r.fields.platform ? { platform: r.fields.platform } : {}),
      ...(r.fields.jurisdiction ? { jurisdiction: r.fields.jurisdiction } : {}),
      ...(r.fields.language ? { language: r.fields.language } : {}),
      operatorName: desk.operatorName,
      actor: r.actor,
      now: site.now(),
    });
    return done(r, `/staff/desk/takedowns/${made.takedownId}`);
  });

  route('GET', '/staff/desk/takedowns/:takedownId', DESK, async (r) => {
    const id = idParam(r.c, 'takedownId');
    const t = await takedownById(site.db, id);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    const now = site.now();
    const clock = legalClock({ state: t.state, dueAt: t.due_at }, now);
    const notices = await noticesForTakedown(site.db, id);
    const evidence = await evidenceForTakedown(site.db, id);
    const csrf = <input type="hidden" name="csrf" value={r.csrf} />;
    return staffPage(
      r,
      `삭제 요청 T-${t.id}`,
      <>
        <h1>삭제 요청 T-{t.id}</h1>
        <ul>
          <li>주소: {t.url}</li>
          <li>
            사이트: {t.site} · 플랫폼: {t.platform_name ?? '—'} · 관할: {t.jurisdiction ?? '—'} · 언어:{' '}
            {t.language}
          </li>
          <li data-state={t.state}>상태: {STATE_LABELS[t.state]}</li>
          <li>
            보냄: {when(t.sent_at)} · 기한: {when(t.due_at)}
            {t.extended_at ? ' (연장됨)' : ''}
            {clock ? (clock.overdue ? ` · ${-clock.daysLeft}일 지남` : ` · ${clock.daysLeft}일 남음`) : ''}
          </li>
          {t.next_recheck_at ? (
            <li>
              다음 재게시 확인: {when(t.next_recheck_at)} ({t.rechecks}회 확인함)
            </li>
          ) : null}
        </ul>
        <h2>결과 기록</h2>
        <form method="post" action={`/staff/desk/takedowns/${t.id}/outcome`}>
          {csrf}
          <label for="outcome">결과</label>{' '}
          <select id="outcome" name="outcome">
            {TAKEDOWN_OUTCOMES.map((o) => (
              <option value={o}>{o}</option>
            ))}
          </select>{' '}
          <label for="outcome-reason">메모</label> <input id="outcome-reason" name="reason" />
          <button type="submit">기록</button>
        </form>
        {t.next_recheck_at ? (
          <form method="post" action={`/staff/desk/takedowns/${t.id}/recheck`}>
            {csrf}
            <button type="submit" name="found" value="no">
              재게시 없음
            </button>{' '}
            <button type="submit" name="found" value="yes">
              다시 올라옴
            </button>
          </form>
        ) : null}
        <h2>통지문</h2>
        {notices.map((n) => (
          <section aria-label={`통지문 ${n.id}`}>
            <p>
              {n.language} · {n.state === 'draft' ? '초안' : n.state === 'approved' ? '승인됨' : '보냄'} ·
              받는 곳: {n.recipient || '(미정)'}
            </p>
            {n.state === 'draft' ? (
              <>
                <form method="post" action={`/staff/desk/notices/${n.id}/edit`}>
                  {csrf}
                  <label for={`lang-${n.id}`}>언어</label>{' '}
                  <select id={`lang-${n.id}`} name="language">
                    {NOTICE_LANGUAGES.map((l) => (
                      <option value={l} selected={l === n.language}>
                        {l}
                      </option>
                    ))}
                  </select>{' '}
                  <label for={`to-${n.id}`}>받는 곳</label>{' '}
                  <input id={`to-${n.id}`} name="recipient" value={n.recipient} />
                  <label for={`subject-${n.id}`}>제목</label>
                  <input id={`subject-${n.id}`} name="subject" value={n.subject} />
                  <label for={`body-${n.id}`}>본문</label>
                  <textarea id={`body-${n.id}`} name="body" rows={12}>
                    {n.body}
                  </textarea>
                  <button type="submit">고치기</button>
                </form>
                <form method="post" action={`/staff/desk/notices/${n.id}/approve`}>
                  {csrf}
                  <button type="submit">이대로 승인</button>
                </form>
              </>
            ) : (
              <pre>{`${n.subject}\n\n${n.body}`}</pre>
            )}
            {n.state === 'approved' ? (
              <form method="post" action={`/staff/desk/notices/${n.id}/send`}>
                {csrf}
                <button type="submit">보내기 (법정 기한 시작)</button>
              </form>
            ) : null}
          </section>
        ))}
        <h2>증거 기록 (추가만 가능)</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">번호</th>
              <th scope="col">주소</th>
              <th scope="col">수집 시각</th>
              <th scope="col">SHA-256</th>
              <th scope="col">기록한 사람</th>
              <th scope="col">내용</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e) => (
              <tr>
                <td>E-{e.id}</td>
                <td>{e.url}</td>
                <td>{when(e.captured_at)}</td>
                <td>
                  <code>{e.sha256}</code>
                </td>
                <td>{e.recorded_by}</td>
                <td>
                  {e.content_stored ? (
                    <a href={`/staff/desk/evidence/${e.id}/content`}>열기 (열람 기록)</a>
                  ) : (
                    '해시만'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
    );
  });

  route('POST', '/staff/desk/takedowns/:takedownId/outcome', DESK, async (r) => {
    const id = idParam(r.c, 'takedownId');
    await recordTakedownOutcome(site.db, {
      takedownId: id,
      outcome: r.fields.outcome ?? '',
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    return done(r, `/staff/desk/takedowns/${id}`);
  });

  route('POST', '/staff/desk/takedowns/:takedownId/recheck', DESK, async (r) => {
    const id = idParam(r.c, 'takedownId');
    const result = await recordRecheck(site.db, {
      takedownId: id,
      foundAgain: r.fields.found === 'yes',
      operatorName: desk.operatorName,
      actor: r.actor,
      now: site.now(),
    });
    return done(r, `/staff/desk/takedowns/${result.reuploadTakedownId ?? id}`);
  });

  route('POST', '/staff/desk/notices/:noticeId/edit', DESK, async (r) => {
    const noticeId = idParam(r.c, 'noticeId');
    await editNotice(site.db, {
      noticeId,
      ...(r.fields.recipient !== undefined ? { recipient: r.fields.recipient } : {}),
      ...(r.fields.subject !== undefined ? { subject: r.fields.subject } : {}),
      ...(r.fields.body !== undefined ? { body: r.fields.body } : {}),
      ...(r.fields.language ? { language: r.fields.language } : {}),
      operatorName: desk.operatorName,
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/desk');
  });

  route('POST', '/staff/desk/notices/:noticeId/approve', DESK, async (r) => {
    await approveNotice(site.db, { noticeId: idParam(r.c, 'noticeId'), actor: r.actor, now: site.now() });
    return done(r, '/staff/desk');
  });

  route('POST', '/staff/desk/notices/:noticeId/send', DESK, async (r) => {
    await sendNotice(site.db, { noticeId: idParam(r.c, 'noticeId'), actor: r.actor, now: site.now() });
    return done(r, '/staff/desk');
  });

  route('GET', '/staff/desk/evidence/:evidenceId/content', DESK, async (r) => {
    const bytes = await readEvidenceContent(site.db, {
      evidenceId: idParam(r.c, 'evidenceId'),
      secret: desk.secret,
      actor: r.actor,
      now: site.now(),
    });
    r.c.header('Cache-Control', 'no-store');
    r.c.header('Content-Disposition', 'attachment');
    return r.c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'application/octet-stream' });
  });

  route('POST', '/staff/desk/settings/capture', ADMINISTRATION, async (r) => {
    const reason = (r.fields.reason ?? '').trim();
    if (!reason)
      throw new DomainError('invalid_parameter', '이유를 적으십시오.', { fields: { reason: 'required' } });
    await setCaptureStorage(site.db, {
      on: r.fields.active === 'on',
      reason,
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/audit');
  });
}
