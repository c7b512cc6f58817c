import type { Hono } from 'hono';
import type { Site } from '../site.js';
import { registerAccountRoutes } from './accounts.js';
import { registerAuditRoutes } from './audit.js';
import { registerFraudRoutes } from './fraud.js';
import { createStaffGuard, type StaffContext, type StaffRouteRegistrar } from './guard.js';
import { registerQueueRoutes } from './queue.js';
import { registerResponsesDueRoutes } from './responses-due.js';
import { registerReviewRoutes } from './review.js';
import { registerSettingsRoutes } from './settings.js';
import { registerSignInRoutes } from './sign-in.js';

// The staff web's shared pieces, for the areas that add staff pages (official responses) and for tests.
export {
  STAFF_COOKIE,
  type StaffContext,
  type StaffHandler,
  type StaffRequest,
  type StaffRouteRegistrar,
  staffPage,
  wantsJson,
} from './guard.js';
export {
  ADMINISTRATION,
  ANY_STAFF,
  MODERATION,
  RESPONSES,
  STAFF_ROUTE_POLICY,
  type StaffRoutePolicy,
} from './policy.js';

/**
 * Mounts the staff web under /staff: sign-in (sign-in.tsx), the moderation queue and check-outs (queue.tsx), the
 * review page with decisions (review.tsx), the list of petitions awaiting an official response
 * (responses-due.tsx), the audit log (audit.tsx), staff management (accounts.tsx) and settings (settings.tsx).
 * Every route but sign-in goes through the guard (guard.tsx), which checks, in order: a live session (401
 * `unauthenticated`), a role the route allows (403 `forbidden`), and for POST the Origin header and the
 * per-session CSRF token (403 `csrf_rejected`) — before it reads or changes anything.
 * @returns the guard, for other areas' staff routes
 */
export function registerStaffRoutes(app: Hono, site: Site, staff: StaffContext): StaffRouteRegistrar {
  const guard = createStaffGuard(app, site, staff);
  registerSignInRoutes(app, site, staff, guard);
  registerQueueRoutes(site, guard);
  registerReviewRoutes(site, guard);
  registerResponsesDueRoutes(site, guard);
  registerAuditRoutes(site, guard);
  registerAccountRoutes(site, staff, guard);
  registerSettingsRoutes(site, guard);
  registerFraudRoutes(site, guard);
  return guard.route;
}
