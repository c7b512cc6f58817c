/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type ModerationSettings, QUEUE_BUCKET_LABELS } from '../../../domain/moderation.js';
import { getProfile, isProfileCode } from '../../../domain/policy-profiles.js';
import type { QueueEntry } from '../../../repositories/moderation-queue.js';
import { shortDateTime } from './layout.js';

/** The time zone of a queue entry's petition (its profile's): a London petition shows London times. */
const zoneOf = (profile: string) => (isProfileCode(profile) ? getProfile(profile).timeZone : 'Asia/Seoul');

/** The moderation queue by bucket against the review target (over, near, within), longest waiting first. */
export function QueueView(props: { entries: QueueEntry[]; settings: ModerationSettings }) {
  const { entries, settings } = props;
  return (
    <>
      <h1>검토 대기열</h1>
      <p>
        기다린 시간이 긴 순서입니다. 검토 목표 {settings.reviewTargetDays}일 (목표 {settings.reviewNearDays}일
        전부터 ‘임박’).
      </p>
      {(['over', 'near', 'within'] as const).map((bucket) => {
        const rows = entries.filter((e) => e.bucket === bucket);
        return (
          <section aria-labelledby={`bucket-${bucket}`}>
            <h2 id={`bucket-${bucket}`}>
              {QUEUE_BUCKET_LABELS[bucket]} ({rows.length})
            </h2>
            <ol class={`queue queue-${bucket}`}>
              {rows.map((e) => (
                <li>
                  <a href={`/staff/petitions/${e.id}`}>
                    {e.id}. {e.title}
                  </a>{' '}
                  · {Math.floor(e.waitedMs / 86_400_000)}일째 (검토 시작{' '}
                  {shortDateTime(e.reviewStartedAt, zoneOf(e.profile))})
                  {e.reviewOverdueAt
                    ? ` · 목표 초과 ${shortDateTime(e.reviewOverdueAt, zoneOf(e.profile))}부터`
                    : ''}
                  {e.checkedOutBy ? ` · ${e.checkedOutBy} 검토 중` : ''}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </>
  );
}
