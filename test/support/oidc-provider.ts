import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type InteractionResults, type JWK } from 'oidc-provider';

/**
 * A REAL OpenID Connect provider (oidc-provider 9) on 127.0.0.1 for tests, plus {@link loginAs}, which completes a
 * login without a browser.
 *
 * What it does:
 *  - issuer `http://127.0.0.1:<port>` (port 0 = a free one), discovery at `/.well-known/openid-configuration`;
 *  - authorization code flow only, PKCE required for every client (S256), fresh RS256 signing key per provider;
 *  - every claim of every account is released under the `openid` scope, so a plain `scope=openid` request gets all
 *    of them in the ID token AND from userinfo — except the claims listed in `userinfoOnly`, which only userinfo
 *    serves (to exercise a client's userinfo fallback). Scopes `profile` and `email` are accepted too;
 *  - `sub` is always the account id (a `sub` inside an account's claims must equal it);
 *  - interactions are NOT oidc-provider's devInteractions: `/interaction/:uid` is our own tiny handler, mounted on
 *    the same server, that finishes login and consent in one step for `?account=<accountId>` (or refuses with
 *    `access_denied` for `?deny=1`). Without either it answers with a small HTML form, handy for manual debugging.
 */
export interface TestProviderOptions {
  /** Registered clients. Without `client_secret` the client is public (`token_endpoint_auth_method: 'none'`). */
  clients: Array<
    { client_id: string; client_secret?: string; redirect_uris: string[] } & Partial<ClientMetadata>
  >;
  /** accountId → claims, e.g. `{ kim: { name: '김민지', ci: 'CI-123' } }`. */
  accounts: Record<string, Record<string, unknown>>;
  /** Claims that userinfo serves but the ID token leaves out. */
  userinfoOnly?: string[];
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

export interface TestProvider {
  /** The issuer identifier, `http://127.0.0.1:<port>` (no trailing slash). */
  issuer: string;
  /** `METHOD /path` of every request served so far (no query strings), e.g. to assert userinfo was (not) called. */
  requests: string[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export async function startTestProvider(opts: TestProviderOptions): Promise<TestProvider> {
  for (const [accountId, claims] of Object.entries(opts.accounts)) {
    if (claims.sub !== undefined && claims.sub !== accountId) {
      throw new Error(
        `test account "${accountId}" has sub "${String(claims.sub)}"; sub must equal the account id`,
      );
    }
  }
  const userinfoOnly = new Set(opts.userinfoOnly ?? []);
  const claimNames = new Set<string>(['sub']);
  for (const claims of Object.values(opts.accounts))
    for (const name of Object.keys(claims)) claimNames.add(name);

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: opts.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...(client.client_secret === undefined ? { token_endpoint_auth_method: 'none' } : {}),
      ...client,
    })),
    jwks: { keys: [signingKey as JWK] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    claims: {
      openid: [...claimNames],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const stored = opts.accounts[id];
      if (!stored) return undefined;
      return {
        accountId: id,
        claims: (use) => {
          const released: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(stored)) {
            if (use === 'id_token' && userinfoOnly.has(name)) continue;
            released[name] = value;
          }
          return { ...released, sub: id };
        },
      };
    },
  });

  const handleProvider = provider.callback();
  const requests: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${new URL(req.url ?? '/', issuer).pathname}`);
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, opts.accounts, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`interaction failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      return;
    }
    handleProvider(req, res);
  });

  return {
    issuer,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Our interaction endpoint: finishes the pending interaction for `?account=` (login + consent) or `?deny=1`. */
async function handleInteraction(
  provider: Provider,
  accounts: Record<string, Record<string, unknown>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params.client_id);

  if (query.get('deny') === '1') {
    const denied: InteractionResults = { error: 'access_denied', error_description: 'the person refused' };
    await provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    return;
  }

  const accountId = query.get('account') ?? details.session?.accountId;
  if (!accountId) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<form method="get"><label>account <input name="account"></label><button>log in</button></form>` +
        `<form method="get"><input type="hidden" name="deny" value="1"><button>deny</button></form>`,
    );
    return;
  }
  if (!accounts[accountId]) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`unknown test account "${accountId}"`);
    return;
  }

  // Grant everything that was asked for: the requested scopes, plus whatever the consent prompt reports missing.
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
    : new provider.Grant({ accountId, clientId });
  if (typeof details.params.scope === 'string') grant.addOIDCScope(details.params.scope);
  const missing = details.prompt.details;
  if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope as string[]);
  if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
  if (missing.missingResourceScopes && typeof missing.missingResourceScopes === 'object') {
    for (const [resource, scopes] of Object.entries(
      missing.missingResourceScopes as Record<string, string[]>,
    )) {
      grant.addResourceScope(resource, scopes);
    }
  }
  const grantId = await grant.save();

  const result: InteractionResults = { consent: { grantId } };
  if (details.prompt.name === 'login') result.login = { accountId };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/**
 * Completes a login at a test provider WITHOUT a browser: requests `authorizationUrl`, follows the provider's
 * redirects with a private cookie jar, answers our interaction page as `accountId` (login and consent in one step)
 * and stops at the first redirect to the request's `redirect_uri`.
 *
 * @returns the callback URL the provider sent the browser to (`<redirect_uri>?code=…&state=…&iss=…`); it is never
 *   requested. An error response (e.g. `?error=invalid_request`) is returned the same way.
 * @throws Error when the provider answers anything but a redirect (an error page, an unknown account) or loops.
 */
export async function loginAs(authorizationUrl: string, accountId: string): Promise<string> {
  return runInteraction(authorizationUrl, { account: accountId });
}

/** Like {@link loginAs}, but the person refuses: returns `<redirect_uri>?error=access_denied&state=…`. */
export async function denyLogin(authorizationUrl: string): Promise<string> {
  return runInteraction(authorizationUrl, { deny: '1' });
}

async function runInteraction(authorizationUrl: string, answer: Record<string, string>): Promise<string> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  const jar = new Map<string, string>();
  let url = start;

  for (let hop = 0; hop < 10; hop += 1) {
    if (url.pathname.startsWith('/interaction/') && url.origin === start.origin) {
      for (const [key, value] of Object.entries(answer)) url.searchParams.set(key, value);
    }
    const response = await fetch(url, {
      redirect: 'manual',
      headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now(),
      );
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      const body = (await response.text()).slice(0, 500);
      throw new Error(
        `test provider answered ${response.status} at ${url.pathname} instead of redirecting: ${body}`,
      );
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    const target = `${next.origin}${next.pathname}`;
    if ((redirectUri && target === redirectUri) || next.origin !== start.origin) return next.toString();
    url = next;
  }
  throw new Error('test provider redirected more than 10 times');
}
