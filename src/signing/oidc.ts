/**
 * Verified identities for signing petitions, through OpenID Connect providers (Kakao, Naver, Google, government
 * identity services): a thin wrapper over openid-client v6.
 *
 * Flow: `startLogin()` → redirect the browser to `url`, keep `pending` (serialisable; e.g. in a signed, short-lived,
 * httpOnly cookie) → the provider redirects back to `redirectUri?code=…&state=…` → `finishLogin(callbackUrl,
 * pending)` → a {@link VerifiedIdentity}. Every login uses PKCE (S256), `state` and `nonce`.
 *
 * Which claim identifies the PERSON is configurable (`personClaim`): by default the issuer-scoped `sub` (one person
 * = one account at one provider); a claim shared across providers, such as Korea's connecting information (`ci`),
 * makes one person one agreement whichever provider they use.
 */
import * as client from 'openid-client';
import { DomainError } from '../domain/errors.js';

export interface OidcProviderConfig {
  /** Our name for the provider, e.g. 'kakao'; copied into {@link PendingLogin} and {@link VerifiedIdentity}. */
  id: string;
  /** Issuer identifier URL; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Confidential clients only; without it the client is public (PKCE only, `token_endpoint_auth_method: none`). */
  clientSecret?: string;
  /** Exactly as registered at the provider; also sent as `redirect_uri` to the token endpoint. */
  redirectUri: string;
  /** Space-separated scopes; default 'openid' ('openid' is added when missing). */
  scope?: string;
  /** The claim whose value identifies the person; default 'sub'. */
  personClaim?: string;
  /** Allow plain-http issuer endpoints (tests on loopback only). Production providers must use https. */
  allowHttp?: boolean;
}

/** State of a login between `startLogin` and `finishLogin`. Plain strings: JSON-serialisable as is. */
export interface PendingLogin {
  state: string;
  nonce: string;
  /** PKCE code verifier: a secret — keep it only in a signed/encrypted httpOnly cookie, never in a URL or log. */
  codeVerifier: string;
  providerId: string;
}

export interface VerifiedIdentity {
  providerId: string;
  /** `iss` of the ID token (the provider's issuer identifier). */
  issuer: string;
  /** `sub` of the ID token: unique only within `issuer`. */
  subject: string;
  /** The configured person claim's name ('sub' by default). */
  personClaim: string;
  /** The person claim's value (numbers are turned into strings). */
  personValue: string;
  /** `name` claim, or null. */
  name: string | null;
  /** `email` claim, or null; also null when the provider says `email_verified: false`. */
  email: string | null;
}

export interface OidcClient {
  readonly id: string;
  /**
   * Begins a login: fresh PKCE verifier, state and nonce.
   * @returns `url` to redirect the browser to, and `pending` to keep until the callback.
   */
  startLogin(): Promise<{ url: string; pending: PendingLogin }>;
  /**
   * Completes a login from the provider's redirect back to us.
   * @param callbackUrl the URL the browser arrived at (absolute, or just path + query such as
   *   `/auth/kakao/callback?code=…&state=…`). Only its query parameters are used; the `redirect_uri` sent to the
   *   token endpoint is always the configured `redirectUri`, so proxies rewriting host or scheme do not matter.
   * @param pending what `startLogin` returned for this browser.
   * @throws DomainError('identity_error') when the pending login belongs to another provider or is malformed, the
   *   provider reported an error (e.g. `access_denied`), state/nonce/iss/ID token checks fail, the code is bad or
   *   already used, userinfo fails, or the configured person claim is missing. `details` holds `{ provider, reason }`
   *   (no secrets, no personal data); the original error is kept as `cause`.
   */
  finishLogin(callbackUrl: URL | string, pending: PendingLogin): Promise<VerifiedIdentity>;
}

/**
 * Discovers the provider's metadata (once) and returns a client for it.
 * @throws DomainError('identity_error') when discovery fails: provider unreachable, bad metadata, issuer mismatch,
 *   or an `http:` issuer without `allowHttp: true`. The original error is kept as `cause`.
 */
export async function createOidcClient(cfg: OidcProviderConfig): Promise<OidcClient> {
  const id = cfg.id;
  const personClaim = cfg.personClaim ?? 'sub';
  const scope = withOpenid(cfg.scope ?? 'openid');
  const redirectUri = parseUrl(cfg.redirectUri, id, 'redirectUri');
  const issuerUrl = parseUrl(cfg.issuer, id, 'issuer');

  let config: client.Configuration;
  try {
    config = await client.discovery(
      issuerUrl,
      cfg.clientId,
      cfg.clientSecret === undefined ? undefined : { client_secret: cfg.clientSecret },
      clientAuth(cfg.clientSecret),
      cfg.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    );
  } catch (err) {
    throw identityError(`OpenID Connect discovery for "${id}" failed: ${describe(err)}`, id, err);
  }

  return {
    id,

    async startLogin() {
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending: PendingLogin = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        providerId: id,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri.href,
        response_type: 'code',
        scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },

    async finishLogin(callbackUrl, pending) {
      checkPending(pending, id);
      const current = new URL(redirectUri.href);
      current.search = new URL(callbackUrl, redirectUri).search;

      let claims: Record<string, unknown>;
      let accessToken: string;
      try {
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (!idToken) throw new Error('the token response has no ID token');
        claims = { ...idToken };
        accessToken = tokens.access_token;
      } catch (err) {
        throw identityError(`Sign-in with "${id}" could not be verified: ${describe(err)}`, id, err);
      }
      const subject = claims.sub as string;
      const issuer = claims.iss as string;

      // The person claim normally comes in the ID token; only otherwise ask userinfo (which also fills name/email).
      if (claims[personClaim] === undefined || claims[personClaim] === null) {
        try {
          const userinfo = await client.fetchUserInfo(config, accessToken, subject);
          // The signed ID token wins where both carry a claim.
          for (const [k, v] of Object.entries(userinfo))
            if (claims[k] === undefined || claims[k] === null) claims[k] = v;
        } catch (err) {
          throw identityError(`Sign-in with "${id}": userinfo could not be read: ${describe(err)}`, id, err);
        }
      }

      const raw = claims[personClaim];
      const personValue =
        typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
      if (!personValue) {
        throw identityError(
          `Sign-in with "${id}" did not provide the "${personClaim}" claim that identifies a person` +
            (raw === undefined || raw === null ? '' : ' as a non-empty string'),
          id,
          undefined,
          'missing_person_claim',
        );
      }

      return {
        providerId: id,
        issuer,
        subject,
        personClaim,
        personValue,
        name: nonEmptyString(claims.name),
        email: claims.email_verified === false ? null : nonEmptyString(claims.email),
      };
    },
  };
}

/** client_secret_basic is the spec default; use client_secret_post only when the provider advertises just that. */
function clientAuth(secret: string | undefined): client.ClientAuth {
  if (secret === undefined) return client.None();
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, metadata, body, headers) => {
    const supported = as.token_endpoint_auth_methods_supported;
    const usePost =
      Array.isArray(supported) &&
      !supported.includes('client_secret_basic') &&
      supported.includes('client_secret_post');
    (usePost ? post : basic)(as, metadata, body, headers);
  };
}

function withOpenid(scope: string): string {
  const scopes = scope.split(/\s+/).filter(Boolean);
  return (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' ');
}

function parseUrl(value: string, id: string, field: string): URL {
  try {
    return new URL(value);
  } catch (err) {
    throw identityError(`OpenID Connect provider "${id}": ${field} is not a URL`, id, err, 'invalid_config');
  }
}

function checkPending(pending: PendingLogin, id: string): void {
  const ok =
    typeof pending === 'object' &&
    pending !== null &&
    [pending.state, pending.nonce, pending.codeVerifier, pending.providerId].every(
      (v) => typeof v === 'string' && v.length > 0,
    );
  if (!ok)
    throw identityError('The pending sign-in is missing or malformed', id, undefined, 'invalid_pending');
  if (pending.providerId !== id) {
    throw identityError(
      `The pending sign-in belongs to "${pending.providerId}", not "${id}"`,
      id,
      undefined,
      'provider_mismatch',
    );
  }
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A short, secret-free description of an openid-client / oauth4webapi / fetch error. */
function describe(err: unknown): string {
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError) {
    const description =
      typeof err.error_description === 'string' ? ` (${err.error_description.slice(0, 200)})` : '';
    return `${err.error}${description}`;
  }
  if (err instanceof Error) {
    // openid-client wraps the precise check that failed (e.g. 'unexpected "state" response parameter value') and
    // fetch wraps the network error; their messages name the check, never the values compared.
    const detailed = err instanceof client.ClientError || err.message === 'fetch failed';
    const inner = detailed && err.cause instanceof Error ? err.cause.message : '';
    const cause = inner && inner !== err.message ? `: ${inner}` : '';
    return `${err.message}${cause}`;
  }
  return 'unexpected error';
}

function reasonOf(err: unknown): string {
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError)
    return err.error;
  if (err instanceof client.ClientError) {
    const inner = (err.cause as { code?: unknown } | undefined)?.code;
    if (typeof inner === 'string') return inner;
    if (err.code) return err.code;
  }
  if (err instanceof Error && err.message === 'fetch failed') return 'network_error';
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'unexpected';
}

function identityError(message: string, provider: string, cause: unknown, reason?: string): DomainError {
  if (cause instanceof DomainError) return cause;
  const error = new DomainError('identity_error', message, { provider, reason: reason ?? reasonOf(cause) });
  if (cause !== undefined) error.cause = cause;
  return error;
}
