/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { advanceCommitteeStage } from '../../commands/advance-committee-stage.js';
import { decideNotToDebate } from '../../commands/decide-not-to-debate.js';
import { editPetition } from '../../commands/edit-petition.js';
import { hideInPart } from '../../commands/hide-in-part.js';
import { hidePetition } from '../../commands/hide-petition.js';
import { markDuplicate } from '../../commands/mark-duplicate.js';
import { publishPetition } from '../../commands/publish-petition.js';
import { recordDebateOutcome } from '../../commands/record-debate-outcome.js';
import { rejectPetition } from '../../commands/reject-petition.js';
import { restorePetition } from '../../commands/restore-petition.js';
import { reviewPetition } from '../../commands/review-petition.js';
import { scheduleDebate } from '../../commands/schedule-debate.js';
import { takeDownPetition } from '../../commands/take-down-petition.js';
import { unhideInPart } from '../../commands/unhide-in-part.js';
import { unhidePetition } from '../../commands/unhide-petition.js';
import { DomainError } from '../../domain/errors.js';
import type { PassageSelection } from '../../domain/moderation.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { findPetition } from '../../repositories/petitions.js';
import { debateOutcome, scheduledDebateOn, trackEvents } from '../../repositories/tracks.js';
import type { Site } from '../site.js';
import { done, petitionIdParam, type StaffGuard, type StaffRequest, staffPage } from './guard.js';
import { MODERATION, RESPONSES } from './policy.js';
import { ReviewView } from './views/review.js';
import { TracksView } from './views/tracks.js';

/** The review page of a petition and the moderation decisions posted from it (each needs the live check-out). */
export function registerReviewRoutes(site: Site, guard: StaffGuard): void {
  const rules = {
    settingsFor: (p: string) => site.profile(p).settings,
    timeZoneFor: (p: string) => site.profile(p).timeZone,
  };

  guard.route('GET', '/staff/petitions/:id', MODERATION, async (r) => {
    const review = await reviewPetition(site.db, { petitionId: petitionIdParam(r.c), now: site.now() });
    const p = review.petition;
    const profile = site.profile(p.profile);
    return staffPage(
      r,
      `검토: ${p.title}`,
      <ReviewView
        review={review}
        staffId={r.who.id}
        csrf={r.csrf}
        zone={profile.timeZone}
        categoryName={p.category ? profile.categoryName(p.category) : null}
        profile={profile.profile}
      />,
    );
  });

  const decision = (
    path: string,
    run: (
      r: StaffRequest,
      ctx: { petitionId: string; actor: StaffRequest['actor']; now: Date; reason?: string },
    ) => Promise<unknown>,
  ) =>
    guard.route('POST', `/staff/petitions/:id/${path}`, MODERATION, async (r) => {
      const id = petitionIdParam(r.c);
      const reason = r.fields.reason?.trim();
      await run(r, { petitionId: id, actor: r.actor, now: site.now(), ...(reason ? { reason } : {}) });
      return done(r, `/staff/petitions/${id}`);
    });
  decision('publish', (r, ctx) =>
    publishPetition(site.db, { ...ctx, rules, overridePersonalData: r.fields.override_reason }),
  );
  decision('reject', (r, ctx) =>
    rejectPetition(site.db, {
      ...ctx,
      reasonCode: r.fields.reason_code ?? '',
      publicReason: r.fields.public_reason,
    }),
  );
  decision('take-down', (r, ctx) =>
    takeDownPetition(site.db, {
      ...ctx,
      reasonCode: r.fields.reason_code ?? '',
      publicReason: r.fields.public_reason,
    }),
  );
  decision('restore', (_r, ctx) => restorePetition(site.db, ctx));
  decision('edit', (r, ctx) =>
    editPetition(site.db, { ...ctx, title: r.fields.title ?? '', body: r.fields.body ?? '' }),
  );
  decision('duplicate', (r, ctx) => markDuplicate(site.db, { ...ctx, of: (r.fields.of ?? '').trim() }));
  decision('hide', (_r, ctx) => hidePetition(site.db, ctx));
  decision('unhide', (_r, ctx) => unhidePetition(site.db, ctx));
  decision('unhide-in-part', (_r, ctx) => unhideInPart(site.db, ctx));
  decision('hide-in-part', (r, ctx) => {
    const field = r.fields.field === 'title' ? 'title' : 'body';
    const passages: PassageSelection[] = (r.fields.passages ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map((text) => ({ field, text }));
    const flagIds = Object.keys(r.fields)
      .filter((k) => k.startsWith('flag_') && isRecordNumber(k.slice(5)) && r.fields[k] === 'on')
      .map((k) => k.slice(5));
    return hideInPart(site.db, { ...ctx, passages, flagIds, label: r.fields.label ?? '' });
  });

  // Parliamentary tracks after a threshold (UK debate, Assembly committee): the Committee's clerks record them, so
  // responders (and administrators) may; no check-out is needed (these are not moderation decisions).
  guard.route('GET', '/staff/petitions/:id/tracks', RESPONSES, async (r) => {
    const id = petitionIdParam(r.c);
    const p = await findPetition(site.db, id);
    if (!p) throw new DomainError('petition_not_found', `No petition ${id}.`);
    const [events, outcome, scheduledOn] = await Promise.all([
      trackEvents(site.db, id),
      debateOutcome(site.db, id),
      scheduledDebateOn(site.db, id),
    ]);
    const profile = site.profile(p.profile).profile;
    return staffPage(
      r,
      `${p.id}. ${p.title}`,
      <TracksView
        petition={{ ...p, scheduledOn }}
        profile={profile}
        events={events}
        outcome={outcome}
        csrf={r.csrf}
      />,
    );
  });
  const track = (
    path: string,
    run: (
      r: StaffRequest,
      ctx: { petitionId: string; actor: StaffRequest['actor'] & { staffId: string }; now: Date },
    ) => Promise<unknown>,
  ) =>
    guard.route('POST', `/staff/petitions/:id/${path}`, RESPONSES, async (r) => {
      const id = petitionIdParam(r.c);
      await run(r, { petitionId: id, actor: { ...r.actor, staffId: r.who.id }, now: site.now() });
      return done(r, `/staff/petitions/${id}/tracks`);
    });
  track('debate/schedule', (r, ctx) => scheduleDebate(site.db, { ...ctx, on: r.fields.on ?? '' }));
  track('debate/outcome', (r, ctx) =>
    recordDebateOutcome(site.db, {
      ...ctx,
      debatedOn: r.fields.debated_on ?? '',
      overview: r.fields.overview ?? null,
      transcriptUrl: r.fields.transcript_url ?? null,
      videoUrl: r.fields.video_url ?? null,
      researchUrl: r.fields.research_url ?? null,
    }),
  );
  track('debate/not-debated', (r, ctx) =>
    decideNotToDebate(site.db, { ...ctx, reason: r.fields.reason ?? '' }),
  );
  track('committee', (r, ctx) =>
    advanceCommitteeStage(site.db, {
      ...ctx,
      stage: r.fields.stage ?? '',
      committee: r.fields.committee ?? null,
      on: r.fields.on ?? null,
      note: r.fields.note ?? null,
    }),
  );
}
