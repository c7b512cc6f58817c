import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  denyLogin,
  loginAs,
  startTestProvider,
  type TestProvider,
} from '../../test/support/oidc-provider.js';
import { DomainError } from '../domain/errors.js';
import { createOidcClient, type OidcProviderConfig } from './oidc.js';

// Never requested: loginAs stops at the redirect to it.
const REDIRECT = 'http://127.0.0.1:9/auth/callback';

/** Runs `promise`, expecting a DomainError('identity_error'); returns it for further checks. */
async function identityError(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => {
      throw new Error('expected an identity_error, but the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe('identity_error');
  return err as DomainError;
}

describe('OpenID Connect sign-in against a real provider', () => {
  let kakao: TestProvider;
  let gov: TestProvider;
  let userinfoOnly: TestProvider;

  const kakaoCfg = (extra: Partial<OidcProviderConfig> = {}): OidcProviderConfig => ({
    id: 'kakao',
    issuer: kakao.issuer,
    clientId: 'cheongwon',
    clientSecret: 'kakao-secret',
    redirectUri: REDIRECT,
    allowHttp: true,
    ...extra,
  });

  beforeAll(async () => {
    [kakao, gov, userinfoOnly] = await Promise.all([
      startTestProvider({
        clients: [{ client_id: 'cheongwon', client_secret: 'kakao-secret', redirect_uris: [REDIRECT] }],
        accounts: {
          'kakao-1001': { name: '김민지', email: 'minji@example.kr', email_verified: true, ci: 'CI-MINJI' },
          'kakao-2002': { name: '박서준' }, // no CI
        },
      }),
      startTestProvider({
        // a public client: no secret, PKCE only
        clients: [{ client_id: 'cheongwon-gov', redirect_uris: [REDIRECT] }],
        accounts: {
          'gov-77': { name: '김민지', ci: 'CI-MINJI', email: 'x@example.kr', email_verified: false },
        },
      }),
      startTestProvider({
        clients: [{ client_id: 'cheongwon', client_secret: 's3', redirect_uris: [REDIRECT] }],
        accounts: { u1: { name: '이도윤', ci: 'CI-DOYUN' } },
        userinfoOnly: ['ci'],
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([kakao?.close(), gov?.close(), userinfoOnly?.close()]);
  });

  it('starts a login with PKCE S256, state and nonce, and keeps a serialisable pending login', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const { url, pending } = await oidc.startLogin();
    const params = new URL(url).searchParams;
    expect(url.startsWith(`${kakao.issuer}/`)).toBe(true);
    expect(params.get('client_id')).toBe('cheongwon');
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe('openid');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('code_challenge')).not.toBe(pending.codeVerifier);
    expect(params.get('state')).toBe(pending.state);
    expect(params.get('nonce')).toBe(pending.nonce);
    expect(pending.providerId).toBe('kakao');
    expect(JSON.parse(JSON.stringify(pending))).toEqual(pending);
    const second = await oidc.startLogin();
    expect(second.pending.state).not.toBe(pending.state);
    expect(second.pending.codeVerifier).not.toBe(pending.codeVerifier);
  });

  it('a full login returns issuer, subject, name and (verified) email; sub is the default person claim', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const { url, pending } = await oidc.startLogin();
    const callback = await loginAs(url, 'kakao-1001');
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true);
    const identity = await oidc.finishLogin(callback, pending);
    expect(identity).toEqual({
      providerId: 'kakao',
      issuer: kakao.issuer,
      subject: 'kakao-1001',
      personClaim: 'sub',
      personValue: 'kakao-1001',
      name: '김민지',
      email: 'minji@example.kr',
    });
  });

  it('accepts the callback as path + query and as a URL object', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const first = await oidc.startLogin();
    const callback = new URL(await loginAs(first.url, 'kakao-1001'));
    const viaPath = await oidc.finishLogin(`${callback.pathname}${callback.search}`, first.pending);
    expect(viaPath.subject).toBe('kakao-1001');
    const second = await oidc.startLogin();
    const viaUrl = await oidc.finishLogin(new URL(await loginAs(second.url, 'kakao-2002')), second.pending);
    expect(viaUrl.subject).toBe('kakao-2002');
    expect(viaUrl.email).toBeNull();
  });

  it("personClaim 'ci' returns the CI value", async () => {
    const userinfoCalls = () => kakao.requests.filter((r) => r === 'GET /me').length;
    const before = userinfoCalls();
    const oidc = await createOidcClient(kakaoCfg({ personClaim: 'ci' }));
    const { url, pending } = await oidc.startLogin();
    const identity = await oidc.finishLogin(await loginAs(url, 'kakao-1001'), pending);
    expect(identity.personClaim).toBe('ci');
    expect(identity.personValue).toBe('CI-MINJI');
    expect(identity.subject).toBe('kakao-1001');
    // the claim was in the ID token: userinfo is not asked
    expect(userinfoCalls()).toBe(before);
  });

  it('two providers with the same person give the same CI while sub and issuer differ', async () => {
    const viaKakao = await createOidcClient(kakaoCfg({ personClaim: 'ci' }));
    const viaGov = await createOidcClient({
      id: 'gov',
      issuer: gov.issuer,
      clientId: 'cheongwon-gov',
      redirectUri: REDIRECT,
      personClaim: 'ci',
      scope: 'openid profile',
      allowHttp: true,
    });
    const a = await viaKakao.startLogin();
    const b = await viaGov.startLogin();
    const fromKakao = await viaKakao.finishLogin(await loginAs(a.url, 'kakao-1001'), a.pending);
    const fromGov = await viaGov.finishLogin(await loginAs(b.url, 'gov-77'), b.pending);
    expect(fromGov.personValue).toBe(fromKakao.personValue);
    expect(fromGov.subject).not.toBe(fromKakao.subject);
    expect(fromGov.issuer).not.toBe(fromKakao.issuer);
    expect(fromGov.providerId).toBe('gov');
    expect(fromGov.email).toBeNull(); // email_verified: false
  });

  it('reads the person claim from userinfo when the ID token lacks it', async () => {
    const oidc = await createOidcClient({
      id: 'naver',
      issuer: userinfoOnly.issuer,
      clientId: 'cheongwon',
      clientSecret: 's3',
      redirectUri: REDIRECT,
      personClaim: 'ci',
      allowHttp: true,
    });
    const { url, pending } = await oidc.startLogin();
    const identity = await oidc.finishLogin(await loginAs(url, 'u1'), pending);
    expect(identity.personValue).toBe('CI-DOYUN');
    expect(identity.name).toBe('이도윤');
    expect(userinfoOnly.requests.filter((r) => r === 'GET /me')).toHaveLength(1);
  });

  it('a replayed callback (same code twice) is an identity_error', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const { url, pending } = await oidc.startLogin();
    const callback = await loginAs(url, 'kakao-1001');
    await oidc.finishLogin(callback, pending);
    const err = await identityError(oidc.finishLogin(callback, pending));
    expect(err.details).toMatchObject({ provider: 'kakao', reason: 'invalid_grant' });
    expect(err.cause).toBeDefined();
  });

  it('a tampered state is an identity_error, and no secret leaks into the message', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const { url, pending } = await oidc.startLogin();
    const callback = new URL(await loginAs(url, 'kakao-1001'));
    const code = callback.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    callback.searchParams.set('state', `${pending.state}x`);
    const err = await identityError(oidc.finishLogin(callback, pending));
    expect(err.message).toMatch(/state/);
    for (const secret of [code, pending.codeVerifier, 'kakao-secret'])
      expect(err.message).not.toContain(secret);
    expect(err.cause).toBeInstanceOf(Error);
    // a callback that does not belong to this pending login fails the same way
    const other = await oidc.startLogin();
    await identityError(oidc.finishLogin(await loginAs(other.url, 'kakao-1001'), pending));
  });

  it('a pending login of another provider, or a wrong PKCE verifier, is an identity_error', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const first = await oidc.startLogin();
    const callback = await loginAs(first.url, 'kakao-1001');
    await identityError(oidc.finishLogin(callback, { ...first.pending, providerId: 'gov' }));
    const forged = { ...first.pending, codeVerifier: (await oidc.startLogin()).pending.codeVerifier };
    const err = await identityError(oidc.finishLogin(callback, forged));
    expect(err.details).toMatchObject({ reason: 'invalid_grant' });
  });

  it('a refused login (access_denied) is an identity_error', async () => {
    const oidc = await createOidcClient(kakaoCfg());
    const { url, pending } = await oidc.startLogin();
    const callback = await denyLogin(url);
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const err = await identityError(oidc.finishLogin(callback, pending));
    expect(err.details).toMatchObject({ reason: 'access_denied' });
  });

  it('a missing configured claim is an identity_error (after asking userinfo)', async () => {
    const oidc = await createOidcClient(kakaoCfg({ personClaim: 'ci' }));
    const { url, pending } = await oidc.startLogin();
    const err = await identityError(oidc.finishLogin(await loginAs(url, 'kakao-2002'), pending));
    expect(err.message).toContain('"ci"');
    expect(err.details).toMatchObject({ provider: 'kakao', reason: 'missing_person_claim' });
  });

  it('discovery of an http issuer fails without allowHttp', async () => {
    const err = await identityError(createOidcClient(kakaoCfg({ allowHttp: undefined })));
    expect(err.message).toMatch(/HTTPS/);
    await identityError(createOidcClient(kakaoCfg({ allowHttp: false })));
  });

  it('discovery fails when the issuer does not answer', async () => {
    const closed = await startTestProvider({ clients: [], accounts: {} });
    await closed.close();
    await identityError(createOidcClient(kakaoCfg({ issuer: closed.issuer })));
  });
});
