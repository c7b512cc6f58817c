import { STAFF_ROLES, type StaffRole } from '../../domain/staff.js';

/** Who may use a staff route: 'public' (sign-in) or the roles allowed (any one of them suffices). */
export type StaffRoutePolicy = 'public' | readonly StaffRole[];

/** Role groups of staff routes: administrators may do everything moderators and responders do. */
export const MODERATION: readonly StaffRole[] = ['moderator', 'administrator'];
export const ADMINISTRATION: readonly StaffRole[] = ['administrator'];
export const RESPONSES: readonly StaffRole[] = ['responder', 'administrator'];
export const ANY_STAFF: readonly StaffRole[] = STAFF_ROLES;
/** The response desk's pages: desk officers only (no other role sees a victim's case; administrators neither). */
export const DESK: readonly StaffRole[] = ['desk_officer'];

/**
 * The policy of every staff route, keyed `METHOD path` exactly as registered with the router. The authorisation
 * test walks the router's routes under /staff and fails for any route missing here.
 */
export const STAFF_ROUTE_POLICY = new Map<string, StaffRoutePolicy>();
