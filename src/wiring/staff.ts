import { z } from 'zod';
import { type AppConfig, oidcProviderSchema } from '../config/env.js';
import type { StaffContext } from '../http/staff/routes.js';
import { createOidcClient } from '../signing/oidc.js';
import { deploymentSecret } from './signing.js';

// staff identities are mapped by (issuer, sub) or a verified email, never by a person claim
const staffOidcSchema = z.array(
  oidcProviderSchema.omit({ personClaim: true }).extend({ matchEmail: z.boolean().optional() }),
);

/**
 * The staff web's settings from the deployment's configuration: the secret, PUBLIC_URL's origin (every staff POST
 * must come from it), https-only cookies, and the OpenID Connect providers staff sign in with —
 * `STAFF_OIDC_PROVIDERS`, a JSON array like OIDC_PROVIDERS plus `matchEmail` (link a first sign-in to the staff
 * account with the provider's verified email; otherwise only already linked (issuer, sub) pairs sign in).
 * @throws Error for an invalid STAFF_OIDC_PROVIDERS; DomainError('identity_error') when discovery fails
 */
export async function staffContext(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<StaffContext> {
  let providers: z.infer<typeof staffOidcSchema> = [];
  if (env.STAFF_OIDC_PROVIDERS?.trim()) {
    const parsed = staffOidcSchema.safeParse(JSON.parse(env.STAFF_OIDC_PROVIDERS));
    if (!parsed.success) throw new Error(`Invalid STAFF_OIDC_PROVIDERS: ${parsed.error.message}`);
    providers = parsed.data;
  }
  const oidc = [];
  for (const p of providers) {
    const client = await createOidcClient({
      id: p.id,
      issuer: p.issuer,
      clientId: p.clientId,
      ...(p.clientSecret ? { clientSecret: p.clientSecret } : {}),
      scope: p.scope ?? 'openid email',
      ...(p.allowHttp ? { allowHttp: true } : {}),
      redirectUri: `${config.publicUrl}/staff/auth/${p.id}/callback`,
    });
    oidc.push({ id: p.id, label: p.label, client, matchEmail: p.matchEmail ?? false });
  }
  return {
    secret: deploymentSecret(config),
    publicOrigin: new URL(config.publicUrl).origin,
    secureCookies: config.publicUrl.startsWith('https:'),
    oidc,
  };
}
