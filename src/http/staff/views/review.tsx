/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { PetitionReview } from '../../../commands/review-petition.js';
import type { PersonalDataFlagsTable, RedactedPassage } from '../../../db/schema.js';
import { isHidden, isPublic } from '../../../domain/petition-states.js';
import type { PolicyProfile } from '../../../domain/policy-profiles.js';
import { STATE_LABELS } from '../../views/components.js';
import { ReasonField, shortDateTime } from './layout.js';

/**
 * The review page of one petition: its text with personal-data flags marked, the flags, the hidden originals
 * (staff only), similar petitions, the check-out and the decision forms, and the decisions so far.
 */
export function ReviewView(props: {
  review: PetitionReview;
  /** The signed-in staff member's id (whether the check-out is theirs). */
  staffId: string;
  csrf: string;
  /** The petition's profile's time zone and its category's name. */
  zone: string;
  categoryName: string | null;
  /** The petition's profile: its rules (edit before publishing) and tracks decide which forms are offered. */
  profile?: PolicyProfile;
}) {
  const { petition: p, flags, redactions, similar, checkout, reasons, decisions } = props.review;
  const { zone, csrf } = props;
  const id = p.id;
  const mine = checkout?.staff_id === props.staffId;
  const en = props.profile?.locale === 'en';
  const l = (ko: string, english: string) => (en ? english : ko);
  const reasonFields = (
    <>
      <label>
        {l('사유', 'Reason')}{' '}
        <select name="reason_code">
          {reasons.map((reason) => (
            <option value={reason.code}>{en ? (reason.label_en ?? reason.label) : reason.label}</option>
          ))}
        </select>
      </label>
      <label>
        {l('공개 문구 (비우면 목록의 문구)', 'Public text (blank: the list’s text)')}{' '}
        <input name="public_reason" maxlength={1000} />
      </label>
      <label>
        {l('내부 메모', 'Internal note')} <input name="reason" maxlength={1000} />
      </label>
    </>
  );
  const form = (action: string, label: string, children?: Child) => (
    <form method="post" action={`/staff/petitions/${id}/${action}`} class="staff-action">
      <input type="hidden" name="csrf" value={csrf} />
      {children}
      <button type="submit" class="button">
        {label}
      </button>
    </form>
  );
  return (
    <>
      <p>
        <a href="/staff/queue">← 검토 대기열</a>
      </p>
      <h1>
        {p.id}. <Highlighted text={p.title} flags={flags.filter((f) => f.field === 'title')} />
      </h1>
      <p>
        {STATE_LABELS[p.state] ?? p.state}
        {props.categoryName !== null ? ` · ${props.categoryName}` : ''}
        {p.review_started_at ? ` · 검토 시작 ${shortDateTime(p.review_started_at, zone)}` : ''}
        {p.hidden_in_part ? ' · 일부 숨김' : ''}
        {p.duplicate_of ? ` · ${p.duplicate_of}번 청원과 중복` : ''}
      </p>
      <p class="notice" role="status">
        {checkout
          ? mine
            ? `내가 검토 중입니다 (${shortDateTime(checkout.expires_at, zone)}까지).`
            : `${checkout.email} 님이 검토 중입니다 (${shortDateTime(checkout.expires_at, zone)}까지).`
          : '아무도 검토하고 있지 않습니다. 결정하려면 먼저 검토를 시작하십시오.'}
      </p>
      {mine ? form('release', '검토 내려놓기') : form('checkout', '검토 시작 (체크아웃)')}
      <section aria-labelledby="text-heading">
        <h2 id="text-heading">청원 내용</h2>
        <div class="petition-body staff-text">
          <Highlighted text={p.body ?? ''} flags={flags.filter((f) => f.field === 'body')} />
        </div>
      </section>
      <section aria-labelledby="flags-heading">
        <h2 id="flags-heading">개인정보로 보이는 부분 ({flags.length})</h2>
        <ul>
          {flags.map((f) => (
            <li>
              {f.field === 'title' ? '제목' : '본문'} · {f.kind} (
              {f.confidence === 'high' ? '확실' : '확인 필요'}): “{f.matched_text}” → 제안: “{f.mask}” ·{' '}
              {f.resolution === 'masked'
                ? '가림'
                : f.resolution === 'overridden'
                  ? `예외 처리: ${f.resolution_reason ?? ''}`
                  : '처리 안 됨'}
            </li>
          ))}
        </ul>
      </section>
      {redactions.length > 0 ? (
        <section aria-labelledby="hidden-heading">
          <h2 id="hidden-heading">숨긴 원문 (직원만 볼 수 있음)</h2>
          <ul>
            {redactions.flatMap((red) =>
              (red.passages as RedactedPassage[]).map((ps) => (
                <li>
                  {red.field === 'title' ? '제목' : '본문'} · {ps.label}: <del>{ps.text}</del>
                  {red.restored_at ? ' (되돌림)' : ''}
                </li>
              )),
            )}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="similar-heading">
        <h2 id="similar-heading">비슷한 청원</h2>
        {similar.length === 0 ? <p class="empty">비슷한 청원이 없습니다.</p> : null}
        <ol class="similar">
          {similar.map((s) => (
            <li>
              <a href={`/petitions/${s.id}`}>
                {s.id}. {s.title}
              </a>{' '}
              · {STATE_LABELS[s.state] ?? s.state} · 유사도 {s.score.toFixed(2)}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="decide-heading">
        <h2 id="decide-heading">결정</h2>
        {form(
          'publish',
          '공개',
          <label>
            처리하지 않은 개인정보를 그대로 공개할 이유 (예외, 기록됨){' '}
            <input name="override_reason" maxlength={500} />
          </label>,
        )}
        {form(
          'reject',
          '공개 거부',
          <>
            <label>
              사유{' '}
              <select name="reason_code">
                {reasons.map((reason) => (
                  <option value={reason.code}>{reason.label}</option>
                ))}
              </select>
            </label>
            <label>
              공개 문구 (비우면 목록의 문구) <input name="public_reason" maxlength={1000} />
            </label>
            <label>
              내부 메모 <input name="reason" maxlength={1000} />
            </label>
          </>,
        )}
        {form(
          'duplicate',
          '중복 표시',
          <label>
            원래 청원 번호 <input name="of" inputmode="numeric" pattern="[0-9]+" required />
          </label>,
        )}
        {form(
          'hide-in-part',
          '일부 숨김',
          <>
            <label>
              어디에서{' '}
              <select name="field">
                <option value="body">본문</option>
                <option value="title">제목</option>
              </select>
            </label>
            <label>
              숨길 문구 (한 줄에 하나, 나오는 곳 모두)
              <textarea name="passages" rows={3} maxlength={4000} />
            </label>
            <label>
              표시할 이유 <input name="label" value="개인정보" maxlength={40} />
            </label>
            {flags
              .filter((f) => f.resolution === null)
              .map((f) => (
                <label>
                  <input type="checkbox" name={`flag_${f.id}`} value="on" /> “{f.matched_text}” → “{f.mask}”
                </label>
              ))}
            <label>
              내부 메모 <input name="reason" maxlength={1000} />
            </label>
          </>,
        )}
        {p.hidden_in_part ? form('unhide-in-part', '일부 숨김 되돌리기', <ReasonField />) : null}
        {isHidden(p.state)
          ? form('unhide', '숨김 해제', <ReasonField />)
          : form('hide', '전체 숨김', <ReasonField />)}
        {p.state === 'rejected'
          ? form('restore', l('거부 취소 (복원)', 'Restore (undo the rejection)'), <ReasonField />)
          : null}
        {isPublic(p.state) ? form('take-down', l('게시 중단', 'Take down'), reasonFields) : null}
        {p.state === 'in_review' && props.profile?.rules.editBeforePublishing
          ? form(
              'edit',
              l('글 고치기 (청원인에게 알림)', 'Save changes (the creator is told)'),
              <>
                <label>
                  {l('제목', 'Action')} <input name="title" value={p.title} maxlength={200} required />
                </label>
                <label>
                  {l('내용', 'Text')}
                  <textarea name="body" rows={8} maxlength={20000}>
                    {p.body ?? ''}
                  </textarea>
                </label>
                <ReasonField />
              </>,
            )
          : null}
        {props.profile && props.profile.tracks.length > 0 ? (
          <p>
            <a href={`/staff/petitions/${id}/tracks`}>
              {l('의회 절차 (위원회 회부·심사)', 'Parliamentary track (debate)')}
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">결정 기록</h2>
        <ol>
          {decisions.map((d) => (
            <li>
              {shortDateTime(d.decided_at, zone)} · {d.email} · {d.decision}
              {d.public_reason ? ` · ${d.public_reason}` : ''}
              {d.note ? ` · 메모: ${d.note}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** Text with personal-data flags marked (<mark>, the suggested mask in the title attribute). */
function Highlighted(props: {
  text: string;
  flags: Array<Pick<PersonalDataFlagsTable, 'kind' | 'mask' | 'start_offset' | 'end_offset'>>;
}) {
  const parts: Child[] = [];
  let at = 0;
  for (const f of [...props.flags].sort((a, b) => a.start_offset - b.start_offset)) {
    if (f.start_offset < at || f.end_offset > props.text.length) continue;
    parts.push(props.text.slice(at, f.start_offset));
    parts.push(
      <mark class="personal-data" title={`${f.kind} → ${f.mask}`}>
        {props.text.slice(f.start_offset, f.end_offset)}
      </mark>,
    );
    at = f.end_offset;
  }
  parts.push(props.text.slice(at));
  return <>{parts}</>;
}
