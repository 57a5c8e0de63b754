// SSO (ID-5) end to end: a real OpenID Connect provider (oidc-provider, its
// development login and consent pages) on loopback, the whole graph, and a browser
// played by fetch with manual redirects and a small cookie jar. No mocks, except the
// DNS TXT answers for domain verification, which come from an injected resolver.
// Issue 8: configuring SSO needs every permission of whoever it could sign in as;
// domains match only once verified; JIT never adopts an account of another org
// without its owner's confirmation; issuers on private addresses are refused.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, eventually, gql, PASSWORD, signUp, uniqueEmail, type SignedUp } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, raceAtInsert, startTestStack } from './harness';

const CLIENT_ID = 'packets-console';
const CLIENT_SECRET = randomBytes(24).toString('base64url');
const DOMAIN = `sso-${randomBytes(4).toString('hex')}.test`;

/** The provider's accounts: login name -> claims. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  owner: { email: `owner@${DOMAIN}`, email_verified: true, name: 'Org Owner' },
  newbie: { email: `newbie@${DOMAIN}`, email_verified: true, name: 'New Person' },
  unverified: { email: `unverified@${DOMAIN}`, email_verified: false, name: 'Not Verified' },
  foreign: { email: `someone@elsewhere-${DOMAIN}`, email_verified: true, name: 'From Elsewhere' },
  // has an account (and an org) of their own before the SSO org ever sees them
  elsewhere: { email: `elsewhere@${DOMAIN}`, email_verified: true, name: 'Member Elsewhere' },
  'stale-role': { email: `stale-role@${DOMAIN}`, email_verified: true, name: 'Asked Under An Older Role' },
  burst: { email: `burst@${DOMAIN}`, email_verified: true, name: 'Confirms Many Times At Once' },
  // a newcomer whose first two logins (two tabs) finish at the same moment
  twin: { email: `twin@${DOMAIN}`, email_verified: true, name: 'Logs In Twice At Once' },
  // what a provider says is input like any other: strings PostgreSQL cannot store
  'hostile-name': { email: `hostile-name@${DOMAIN}`, email_verified: true, name: 'Bad\u0000Name\ud800' },
  // the provider names the subject after the login name: this one holds a NUL
  'hostile\u0000sub': { email: `hostile-sub@${DOMAIN}`, email_verified: true, name: 'Bad Subject' },
};

/** The DNS the injected resolver answers from: TXT name -> records (each a list of chunks). */
const TXT = new Map<string, string[][]>();
const txtLookups: string[] = [];
function resolveTxt(name: string): Promise<string[][]> {
  txtLookups.push(name);
  const records = TXT.get(name);
  if (!records) return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
  return Promise.resolve(records);
}

const DOMAIN_FIELDS = 'id domain verified verifiedAt txtRecordName txtRecordValue';
const ADD_DOMAIN = `mutation($d: String!) { addSsoDomain(domain: $d) { ${DOMAIN_FIELDS} } }`;
const VERIFY_DOMAIN = `mutation($d: String!) { verifySsoDomain(domain: $d) { ${DOMAIN_FIELDS} } }`;
const CONFIRM_JOIN = 'mutation($t: String!) { confirmSsoJoin(token: $t) }';
type SsoDomainShape = { id: string; domain: string; verified: boolean; verifiedAt: string | null; txtRecordName: string; txtRecordValue: string };

const CONFIGURE = `mutation($i: SsoConnectionInput!) {
  configureSso(input: $i) { issuer clientId clientSecretSet allowedDomains jitEnabled defaultRoleId redirectUri }
}`;
const VIEWER = '{ viewer { user { email } organization { slug } roles { name } } }';

/** A port outside the kernel's ephemeral range, so no port-0 listener elsewhere in the run can take it first. */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port');
}

async function startProvider(redirectUri: string): Promise<{ issuer: string; server: Server }> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, id) => {
      const claims = ACCOUNTS[id];
      return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
    },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  });
  handle = provider.callback();
  return { issuer, server };
}

interface Cookie { name: string; value: string; path: string }

/** Just enough of a browser: cookies per host (with paths and deletion), redirects by hand. */
class Browser {
  private readonly jar = new Map<string, Cookie[]>();

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const u = new URL(url);
    const cookie = (this.jar.get(u.host) ?? []).filter((c) => u.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(u, { method: form ? 'POST' : 'GET', redirect: 'manual', headers, body: form ? new URLSearchParams(form).toString() : undefined });
    for (const line of res.headers.getSetCookie()) this.store(u.host, line);
    return res;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.find((c) => c.name === name)?.value;
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    this.jar.set(host, [...(this.jar.get(host) ?? []).filter((c) => c.name !== name), { name, value, path: '/' }]);
  }

  private store(host: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = '/';
    let expired = false;
    for (const a of attributes) {
      const [k = '', v = ''] = a.trim().split('=');
      if (k.toLowerCase() === 'path') path = v;
      if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
    }
    const kept = (this.jar.get(host) ?? []).filter((c) => !(c.name === name && c.path === path));
    if (!expired) kept.push({ name, value, path });
    this.jar.set(host, kept);
  }
}

describe('SSO with OpenID Connect against a real provider', () => {
  let stack: Stack;
  let gatewayUrl: string;
  let idp: { issuer: string; server: Server };
  let owner: SignedUp;
  let roleIds: Record<string, string>;
  let newbieCookie: string;
  let smtp: TestSmtp;
  /** an Admin of the SSO org: holds update SsoConnection, not everything the Owner holds */
  let admin: { token: string; userId: string };

  const callbackPrefix = () => `${gatewayUrl}/auth/sso/callback`;

  /**
   * From the gateway's start route through the provider's login and consent pages,
   * as `account`; returns the callback URL the provider sends the browser back to.
   */
  async function loginAtProvider(browser: Browser, account: string, start = `/auth/sso/${owner.slug}/start`): Promise<string> {
    let res = await browser.request(`${gatewayUrl}${start}`);
    expect(res.status).toBe(302);
    let url = res.headers.get('location')!;
    expect(url.startsWith(`${idp.issuer}/`)).toBe(true);
    for (let step = 0; step < 20; step++) {
      if (url.startsWith(callbackPrefix())) return url;
      res = await browser.request(url);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        continue;
      }
      const html = await res.text();
      expect(res.status, html).toBe(200);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!prompt || !action) throw new Error(`unexpected page at the provider: ${html.slice(0, 300)}`);
      const form: Record<string, string> = prompt === 'login' ? { prompt, login: account, password: 'whatever' } : { prompt };
      res = await browser.request(new URL(action.replace(/&amp;/g, '&'), url).href, form);
      expect(res.status).toBeGreaterThanOrEqual(300);
      url = new URL(res.headers.get('location')!, url).href;
    }
    throw new Error('the provider never sent the browser back');
  }

  /** A member invited with one role, through the real invitation mail. */
  async function invitedMember(email: string, roleId: string): Promise<{ token: string; userId: string }> {
    const invited = await gql(gatewayUrl, 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', { i: { email, roleIds: [roleId] } }, owner.token);
    expect(invited.errors).toBeUndefined();
    const token = /Invitation token: (pki_[A-Za-z0-9_-]+)/.exec((await smtp.waitFor(email)).text)![1];
    const accepted = await gql<{ acceptInvitation: { token: string; user: { id: string } } }>(gatewayUrl,
      'mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { token user { id } } }', { i: { token, name: 'Ada Admin', password: PASSWORD } });
    expect(accepted.errors).toBeUndefined();
    return { token: accepted.data!.acceptInvitation.token, userId: accepted.data!.acceptInvitation.user.id };
  }

  /** The owner's org proves it owns `domain`: the TXT record it was given, published in the injected DNS. */
  async function verifyDomain(domain: string, token = owner.token): Promise<SsoDomainShape> {
    const added = await gql<{ addSsoDomain: SsoDomainShape }>(gatewayUrl, ADD_DOMAIN, { d: domain }, token);
    expect(added.errors).toBeUndefined();
    const { txtRecordName, txtRecordValue } = added.data!.addSsoDomain;
    TXT.set(txtRecordName, [...(TXT.get(txtRecordName) ?? []), [txtRecordValue]]);
    const verified = await gql<{ verifySsoDomain: SsoDomainShape }>(gatewayUrl, VERIFY_DOMAIN, { d: domain }, token);
    expect(verified.errors).toBeUndefined();
    return verified.data!.verifySsoDomain;
  }

  /** The gateway's answer to the callback: where it sends the browser. */
  async function callback(browser: Browser, url: string): Promise<{ location: URL; sessionCookie: string | undefined }> {
    const res = await browser.request(url);
    expect(res.status).toBe(302);
    return { location: new URL(res.headers.get('location')!), sessionCookie: browser.cookie(gatewayUrl, 'packets_session') };
  }

  async function viewerByCookie(cookie: string) {
    return gql<{ viewer: { user: { email: string }; roles: { name: string }[] } | null }>(gatewayUrl, VIEWER, {}, undefined, { cookie: `packets_session=${cookie}` });
  }

  function ssoEvents(filter: (e: { action: string; outcome: string; data: Record<string, unknown>; actor_id: string | null }) => boolean, orgId = owner.orgId) {
    return eventually(
      () => adminQuery<{ action: string; outcome: string; data: Record<string, unknown>; actor_id: string | null; ip: string | null }>(
        `select action, outcome, data, actor_id, ip from audit.events
          where org_id = $1 and (action in ('auth.sso', 'member.join') or action like 'sso.%') order by occurred_at`,
        [orgId]),
      (rows) => rows.some(filter),
    ).then((rows) => rows.filter(filter));
  }

  const configure = (input: Record<string, unknown>, token = owner.token) => gql<{ configureSso: Record<string, unknown> }>(gatewayUrl, CONFIGURE, {
    i: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowedDomains: [DOMAIN], ...input },
  }, token);

  beforeAll(async () => {
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    idp = await startProvider(`${gatewayUrl}/auth/sso/callback`);
    // the gateway on a known port, so that PUBLIC_URL (the redirect URI) is its own URL
    smtp = await startSmtp();
    // the provider is on loopback: this stack opts in to http:// and private issuers (both default off)
    stack = await startTestStack({
      ports: { gateway: port }, resolveTxt,
      env: { PUBLIC_URL: gatewayUrl, SSO_ALLOW_INSECURE_ISSUERS: 'true', SSO_ALLOW_PRIVATE_ISSUERS: 'true', SMTP_URL: smtp.url },
    });
    expect(stack.gatewayUrl).toBe(gatewayUrl);
    owner = await signUp(gatewayUrl, 'SSO Org', `owner@${DOMAIN}`);
    const roles = await gql<{ roles: { id: string; name: string }[] }>(gatewayUrl, '{ roles { id name } }', {}, owner.token);
    roleIds = Object.fromEntries(roles.data!.roles.map((r) => [r.name, r.id]));
    admin = await invitedMember(uniqueEmail('sso-admin'), roleIds.Admin!);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    idp?.server.closeAllConnections();
    await new Promise((resolve) => idp?.server.close(resolve));
  });

  it('refuses bad configuration with BAD_USER_INPUT', async () => {
    const bad = [
      { issuer: 'not a url' },
      { issuer: 'ftp://idp.example.com' },
      { issuer: 'https://idp.example.com/?tenant=x' },
      { allowedDomains: [] },
      { allowedDomains: ['not a domain'] },
      { preset: 'GOOGLE' }, // and an issuer: one or the other
      { issuer: null, preset: 'GOOGLE', microsoftTenant: 'contoso.com' },
      { jitEnabled: true, allowedDomains: ['gmail.com'] },
      { defaultRoleId: '00000000-0000-4000-8000-000000000000' },
      { clientId: '' },
    ];
    for (const input of bad) expect(codes(await configure(input)), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
    const none = await gql<{ ssoConnection: unknown }>(gatewayUrl, '{ ssoConnection { issuer } }', {}, owner.token);
    expect(none.data).toEqual({ ssoConnection: null });
  });

  it('has presets for Google and Microsoft (tenant from input, "organizations" by default)', async () => {
    const google = await configure({ issuer: null, preset: 'GOOGLE', clientId: 'g-client' });
    expect(google.data!.configureSso.issuer).toBe('https://accounts.google.com');
    // a new issuer needs its own secret
    const noSecret = await configure({ issuer: null, preset: 'MICROSOFT', clientSecret: null });
    expect(codes(noSecret)).toEqual(['BAD_USER_INPUT']);
    const microsoft = await configure({ issuer: null, preset: 'MICROSOFT' });
    expect(microsoft.data!.configureSso.issuer).toBe('https://login.microsoftonline.com/organizations/v2.0');
    const tenant = await configure({ issuer: null, preset: 'MICROSOFT', microsoftTenant: 'contoso.onmicrosoft.com' });
    expect(tenant.data!.configureSso.issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
  });

  it('configures the provider: secret sealed, never returned or audited; JIT off by default', async () => {
    const res = await configure({});
    expect(res.errors).toBeUndefined();
    expect(res.data!.configureSso).toEqual({
      issuer: idp.issuer, clientId: CLIENT_ID, clientSecretSet: true, allowedDomains: [DOMAIN], jitEnabled: false, defaultRoleId: null,
      redirectUri: `${gatewayUrl}/auth/sso/callback`,
    });
    // keeping the issuer and client: the stored secret stays
    expect((await configure({ clientSecret: null })).errors).toBeUndefined();
    const [row] = await adminQuery<{ client_secret_enc: string }>('select client_secret_enc from identity.sso_connections where org_id = $1', [owner.orgId]);
    expect(row!.client_secret_enc).toMatch(/^v1\./);
    expect(row!.client_secret_enc).not.toContain(CLIENT_SECRET);
    const events = await ssoEvents((e) => e.action === 'sso.configure' && (e.data.after as { issuer?: string }).issuer === idp.issuer);
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(CLIENT_SECRET);
  });

  it('an unverified domain never matches an existing member', async () => {
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'owner'));
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=domain_not_verified`);
    expect(res.sessionCookie).toBeUndefined();
    const [event] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.error === 'domain_not_verified');
    expect(event!.data.email).toBe(`owner@${DOMAIN}`);
  });

  it('the takeover fails: an Admin cannot point SSO at their own provider, claim the Owner\'s domain, or sign in as the Owner', async () => {
    // the Admin holds update SsoConnection, but not every permission of the Owner SSO could sign in as
    const attack = await gql(gatewayUrl, CONFIGURE, {
      i: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowedDomains: [DOMAIN], jitEnabled: false },
    }, admin.token);
    expect(codes(attack)).toEqual(['FORBIDDEN']);
    expect(codes(await gql(gatewayUrl, CONFIGURE, { i: { preset: 'GOOGLE', clientId: 'x', clientSecret: 'y', allowedDomains: [DOMAIN] } }, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(gatewayUrl, ADD_DOMAIN, { d: DOMAIN }, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(gatewayUrl, VERIFY_DOMAIN, { d: DOMAIN }, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(gatewayUrl, 'mutation($d: String!) { removeSsoDomain(domain: $d) }', { d: DOMAIN }, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(gatewayUrl, 'mutation { removeSso }', {}, admin.token))).toEqual(['FORBIDDEN']);
    const [denied] = await ssoEvents((e) => e.action === 'sso.configure' && e.outcome === 'denied' && e.actor_id === admin.userId);
    expect(denied!.data).toMatchObject({ issuer: idp.issuer, allowedDomains: [DOMAIN] });
    expect(denied!.data.reason).toMatch(/^Configuring SSO needs every permission of the people it could sign in as \(role Owner\)/);
    expect(await ssoEvents((e) => e.action === 'sso.domain.add' && e.outcome === 'denied' && e.actor_id === admin.userId)).toHaveLength(1);
    // the connection is still the Owner's, and signing in at the provider as the Owner opens no session
    const conn = await gql<{ ssoConnection: { allowedDomains: string[]; jitEnabled: boolean } }>(gatewayUrl, '{ ssoConnection { allowedDomains jitEnabled } }', {}, owner.token);
    expect(conn.data!.ssoConnection).toEqual({ allowedDomains: [DOMAIN], jitEnabled: false });
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'owner'));
    expect(res.sessionCookie).toBeUndefined();
    expect(res.location.searchParams.get('sso_error')).toBeTruthy();
  });

  it('checks the TXT token through the resolver: a missing or wrong record is refused, the right one verifies', async () => {
    const added = await gql<{ addSsoDomain: SsoDomainShape }>(gatewayUrl, ADD_DOMAIN, { d: ` ${DOMAIN.toUpperCase()}` }, owner.token);
    expect(added.errors).toBeUndefined();
    const claim = added.data!.addSsoDomain;
    expect(claim).toMatchObject({ domain: DOMAIN, verified: false, verifiedAt: null, txtRecordName: `_packets-verification.${DOMAIN}` });
    expect(claim.txtRecordValue).toMatch(/^packets-verify=[A-Za-z0-9_-]{43}$/);
    // asking again hands out the same record
    expect((await gql<{ addSsoDomain: SsoDomainShape }>(gatewayUrl, ADD_DOMAIN, { d: DOMAIN }, owner.token)).data!.addSsoDomain.txtRecordValue).toBe(claim.txtRecordValue);

    const lookedUp = txtLookups.length;
    expect(codes(await gql(gatewayUrl, VERIFY_DOMAIN, { d: DOMAIN }, owner.token))).toEqual(['BAD_USER_INPUT']);
    TXT.set(claim.txtRecordName, [['v=spf1 -all'], [`packets-verify=${randomBytes(32).toString('base64url')}`]]);
    expect(codes(await gql(gatewayUrl, VERIFY_DOMAIN, { d: DOMAIN }, owner.token))).toEqual(['BAD_USER_INPUT']);
    expect(txtLookups.slice(lookedUp)).toEqual([claim.txtRecordName, claim.txtRecordName]);
    expect((await adminQuery<{ verified_at: Date | null }>('select verified_at from identity.sso_domains where org_id = $1', [owner.orgId]))[0]!.verified_at).toBeNull();

    // the right value, split into chunks as long TXT records arrive
    const value = claim.txtRecordValue;
    TXT.set(claim.txtRecordName, [['v=spf1 -all'], [value.slice(0, 20), value.slice(20)]]);
    const verified = await gql<{ verifySsoDomain: SsoDomainShape }>(gatewayUrl, VERIFY_DOMAIN, { d: DOMAIN }, owner.token);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifySsoDomain).toMatchObject({ id: claim.id, verified: true });
    const [event] = await ssoEvents((e) => e.action === 'sso.domain.verify' && e.outcome === 'success');
    expect(event!.data).toMatchObject({ domain: DOMAIN, txtRecord: claim.txtRecordName });
    expect(event!.actor_id).toBe(owner.userId);
    const listed = await gql<{ ssoDomains: SsoDomainShape[] }>(gatewayUrl, `{ ssoDomains { ${DOMAIN_FIELDS} } }`, {}, owner.token);
    expect(listed.data!.ssoDomains.map((d) => [d.domain, d.verified])).toEqual([[DOMAIN, true]]);
  });

  it('another org cannot claim a domain already verified', async () => {
    const other = await signUp(gatewayUrl, 'Domain Squatter Org');
    expect(codes(await gql(gatewayUrl, ADD_DOMAIN, { d: DOMAIN }, other.token))).toEqual(['CONFLICT']);
    // both claim a fresh domain; the first to prove it holds it, the second is refused even with its own valid record
    const shared = `shared-${randomBytes(4).toString('hex')}.test`;
    const pending = await gql<{ addSsoDomain: SsoDomainShape }>(gatewayUrl, ADD_DOMAIN, { d: shared }, other.token);
    expect(pending.errors).toBeUndefined();
    TXT.set(pending.data!.addSsoDomain.txtRecordName, [[pending.data!.addSsoDomain.txtRecordValue]]);
    expect((await verifyDomain(shared)).verified).toBe(true);
    expect(codes(await gql(gatewayUrl, VERIFY_DOMAIN, { d: shared }, other.token))).toEqual(['CONFLICT']);
    const rows = await adminQuery<{ org_id: string }>('select org_id from identity.sso_domains where domain = $1 and verified_at is not null', [shared]);
    expect(rows.map((r) => r.org_id)).toEqual([owner.orgId]);
  });

  it('signs in an existing member: session cookie, returnTo, method sso, audited', async () => {
    const browser = new Browser();
    const url = await loginAtProvider(browser, 'owner', `/auth/sso/${owner.slug}/start?returnTo=${encodeURIComponent('/controls?tab=mine')}`);
    expect(browser.cookie(gatewayUrl, 'packets_sso_state')).toBeTruthy();
    const { location, sessionCookie } = await callback(browser, url);
    expect(location.href).toBe(`${gatewayUrl}/controls?tab=mine`);
    expect(sessionCookie).toMatch(/^pks_/);
    expect(browser.cookie(gatewayUrl, 'packets_sso_state')).toBeUndefined();
    const me = await viewerByCookie(sessionCookie!);
    expect(me.data!.viewer!.user.email).toBe(`owner@${DOMAIN}`);
    const sessions = await adminQuery<{ method: string }>(`select method from identity.sessions where org_id = $1 and user_id = $2 and method = 'sso'`, [owner.orgId, owner.userId]);
    expect(sessions.length).toBe(1);
    const [ok] = await ssoEvents((e) => e.action === 'auth.sso' && e.outcome === 'success');
    expect(ok!.data).toMatchObject({ email: `owner@${DOMAIN}`, jit: false, issuer: idp.issuer });
    expect(ok!.actor_id).toBe(owner.userId);
    expect(ok!.ip).toBe('127.0.0.1');
  });

  it('refuses a replayed callback and a replayed code', async () => {
    const first = new Browser();
    const url = await loginAtProvider(first, 'owner');
    const stateCookie = first.cookie(gatewayUrl, 'packets_sso_state')!;
    expect((await callback(first, url)).sessionCookie).toMatch(/^pks_/);

    // the same callback again, even with the browser's state cookie: the state is single use
    const replay = new Browser();
    replay.setCookie(gatewayUrl, 'packets_sso_state', stateCookie);
    const again = await callback(replay, url);
    expect(again.location.href).toBe(`${gatewayUrl}/?sso_error=invalid_state`);
    expect(again.sessionCookie).toBeUndefined();

    // the used code under a fresh, valid state: the provider refuses it
    const second = new Browser();
    const fresh = new URL(await loginAtProvider(second, 'owner'));
    const old = new URL(url);
    fresh.searchParams.set('code', old.searchParams.get('code')!);
    const reused = await callback(second, fresh.href);
    expect(reused.location.href).toBe(`${gatewayUrl}/?sso_error=login_failed`);
    expect(reused.sessionCookie).toBeUndefined();

    expect(await ssoEvents((e) => e.action === 'auth.sso' && e.outcome === 'failure' && e.data.reason === 'state_replayed')).toHaveLength(1);
    const [grant] = await ssoEvents((e) => e.action === 'auth.sso' && e.outcome === 'failure' && e.data.error === 'login_failed');
    expect(grant!.data.idpError).toBe('invalid_grant');
  });

  it('refuses a wrong state: forged, or another browser’s (login CSRF)', async () => {
    const browser = new Browser();
    const url = new URL(await loginAtProvider(browser, 'owner'));
    const forged = new URL(url);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    const res = await callback(browser, forged.href);
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=invalid_state`);
    expect(res.sessionCookie).toBeUndefined();

    // an attacker's own finished login, opened in the victim's browser: refused, and the state is burnt
    const attacker = new Browser();
    const attackersCallback = await loginAtProvider(attacker, 'owner');
    const victim = new Browser();
    await victim.request(`${gatewayUrl}/auth/sso/${owner.slug}/start`); // the victim has a login of their own in flight
    const csrf = await callback(victim, attackersCallback);
    expect(csrf.location.href).toBe(`${gatewayUrl}/?sso_error=invalid_state`);
    expect(csrf.sessionCookie).toBeUndefined();
    expect((await callback(attacker, attackersCallback)).location.href).toBe(`${gatewayUrl}/?sso_error=invalid_state`);
    expect(await ssoEvents((e) => e.action === 'auth.sso' && e.data.reason === 'browser_mismatch')).toHaveLength(1);
  });

  it('refuses an unverified email', async () => {
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'unverified'));
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=email_not_verified`);
    expect(res.sessionCookie).toBeUndefined();
    const [event] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.error === 'email_not_verified');
    expect(event!.outcome).toBe('failure');
  });

  it('refuses an email outside the allowed domains', async () => {
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'foreign'));
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=domain_not_allowed`);
    expect(res.sessionCookie).toBeUndefined();
    const [event] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.error === 'domain_not_allowed');
    expect(event!.data.email).toBe(`someone@elsewhere-${DOMAIN}`);
  });

  it('without JIT, a verified newcomer in the domain is refused and nothing is created', async () => {
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'newbie'));
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=not_a_member`);
    expect(res.sessionCookie).toBeUndefined();
    expect(await adminQuery('select id from identity.users where email = $1', [`newbie@${DOMAIN}`])).toEqual([]);
    expect(await ssoEvents((e) => e.action === 'auth.sso' && e.data.error === 'not_a_member')).toHaveLength(1);
  });

  it('with JIT on, a newcomer joins with the default role on first sign-in', async () => {
    const res = await configure({ clientSecret: null, jitEnabled: true, defaultRoleId: roleIds.Viewer });
    expect(res.data!.configureSso).toMatchObject({ jitEnabled: true, defaultRoleId: roleIds.Viewer });
    const browser = new Browser();
    const { location, sessionCookie } = await callback(browser, await loginAtProvider(browser, 'newbie'));
    expect(location.href).toBe(`${gatewayUrl}/`);
    newbieCookie = sessionCookie!;
    const me = await viewerByCookie(sessionCookie!);
    expect(me.data!.viewer).toMatchObject({ user: { email: `newbie@${DOMAIN}` }, roles: [{ name: 'Viewer' }] });
    const [join] = await ssoEvents((e) => e.action === 'member.join' && e.data.via === 'sso');
    expect(join!.data).toMatchObject({ email: `newbie@${DOMAIN}`, newAccount: true, roles: ['Viewer'] });
    const [ok] = await ssoEvents((e) => e.action === 'auth.sso' && e.outcome === 'success' && e.data.jit === true);
    expect(ok!.data.email).toBe(`newbie@${DOMAIN}`);
    // a Viewer may not configure SSO
    const forbidden = await gql(gatewayUrl, CONFIGURE, { i: { issuer: idp.issuer, clientId: CLIENT_ID, allowedDomains: [DOMAIN] } }, undefined, { cookie: `packets_session=${sessionCookie}` });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    // the second sign-in finds the member: no second membership
    const again = new Browser();
    expect((await callback(again, await loginAtProvider(again, 'newbie'))).sessionCookie).toMatch(/^pks_/);
    expect(await adminQuery('select m.id from identity.memberships m join identity.users u on u.id = m.user_id where u.email = $1', [`newbie@${DOMAIN}`])).toHaveLength(1);
  });

  it('two first logins of one newcomer at the same moment: one account, one membership, both signed in (no internal error)', async () => {
    const browsers = [new Browser(), new Browser()];
    const urls: string[] = [];
    for (const b of browsers) urls.push(await loginAtProvider(b, 'twin'));
    let i = 0;
    const answers = await raceAtInsert('identity.users', 2, () => { const k = i++; return callback(browsers[k]!, urls[k]!); });
    for (const a of answers) {
      expect(a.location.href).toBe(`${gatewayUrl}/`);
      expect(a.sessionCookie).toMatch(/^pks_/);
    }
    const users = await adminQuery<{ id: string }>('select id from identity.users where email = $1', [`twin@${DOMAIN}`]);
    expect(users).toHaveLength(1);
    expect(await adminQuery('select id from identity.memberships where user_id = $1', [users[0]!.id])).toHaveLength(1);
    for (const a of answers) expect((await viewerByCookie(a.sessionCookie!)).data!.viewer).toMatchObject({ user: { email: `twin@${DOMAIN}` } });
  });

  it('JIT does not adopt a member of another org without their confirmation, and after it does', async () => {
    const email = `elsewhere@${DOMAIN}`;
    const elsewhere = await signUp(gatewayUrl, 'Elsewhere Org', email);
    const memberOfSsoOrg = () => adminQuery('select id from identity.memberships where org_id = $1 and user_id = $2', [owner.orgId, elsewhere.userId]);
    const browser = new Browser();
    const res = await callback(browser, await loginAtProvider(browser, 'elsewhere'));
    expect(res.location.href).toBe(`${gatewayUrl}/?sso_error=confirmation_required`);
    expect(res.sessionCookie).toBeUndefined();
    expect(await memberOfSsoOrg()).toEqual([]);
    const [asked] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.error === 'confirmation_required');
    expect(asked!.data).toMatchObject({ email, role: 'Viewer' });
    const mail = await smtp.waitFor(email);
    const token = /Confirmation token: (pkj_[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect(mail.text).toContain(`${gatewayUrl}/confirm-sso-join?token=${token}`);

    // the mailed token is no confirmation on its own: not anonymously, not by someone else
    expect(codes(await gql(gatewayUrl, CONFIRM_JOIN, { t: token }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(gatewayUrl, CONFIRM_JOIN, { t: token }, owner.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(gatewayUrl, CONFIRM_JOIN, { t: `pkj_${randomBytes(32).toString('base64url')}` }, elsewhere.token))).toEqual(['NOT_FOUND']);
    expect(await memberOfSsoOrg()).toEqual([]);

    // the person, signed in with their own account, confirms: once
    const confirmed = await gql<{ confirmSsoJoin: boolean }>(gatewayUrl, CONFIRM_JOIN, { t: token }, elsewhere.token);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmSsoJoin).toBe(true);
    expect(await memberOfSsoOrg()).toHaveLength(1);
    expect(codes(await gql(gatewayUrl, CONFIRM_JOIN, { t: token }, elsewhere.token))).toEqual(['NOT_FOUND']);
    const [join] = await ssoEvents((e) => e.action === 'member.join' && e.data.confirmed === true);
    expect(join!.actor_id).toBe(elsewhere.userId);
    expect(join!.data).toMatchObject({ via: 'sso', email, roles: ['Viewer'], newAccount: false });

    // from now on SSO signs them in to the SSO org; their own org keeps them
    const again = new Browser();
    const { sessionCookie } = await callback(again, await loginAtProvider(again, 'elsewhere'));
    expect(sessionCookie).toMatch(/^pks_/);
    expect((await viewerByCookie(sessionCookie!)).data!.viewer).toMatchObject({ user: { email }, roles: [{ name: 'Viewer' }] });
    expect(await adminQuery('select id from identity.memberships where org_id = $1 and user_id = $2', [elsewhere.orgId, elsewhere.userId])).toHaveLength(1);
  });

  it('a confirmation grants the role JIT gives when it is confirmed, not the one of a request made before the Owner changed it', async () => {
    const email = `stale-role@${DOMAIN}`;
    const elsewhere = await signUp(gatewayUrl, 'Stale Role Org', email);
    expect((await configure({ clientSecret: null, jitEnabled: true, defaultRoleId: roleIds.Admin })).errors).toBeUndefined();
    const browser = new Browser();
    expect((await callback(browser, await loginAtProvider(browser, 'stale-role'))).location.href).toBe(`${gatewayUrl}/?sso_error=confirmation_required`);
    const token = /Confirmation token: (pkj_[A-Za-z0-9_-]+)/.exec((await smtp.waitFor(email)).text)![1]!;
    // the Owner lowers the JIT role before the person confirms
    expect((await configure({ clientSecret: null, jitEnabled: true, defaultRoleId: roleIds.Viewer })).errors).toBeUndefined();
    const confirmed = await gql<{ confirmSsoJoin: boolean }>(gatewayUrl, CONFIRM_JOIN, { t: token }, elsewhere.token);
    expect(confirmed.errors).toBeUndefined();
    const roles = await adminQuery<{ name: string }>(
      `select r.name from identity.membership_roles mr join identity.memberships m on m.id = mr.membership_id
        join identity.roles r on r.id = mr.role_id where m.org_id = $1 and m.user_id = $2`,
      [owner.orgId, elsewhere.userId]);
    expect(roles).toEqual([{ name: 'Viewer' }]);
  });

  it('a burst of confirmations with one token: one joins, the others answer NOT_FOUND (no internal error)', async () => {
    const email = `burst@${DOMAIN}`;
    const elsewhere = await signUp(gatewayUrl, 'Burst Org', email);
    const browser = new Browser();
    expect((await callback(browser, await loginAtProvider(browser, 'burst'))).location.href).toBe(`${gatewayUrl}/?sso_error=confirmation_required`);
    const token = /Confirmation token: (pkj_[A-Za-z0-9_-]+)/.exec((await smtp.waitFor(email)).text)![1]!;
    const answers = await Promise.all(Array.from({ length: 8 }, () => gql<{ confirmSsoJoin: boolean }>(gatewayUrl, CONFIRM_JOIN, { t: token }, elsewhere.token)));
    expect(answers.filter((a) => a.data?.confirmSsoJoin === true)).toHaveLength(1);
    expect(answers.flatMap((a) => codes(a)).sort()).toEqual(Array<string>(7).fill('NOT_FOUND'));
    expect(await adminQuery('select id from identity.memberships where org_id = $1 and user_id = $2', [owner.orgId, elsewhere.userId])).toHaveLength(1);
  });

  it("a provider's ill-formed strings (NUL, unpaired surrogates) never reach SQL: a bad name is replaced, a bad subject ends the login", async () => {
    // JIT is on (Viewer): the newcomer joins under the mailbox name instead of the name they sent
    const browser = new Browser();
    const joined = await callback(browser, await loginAtProvider(browser, 'hostile-name'));
    expect(joined.location.href).toBe(`${gatewayUrl}/`);
    expect(await adminQuery('select name from identity.users where email = $1', [`hostile-name@${DOMAIN}`])).toEqual([{ name: 'hostile-name' }]);
    const other = new Browser();
    const refused = await callback(other, await loginAtProvider(other, 'hostile\u0000sub'));
    expect(refused.location.href).toBe(`${gatewayUrl}/?sso_error=login_failed`);
    expect(refused.sessionCookie).toBeUndefined();
    const [event] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.reason === 'invalid_subject');
    expect(event!.data).toMatchObject({ error: 'login_failed', issuer: idp.issuer });
    expect(await adminQuery('select id from identity.users where email = $1', [`hostile-sub@${DOMAIN}`])).toEqual([]);
  });

  it('still asks a member with TOTP for the second factor', async () => {
    const asNewbie = { cookie: `packets_session=${newbieCookie}` };
    const enrolled = await gql<{ enrollTotp: { secret: string } }>(gatewayUrl, 'mutation { enrollTotp { secret } }', {}, undefined, asNewbie);
    const secret = enrolled.data!.enrollTotp.secret;
    const confirmed = await gql<{ confirmTotp: { codes: string[] } }>(gatewayUrl, 'mutation($c: String!) { confirmTotp(code: $c) { codes } }',
      { c: authenticator.generate(secret) }, undefined, asNewbie);
    const recovery = confirmed.data!.confirmTotp.codes[0]!;

    const browser = new Browser();
    const { location, sessionCookie } = await callback(browser, await loginAtProvider(browser, 'newbie'));
    expect(sessionCookie).toBeUndefined();
    expect(`${location.origin}${location.pathname}`).toBe(`${gatewayUrl}/`);
    const challengeToken = /^#sso_mfa_challenge=(pkm_[A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
    expect(challengeToken).toBeTruthy();
    const done = await gql<{ completeMfaSignIn: { token: string; user: { email: string } } }>(gatewayUrl,
      'mutation($i: CompleteMfaInput!) { completeMfaSignIn(input: $i) { token user { email } } }', { i: { challengeToken, recoveryCode: recovery } });
    expect(done.data!.completeMfaSignIn.user.email).toBe(`newbie@${DOMAIN}`);
    const [event] = await ssoEvents((e) => e.action === 'auth.sso' && e.data.next === 'mfa');
    expect(event!.outcome).toBe('success');
  });

  it('answers an unknown org, an org without SSO and a bad returnTo with a redirect and a code', async () => {
    const other = await signUp(gatewayUrl, 'No SSO Org');
    const cases: [string, string][] = [
      ['/auth/sso/no-such-org-anywhere/start', 'sso_unavailable'],
      [`/auth/sso/${other.slug}/start`, 'sso_unavailable'],
      [`/auth/sso/${owner.slug}/start?returnTo=${encodeURIComponent('//evil.example/')}`, 'invalid_request'],
      [`/auth/sso/${owner.slug}/start?returnTo=${encodeURIComponent('https://evil.example/')}`, 'invalid_request'],
      ['/auth/sso/callback', 'invalid_state'],
    ];
    for (const [path, code] of cases) {
      const res = await new Browser().request(`${gatewayUrl}${path}`);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location'), path).toBe(`${gatewayUrl}/?sso_error=${code}`);
    }
  });

  it('the Owner can turn SSO off: audited, and sign-in then answers sso_unavailable', async () => {
    const off = await gql<{ removeSso: boolean }>(gatewayUrl, 'mutation { removeSso }', {}, owner.token);
    expect(off.data).toEqual({ removeSso: true });
    const [event] = await ssoEvents((e) => e.action === 'sso.remove' && e.outcome === 'success');
    expect(event!.actor_id).toBe(owner.userId);
    const res = await new Browser().request(`${gatewayUrl}/auth/sso/${owner.slug}/start`);
    expect(res.headers.get('location')).toBe(`${gatewayUrl}/?sso_error=sso_unavailable`);
    expect(codes(await gql(gatewayUrl, 'mutation { removeSso }', {}, owner.token))).toEqual(['NOT_FOUND']);
  });
});

describe('SSO issuers on private addresses (SSO_ALLOW_PRIVATE_ISSUERS off, the default)', () => {
  let stack: Stack;
  let idp: { issuer: string; server: Server };
  let owner: SignedUp;
  const requestsAtIdp: string[] = [];

  beforeAll(async () => {
    // http:// is allowed here so that what is refused is the address, not the scheme
    stack = await startTestStack({ env: { SSO_ALLOW_INSECURE_ISSUERS: 'true' } });
    idp = await startProvider(`${stack.gatewayUrl}/auth/sso/callback`);
    idp.server.prependListener('request', (req: IncomingMessage) => requestsAtIdp.push(req.url ?? ''));
    owner = await signUp(stack.gatewayUrl, 'SSRF SSO Org');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    idp?.server.closeAllConnections();
    await new Promise((resolve) => idp?.server.close(resolve));
  });

  const configure = (issuer: string) => gql<{ configureSso: { issuer: string } }>(stack.gatewayUrl, CONFIGURE, {
    i: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowedDomains: ['ssrf.test'] },
  }, owner.token);

  it('refuses issuers on loopback, private, IPv4-mapped and NAT64 addresses', async () => {
    for (const issuer of [
      'https://[::ffff:127.0.0.1]/', 'https://[::ffff:7f00:1]', 'https://10.1.2.3', 'https://169.254.169.254/latest', 'https://[::1]',
      'https://[64:ff9b::a9fe:a9fe]', 'https://[fd00::1]', 'https://0.0.0.0', 'http://localhost:8080', 'http://127.0.0.1:1', idp.issuer,
    ]) {
      expect(codes(await configure(issuer)), issuer).toEqual(['BAD_USER_INPUT']);
    }
    expect((await gql(stack.gatewayUrl, '{ ssoConnection { issuer } }', {}, owner.token)).data).toEqual({ ssoConnection: null });
  });

  it('never fetches discovery from a private address, even when the stored issuer points there', async () => {
    // a public literal passes configuration (no network needed); then the issuer turns private, as a DNS answer can
    expect((await configure('https://93.184.215.14')).errors).toBeUndefined();
    await adminQuery('update identity.sso_connections set issuer = $1 where org_id = $2', [idp.issuer, owner.orgId]);
    const res = await new Browser().request(`${stack.gatewayUrl}/auth/sso/${owner.slug}/start`);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('sso_error')).toBe('idp_unavailable');
    // the answer is back: had discovery been attempted, the provider would have seen it by now
    expect(requestsAtIdp).toEqual([]);
    const events = await eventually(
      () => adminQuery<{ data: Record<string, unknown> }>(`select data from audit.events where org_id = $1 and action = 'auth.sso'`, [owner.orgId]),
      (rows) => rows.length > 0,
    );
    expect(events[0]!.data).toMatchObject({ error: 'idp_unavailable', stage: 'start', issuer: idp.issuer });
  });
});
