// The relying-party side of OpenID Connect, through openid-client (ESM-only, so it
// is loaded with a dynamic import): discovery, the authorization URL with PKCE (S256)
// and nonce, and the code exchange that validates state, PKCE, nonce and the ID token.
// Every request (discovery, token, JWKS, UserInfo: addresses an admin chose, some read
// from the discovery document) goes through @packets/net's guarded fetch: resolved once,
// refused when the address is private or reserved, connected to the address checked.

import { createHash } from 'node:crypto';
import { guardedFetch } from '@packets/net';

// typed through the dynamic import: a static (even type-only) import of an ESM-only
// package is refused in a CommonJS file
const load = () => import('openid-client');
type OpenIdClient = Awaited<ReturnType<typeof load>>;
type Configuration = InstanceType<OpenIdClient['Configuration']>;
/** The validated ID token claims. */
export type IdTokenClaims = NonNullable<ReturnType<Awaited<ReturnType<OpenIdClient['authorizationCodeGrant']>>['claims']>>;

let loaded: Promise<OpenIdClient> | null = null;
function openIdClient(): Promise<OpenIdClient> {
  loaded ??= load();
  return loaded;
}

export interface IdpSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** http:// issuers: only with SSO_ALLOW_INSECURE_ISSUERS (tests against a loopback IdP) */
  allowInsecure: boolean;
  /** private and loopback addresses: only with SSO_ALLOW_PRIVATE_ISSUERS (tests against a loopback IdP) */
  allowPrivate: boolean;
}

/** Why a login failed at the provider, in the words the audit log and the redirect use. */
export type IdpFailure = 'idp_unavailable' | 'access_denied' | 'login_failed';

export class IdpError extends Error {
  constructor(readonly reason: IdpFailure, readonly idpError: string | null) { super(reason); }
}

const TIMEOUT_SECONDS = 10;
/** Discovery documents are fetched at most this often per issuer and client, not on every login step. */
const DISCOVERY_CACHE_MS = 5 * 60_000;
const DISCOVERY_CACHE_MAX = 1000;
const discovered = new Map<string, { at: number; config: Promise<Configuration> }>();

function configuration(s: IdpSettings): Promise<Configuration> {
  // keyed by a hash: the settings include the client secret
  const key = createHash('sha256').update([s.issuer, s.clientId, s.clientSecret, String(s.allowInsecure), String(s.allowPrivate)].join('\n')).digest('hex');
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_CACHE_MS) return hit.config;
  if (discovered.size >= DISCOVERY_CACHE_MAX) discovered.clear();
  const config = discover(s);
  discovered.set(key, { at: Date.now(), config });
  config.catch(() => discovered.delete(key)); // a failure is not remembered
  return config;
}

async function discover(s: IdpSettings): Promise<Configuration> {
  const client = await openIdClient();
  try {
    // client_secret_basic: the spec's default, supported by Google, Microsoft and oidc-provider
    return await client.discovery(new URL(s.issuer), s.clientId, undefined, client.ClientSecretBasic(s.clientSecret), {
      execute: s.allowInsecure ? [client.allowInsecureRequests] : [],
      timeout: TIMEOUT_SECONDS,
      // kept by the configuration for every later request
      [client.customFetch]: guardedFetch({ allowPrivate: s.allowPrivate }),
    });
  } catch {
    throw new IdpError('idp_unavailable', null);
  }
}

export interface LoginSecrets { state: string; nonce: string; codeVerifier: string }

export async function newLoginSecrets(): Promise<LoginSecrets> {
  const client = await openIdClient();
  return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
}

export async function authorizationUrl(s: IdpSettings, redirectUri: string, secrets: LoginSecrets): Promise<string> {
  const client = await openIdClient();
  const config = await configuration(s);
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: 'S256',
  }).href;
}

/**
 * Exchanges the code from the callback's query for tokens and returns the validated
 * ID token claims. `redirectUri` must be the one the authorization request used.
 */
export async function exchangeCode(
  s: IdpSettings, redirectUri: string, query: string, expected: { state: string; nonce: string; codeVerifier: string },
): Promise<IdTokenClaims> {
  const client = await openIdClient();
  const config = await configuration(s);
  const current = new URL(redirectUri);
  current.search = query;
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: expected.codeVerifier, expectedState: expected.state, expectedNonce: expected.nonce, idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new IdpError('login_failed', 'no_id_token');
    if (claims.email !== undefined) return claims;
    // Providers may keep scope claims out of the ID token in the code flow (OIDC Core
    // 5.4); then they come from UserInfo, which must name the same subject.
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { ...claims, email: info.email, email_verified: info.email_verified, name: claims.name ?? info.name };
  } catch (err) {
    if (err instanceof IdpError) throw err;
    // the user declined, or the provider refused the request, before any code was issued
    if (err instanceof client.AuthorizationResponseError) throw new IdpError('access_denied', err.error);
    // the token endpoint refused the code (used, expired, PKCE mismatch): `invalid_grant` and friends
    if (err instanceof client.ResponseBodyError) throw new IdpError('login_failed', err.error);
    // anything else: a bad ID token (signature, nonce, audience, issuer) or the network
    throw new IdpError('login_failed', (err as { code?: unknown }).code === 'OAUTH_TIMEOUT' ? 'timeout' : 'invalid_response');
  }
}
