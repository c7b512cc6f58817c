import { addStaff } from '../../src/commands/add-staff.js';
import type { StaffRole } from '../../src/db/schema.js';
import { DeskHashIndex } from '../../src/desk/hash-index.js';
import { createApp } from '../../src/http/app.js';
import { createSite, type Site } from '../../src/http/site.js';
import type { StaffContext } from '../../src/http/staff/routes.js';
import { freshDatabase, type TestDatabase } from './databases.js';

/** Where the staff tests' pages are served from, and the deployment secret they are signed with. */
export const STAFF_ORIGIN = 'http://cheongwon.test';
export const STAFF_SECRET = 'test-deployment-secret-0123456789abcdef';
export const STAFF_CONTEXT: StaffContext = {
  secret: STAFF_SECRET,
  publicOrigin: STAFF_ORIGIN,
  secureCookies: false,
};

/** A staff account as the tests sign in with it (the password and TOTP URI `addStaff` hands out once). */
export interface StaffCredentials {
  id: string;
  email: string;
  password: string;
  totpUri: string;
}

/**
 * A fresh database with the staff web: the site on `clock`, the app with the staff routes, and one account per
 * entry of `people` (`<name>@cheongwon.test` with those roles, added as the CLI adds them).
 * @returns the parts, the accounts by name, and `close()` for afterAll
 */
export async function startStaffSite<Name extends string>(
  clock: { now: Date },
  people: Record<Name, StaffRole[]>,
  /** The deployment's policy profile (default the Blue House board). */
  deploymentProfile = 'cheongwadae',
): Promise<{
  h: TestDatabase;
  site: Site;
  app: ReturnType<typeof createApp>;
  people: Record<Name, StaffCredentials>;
  close(): Promise<void>;
}> {
  const h = await freshDatabase();
  const site = await createSite({
    db: h.db,
    deploymentProfile,
    now: () => clock.now,
    settingsTtlMs: 0,
  });
  const app = createApp(site, undefined, {}, STAFF_CONTEXT, {
    index: new DeskHashIndex(h.db, { maxAgeMs: 0 }),
    secret: STAFF_SECRET,
    operatorName: 'Center',
    hotline: '02-000-0000',
  });
  const accounts = {} as Record<Name, StaffCredentials>;
  for (const [name, roles] of Object.entries(people) as Array<[Name, StaffRole[]]>) {
    const c = await addStaff(h.db, {
      email: `${name}@cheongwon.test`,
      roles,
      secret: STAFF_SECRET,
      actor: { staffId: null, name: 'cli:test' },
      now: clock.now,
    });
    accounts[name] = { id: c.id, email: c.email, password: c.initialPassword, totpUri: c.totpUri };
  }
  return {
    h,
    site,
    app,
    people: accounts,
    close: async () => {
      site.close();
      await h.close();
    },
  };
}
