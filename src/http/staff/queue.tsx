/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { checkOutPetition } from '../../commands/check-out-petition.js';
import { releaseCheckout } from '../../commands/release-checkout.js';
import { reviewQueue } from '../../repositories/moderation-queue.js';
import { loadModerationSettings } from '../../repositories/moderation-settings.js';
import type { Site } from '../site.js';
import { done, petitionIdParam, type StaffGuard, staffPage } from './guard.js';
import { MODERATION } from './policy.js';
import { QueueView } from './views/queue.js';

/** The moderation queue and the check-out of a petition (taking it for review, giving it back). */
export function registerQueueRoutes(site: Site, guard: StaffGuard): void {
  guard.route('GET', '/staff/queue', MODERATION, async (r) => {
    const entries = await reviewQueue(site.db, { now: site.now() });
    const settings = await loadModerationSettings(site.db, site.deploymentProfile);
    return staffPage(r, '검토 대기열', <QueueView entries={entries} settings={settings} />);
  });
  guard.route('POST', '/staff/petitions/:id/checkout', MODERATION, async (r) => {
    const id = petitionIdParam(r.c);
    await checkOutPetition(site.db, { petitionId: id, staffId: r.who.id, now: site.now() });
    return done(r, `/staff/petitions/${id}`);
  });
  guard.route('POST', '/staff/petitions/:id/release', MODERATION, async (r) => {
    const id = petitionIdParam(r.c);
    await releaseCheckout(site.db, { petitionId: id, staffId: r.who.id });
    return done(r, `/staff/petitions/${id}`);
  });
}
