/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  COMMITTEE_STATE_LABELS,
  COMMITTEE_TRANSITIONS,
  isCommitteeState,
} from '../../../domain/committee-track.js';
import type { PolicyProfile } from '../../../domain/policy-profiles.js';
import { DEBATE_STATE_LABELS, DEBATE_TRANSITIONS, isDebateState } from '../../../domain/response-track.js';
import type { DebateOutcome, TrackEvent } from '../../../repositories/tracks.js';
import { TrackTimeline } from '../../views/tracks.js';

/**
 * The staff page of a petition's parliamentary track, in the profile's language: the timeline so far and the
 * forms the track allows next (UK: schedule a debate, record its outcome, decide not to debate; 국회: refer to a
 * committee, under review, decided, ended with the term).
 */
export function TracksView(props: {
  petition: {
    id: string;
    title: string;
    debate_state: string;
    committee_state: string;
    scheduledOn: string | null;
  };
  profile: PolicyProfile;
  events: TrackEvent[];
  outcome: DebateOutcome | undefined;
  csrf: string;
}) {
  const { petition: p, profile, csrf } = props;
  const locale = profile.locale;
  const l = (ko: string, en: string) => (locale === 'en' ? en : ko);
  const form = (action: string, label: string, children: unknown) => (
    <form method="post" action={`/staff/petitions/${p.id}/${action}`} class="staff-action">
      <input type="hidden" name="csrf" value={csrf} />
      {children}
      <button type="submit" class="button">
        {label}
      </button>
    </form>
  );
  const debate = isDebateState(p.debate_state) ? p.debate_state : 'none';
  const committee = isCommitteeState(p.committee_state) ? p.committee_state : 'none';
  const nextDebate = DEBATE_TRANSITIONS[debate];
  const nextCommittee = COMMITTEE_TRANSITIONS[committee];
  return (
    <>
      <p>
        <a href={`/staff/petitions/${p.id}`}>← {l('검토 페이지', 'Review page')}</a>
      </p>
      <h1>
        {p.id}. {p.title}
      </h1>
      {profile.tracks.includes('debate') ? (
        <section aria-labelledby="debate-heading">
          <h2 id="debate-heading">{l('의회 토론', 'Debate')}</h2>
          <p>
            {DEBATE_STATE_LABELS[debate][locale] || l('토론 기준 미달', 'Debate threshold not reached')}
            {p.scheduledOn ? ` · ${p.scheduledOn}` : ''}
          </p>
          {nextDebate.includes('scheduled') || debate === 'scheduled'
            ? form(
                'debate/schedule',
                l('토론 일정 잡기', 'Schedule the debate'),
                <label>
                  {l('토론일', 'Debate date')} <input type="date" name="on" required />
                </label>,
              )
            : null}
          {nextDebate.includes('debated')
            ? form(
                'debate/outcome',
                l('토론 결과 기록', 'Record the debate outcome'),
                <>
                  <label>
                    {l('토론한 날', 'Debated on')} <input type="date" name="debated_on" required />
                  </label>
                  <label>
                    {l('요약', 'Summary')} <textarea name="overview" rows={4} maxlength={10000} />
                  </label>
                  <label>
                    {l('속기록 링크', 'Transcript link')} <input type="url" name="transcript_url" />
                  </label>
                  <label>
                    {l('영상 링크', 'Video link')} <input type="url" name="video_url" />
                  </label>
                  <label>
                    {l('연구 자료 링크', 'Research link')} <input type="url" name="research_url" />
                  </label>
                </>,
              )
            : null}
          {nextDebate.includes('not_debated')
            ? form(
                'debate/not-debated',
                l('토론하지 않기로 결정', 'Decide not to debate'),
                <label>
                  {l('공개 사유', 'Public reason')}{' '}
                  <textarea name="reason" rows={3} maxlength={10000} required />
                </label>,
              )
            : null}
          {props.outcome?.debated ? (
            <p>{l('토론 결과가 기록되었습니다.', 'The outcome is recorded.')}</p>
          ) : null}
        </section>
      ) : null}
      {profile.tracks.includes('committee') ? (
        <section aria-labelledby="committee-heading">
          <h2 id="committee-heading">{l('위원회 심사', 'Committee')}</h2>
          <p>{COMMITTEE_STATE_LABELS[committee][locale] || l('회부 전', 'Not referred')}</p>
          {nextCommittee.length > 0
            ? form(
                'committee',
                l('단계 기록', 'Record the stage'),
                <>
                  <label>
                    {l('단계', 'Stage')}{' '}
                    <select name="stage">
                      {nextCommittee.map((s) => (
                        <option value={s}>{COMMITTEE_STATE_LABELS[s][locale]}</option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {l('위원회 (회부 시)', 'Committee (for a referral)')}{' '}
                    <input name="committee" maxlength={200} />
                  </label>
                  <label>
                    {l('날짜', 'Date')} <input type="date" name="on" />
                  </label>
                  <label>
                    {l('공개 내용 (의결 시 필수)', 'Public text (required for a decision)')}{' '}
                    <textarea name="note" rows={3} maxlength={10000} />
                  </label>
                </>,
              )
            : null}
        </section>
      ) : null}
      <TrackTimeline events={props.events} locale={locale} outcome={props.outcome} />
    </>
  );
}
