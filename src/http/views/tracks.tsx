/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { COMMITTEE_STATE_LABELS, isCommitteeState } from '../../domain/committee-track.js';
import { DEBATE_STATE_LABELS, isDebateState } from '../../domain/response-track.js';
import { formatDate, type Locale } from '../../i18n/index.js';
import type { DebateOutcome, TrackEvent } from '../../repositories/tracks.js';

/** A local date 'YYYY-MM-DD' as the locale writes dates ('8 Dec 2026', '2026. 12. 8.'). */
export function localDateText(locale: Locale, day: string): string {
  return formatDate(locale, new Date(`${day}T12:00:00Z`), 'UTC');
}

/** The label of a track event's stage in `locale`. */
function stageLabel(e: TrackEvent, locale: Locale): string {
  if (e.track === 'debate' && isDebateState(e.stage)) return DEBATE_STATE_LABELS[e.stage][locale];
  if (e.track === 'committee' && isCommitteeState(e.stage)) return COMMITTEE_STATE_LABELS[e.stage][locale];
  return e.stage;
}

/**
 * The public timeline of a petition's parliamentary track (UK debate, National Assembly committee), oldest first,
 * with the debate's outcome and its links (transcript, video, research) — e-petitions' "Parliament debated this
 * petition" block. Nothing when there is nothing to show.
 */
export function TrackTimeline(props: {
  events: TrackEvent[];
  outcome?: DebateOutcome | undefined;
  locale: Locale;
}) {
  const { events, outcome, locale } = props;
  if (events.length === 0 && !outcome) return null;
  const en = locale === 'en';
  return (
    <section class="track-timeline" aria-labelledby="track-heading">
      <h2 id="track-heading">{en ? 'In Parliament' : '의회 절차'}</h2>
      <ol>
        {events.map((e) => (
          <li>
            <strong>{stageLabel(e, locale)}</strong>
            {e.bodyName ? ` · ${e.bodyName}` : ''}
            {e.occurredOn ? ` · ${localDateText(locale, e.occurredOn)}` : ''}
            {e.note ? <p>{e.note}</p> : null}
          </li>
        ))}
      </ol>
      {outcome?.debated ? (
        <ul class="debate-links">
          {outcome.transcriptUrl ? (
            <li>
              <a href={outcome.transcriptUrl} rel="noopener">
                {en ? 'Read the transcript of the debate' : '토론 속기록 보기'}
              </a>
            </li>
          ) : null}
          {outcome.videoUrl ? (
            <li>
              <a href={outcome.videoUrl} rel="noopener">
                {en ? 'Watch the debate' : '토론 영상 보기'}
              </a>
            </li>
          ) : null}
          {outcome.researchUrl ? (
            <li>
              <a href={outcome.researchUrl} rel="noopener">
                {en ? 'Read the research for the debate' : '토론 연구 자료 보기'}
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

/** The committee state's public label, '' for none. */
export function committeeLabel(state: string, locale: Locale): string {
  return isCommitteeState(state) ? COMMITTEE_STATE_LABELS[state][locale] : '';
}
