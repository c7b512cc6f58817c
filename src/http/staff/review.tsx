/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { hideInPart } from '../../commands/hide-in-part.js';
import { hidePetition } from '../../commands/hide-petition.js';
import { markDuplicate } from '../../commands/mark-duplicate.js';
import { publishPetition } from '../../commands/publish-petition.js';
import { rejectPetition } from '../../commands/reject-petition.js';
import { reviewPetition } from '../../commands/review-petition.js';
import { unhideInPart } from '../../commands/unhide-in-part.js';
import { unhidePetition } from '../../commands/unhide-petition.js';
import type { PassageSelection } from '../../domain/moderation.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import type { Site } from '../site.js';
import { done, petitionIdParam, type StaffGuard, type StaffRequest, staffPage } from './guard.js';
import { MODERATION } from './policy.js';
import { ReviewView } from './views/review.js';

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
}
