// Sessions (idle and absolute expiry on an injected clock, listing, revocation,
// tightened settings and MFA turned on applying to open sessions), API keys as
// bearer tokens, the console's session cookie (same-origin only, malformed values
// refused), and brute-force limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import { codes, eventually, gql, PASSWORD, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery, startTestStack } from './harness';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on AuthPayload { token expiresAt } } }`;
const VIEWER = '{ viewer { user { email } } }';
const SESSIONS = `query($u: ID) { sessions(userId: $u) { id current method ip userAgent createdAt lastSeenAt expiresAt } }`;

describe('sessions, API keys and brute force', () => {
  let stack: Stack;
  let owner: SignedUp;
  let clock = Date.now();
  const minutes = (n: number) => { clock += n * 60_000; };

  beforeAll(async () => {
    stack = await startTestStack({ now: () => new Date(clock) });
    owner = await signUp(stack.gatewayUrl, 'Sessions Org');
  });
  afterAll(() => stack?.stop());

  async function newMember(role: string): Promise<{ email: string; userId: string; token: string }> {
    const m = await addMember(stack.gatewayUrl, owner, role, { name: role, headers: { 'user-agent': 'PacketsTest/1.0 (iPhone)' } });
    return { email: m.email, userId: m.userId, token: m.token };
  }


  it('expires a session after the idle timeout, and sliding activity keeps it alive', async () => {
    const m = await newMember('Member');
    minutes(25);
    expect((await gql(stack.gatewayUrl, VIEWER, {}, m.token)).errors).toBeUndefined(); // 25 min idle: alive, and slides
    minutes(25);
    expect((await gql(stack.gatewayUrl, VIEWER, {}, m.token)).errors).toBeUndefined(); // 25 after the last use
    minutes(31);
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, m.token))).toEqual(['UNAUTHENTICATED']);
  });

  it('expires a session at its absolute lifetime however active, per the org settings', async () => {
    const set = await gql(stack.gatewayUrl, 'mutation { updateSecuritySettings(input: { sessionAbsoluteLifetimeMinutes: 60, sessionIdleTimeoutMinutes: 30 }) { securitySettings { sessionAbsoluteLifetimeMinutes } } }', {}, (await signIn(owner.email)).token);
    expect(set.errors).toBeUndefined();
    const m = await newMember('Member');
    for (let i = 0; i < 3; i++) {
      minutes(19);
      expect((await gql(stack.gatewayUrl, VIEWER, {}, m.token)).errors).toBeUndefined();
    }
    minutes(5); // 62 minutes after sign-in, last used 5 minutes ago
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, m.token))).toEqual(['UNAUTHENTICATED']);
    await gql(stack.gatewayUrl, 'mutation { updateSecuritySettings(input: { sessionAbsoluteLifetimeMinutes: 720 }) { id } }', {}, (await signIn(owner.email)).token);
  });

  async function signIn(email: string) {
    const res = await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email, password: PASSWORD, organizationSlug: owner.slug } });
    return { token: res.data!.signIn.token };
  }

  it('lists own sessions with device and IP; admins see and revoke a member’s; members cannot', async () => {
    const m = await newMember('Member');
    const admin = await newMember('Admin');
    const own = await gql<{ sessions: { id: string; current: boolean; userAgent: string; ip: string; method: string }[] }>(stack.gatewayUrl, SESSIONS, {}, m.token);
    expect(own.data!.sessions).toHaveLength(1);
    // the member joined through an invitation: that session says so
    expect(own.data!.sessions[0]).toMatchObject({ current: true, userAgent: 'PacketsTest/1.0 (iPhone)', ip: '127.0.0.1', method: 'invitation' });
    expect(codes(await gql(stack.gatewayUrl, SESSIONS, {}))).toEqual(['UNAUTHENTICATED']);
    // a member may not look at or end the admin's sessions
    expect(codes(await gql(stack.gatewayUrl, SESSIONS, { u: admin.userId }, m.token))).toEqual(['FORBIDDEN']);
    const adminSessions = await gql<{ sessions: { id: string }[] }>(stack.gatewayUrl, SESSIONS, { u: admin.userId }, admin.token);
    expect(codes(await gql(stack.gatewayUrl, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: adminSessions.data!.sessions[0]!.id }, m.token))).toEqual(['FORBIDDEN']);
    // the admin lists and ends the member's session: it fails on the very next request
    const theirs = await gql<{ sessions: { id: string }[] }>(stack.gatewayUrl, SESSIONS, { u: m.userId }, admin.token);
    expect(theirs.data!.sessions).toHaveLength(1);
    const revoked = await gql(stack.gatewayUrl, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: theirs.data!.sessions[0]!.id }, admin.token);
    expect(revoked.data).toEqual({ revokeSession: true });
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, m.token))).toEqual(['UNAUTHENTICATED']);
    // the refused use of a known session is in the audit log, with where it came from
    const rejected = await eventually(
      () => adminQuery<{ data: { reason: string }; ip: string; actor_id: string }>(`select data, ip, actor_id from audit.events where org_id = $1 and action = 'auth.session_rejected' and subject_id = $2`, [owner.orgId, theirs.data!.sessions[0]!.id]),
      (rows) => rows.length > 0,
    );
    expect(rejected[0]).toMatchObject({ data: { reason: 'revoked' }, ip: '127.0.0.1', actor_id: m.userId });
  });

  it("another org's session is NOT_FOUND", async () => {
    const other = await signUp(stack.gatewayUrl, 'Other Sessions Org');
    const mine = await gql<{ sessions: { id: string }[] }>(stack.gatewayUrl, SESSIONS, {}, (await signIn(owner.email)).token);
    expect(codes(await gql(stack.gatewayUrl, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: mine.data!.sessions[0]!.id }, other.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.gatewayUrl, SESSIONS, { u: owner.userId }, other.token))).toEqual(['NOT_FOUND']);
  });

  it('API keys: shown once, stored hashed, act with their role, expire and revoke on the next request', async () => {
    const ownerToken = (await signIn(owner.email)).token;
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, ownerToken);
    const viewerRole = roles.data!.roles.find((r) => r.name === 'Viewer')!.id;
    const created = await gql<{ createApiKey: { key: string; apiKey: { id: string; prefix: string } } }>(stack.gatewayUrl,
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id prefix } } }',
      { i: { name: 'Partner dashboard', roleId: viewerRole, expiresAt: new Date(clock + 2 * 86_400_000).toISOString() } }, ownerToken);
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data!.createApiKey;
    expect(key).toMatch(/^pkk_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const stored = await adminQuery<{ key_hash: string }>('select key_hash from identity.api_keys where id = $1', [apiKey.id]);
    expect(stored[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await gql<{ apiKeys: Record<string, unknown>[] }>(stack.gatewayUrl, '{ apiKeys { id name prefix } }', {}, ownerToken);
    expect(JSON.stringify(list.data)).not.toContain(key);
    // reads as a Viewer, cannot write
    expect((await gql(stack.gatewayUrl, '{ controls(first: 5) { edges { cursor } } }', {}, key)).errors).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "by key" }) { id } }', {}, key))).toEqual(['FORBIDDEN']);
    // expiry on the injected clock
    clock += 3 * 86_400_000;
    try {
      expect(codes(await gql(stack.gatewayUrl, '{ controls(first: 5) { edges { cursor } } }', {}, key))).toEqual(['UNAUTHENTICATED']);
    } finally {
      clock -= 3 * 86_400_000;
    }
    expect((await gql(stack.gatewayUrl, '{ controls(first: 5) { edges { cursor } } }', {}, key)).errors).toBeUndefined();
    const revoked = await gql(stack.gatewayUrl, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, (await signIn(owner.email)).token);
    expect(revoked.data).toEqual({ revokeApiKey: true });
    expect(codes(await gql(stack.gatewayUrl, '{ controls(first: 5) { edges { cursor } } }', {}, key))).toEqual(['UNAUTHENTICATED']);
  });

  it('API keys never carry more than their creator holds', async () => {
    const admin = await newMember('Admin');
    const ownerToken = (await signIn(owner.email)).token;
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, ownerToken);
    const ownerRole = roles.data!.roles.find((r) => r.name === 'Owner')!.id;
    const res = await gql(stack.gatewayUrl, 'mutation($r: ID!) { createApiKey(input: { name: "escalate", roleId: $r }) { key } }', { r: ownerRole }, admin.token);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const bad = await gql(stack.gatewayUrl, 'mutation($r: ID!) { createApiKey(input: { name: "", roleId: $r }) { key } }', { r: ownerRole }, ownerToken);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it("a demoted or departed creator's API keys stop carrying what the creator no longer holds", async () => {
    const admin = await newMember('Admin');
    const ownerToken = (await signIn(owner.email)).token;
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, ownerToken);
    const roleId = (name: string) => roles.data!.roles.find((r) => r.name === name)!.id;
    const keyOf = async (name: string) => {
      const res = await gql<{ createApiKey: { key: string } }>(stack.gatewayUrl,
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }', { i: { name: `${name} key`, roleId: roleId(name) } }, admin.token);
      expect(res.errors, res.raw).toBeUndefined();
      return res.data!.createApiKey.key;
    };
    const adminKey = await keyOf('Admin');
    const viewerKey = await keyOf('Viewer');
    const KEYS = '{ apiKeys { id } }';
    const CONTROLS = '{ controls(first: 1) { edges { cursor } } }';
    expect((await gql(stack.gatewayUrl, KEYS, {}, adminKey)).errors).toBeUndefined();

    // the Owner demotes the Admin to Member: the Admin-role key no longer works, the Viewer-role key (within Member) does
    const demoted = await gql(stack.gatewayUrl, 'mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }',
      { u: admin.userId, r: [roleId('Member')] }, ownerToken);
    expect(demoted.errors, demoted.raw).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, KEYS, {}, adminKey))).toEqual(['UNAUTHENTICATED']);
    expect((await gql(stack.gatewayUrl, CONTROLS, {}, viewerKey)).errors).toBeUndefined();

    // promoted back, the key works again (it was never revoked: it follows its creator)
    await gql(stack.gatewayUrl, 'mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }', { u: admin.userId, r: [roleId('Admin')] }, ownerToken);
    expect((await gql(stack.gatewayUrl, KEYS, {}, adminKey)).errors).toBeUndefined();
  });

  it('the console keeps its session in an httpOnly cookie', async () => {
    const { token } = await signIn(owner.email);
    const set = await fetch(`${stack.gatewayUrl}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(stack.gatewayUrl).origin }, body: JSON.stringify({ token }) });
    expect(set.status).toBe(200);
    const cookie = set.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^packets_session=pks_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Lax');
    const viaCookie = await gql<{ viewer: { user: { email: string } } }>(stack.gatewayUrl, VIEWER, {}, undefined, { cookie: cookie.split(';')[0]! });
    expect(viaCookie.data!.viewer.user.email).toBe(owner.email);
    const forged = await fetch(`${stack.gatewayUrl}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(stack.gatewayUrl).origin }, body: JSON.stringify({ token: 'pks_forged' }) });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  it('login CSRF: only a same-origin JSON call may store a session in the cookie', async () => {
    const { token } = await signIn(owner.email);
    const post = (headers: Record<string, string>, body = JSON.stringify({ token })) =>
      fetch(`${stack.gatewayUrl}/auth/session`, { method: 'POST', headers, body });
    const crossSite = await post({ 'content-type': 'application/json', origin: 'https://attacker.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    expect(((await crossSite.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    const noOrigin = await post({ 'content-type': 'application/json' });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.headers.get('set-cookie')).toBeNull();
    // a form post (what a cross-site page can send without a preflight) is refused whatever its Origin
    const form = await post({ 'content-type': 'text/plain', origin: new URL(stack.gatewayUrl).origin });
    expect(form.status).toBe(415);
    expect(form.headers.get('set-cookie')).toBeNull();
    const same = await post({ 'content-type': 'application/json; charset=utf-8', origin: new URL(stack.gatewayUrl).origin });
    expect(same.status).toBe(200);
    expect(same.headers.get('set-cookie')).toMatch(/^packets_session=pks_/);
  });

  it('a malformed session cookie answers UNAUTHENTICATED, never a server error', async () => {
    for (const value of ['%E0%A4%A', '%', 'pks_%ZZ', 'not-a-token', `pks_${'x'.repeat(500)}`]) {
      const res = await gql(stack.gatewayUrl, VIEWER, {}, undefined, { cookie: `packets_session=${value}` });
      expect({ value, status: res.status, codes: codes(res) }).toEqual({ value, status: 401, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('shortening the session lifetime or idle timeout applies to sessions already open', async () => {
    const org = await signUp(stack.gatewayUrl, 'Tightened Sessions Org');
    const settings = (input: string, token: string) => gql(stack.gatewayUrl, `mutation { updateSecuritySettings(input: { ${input} }) { id } }`, {}, token);
    const member = async () => (await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: org.email, password: PASSWORD, organizationSlug: org.slug } })).data!.signIn.token;
    const a = await member();
    const b = await member();
    minutes(20);
    expect((await gql(stack.gatewayUrl, VIEWER, {}, a)).errors).toBeUndefined();
    expect((await gql(stack.gatewayUrl, VIEWER, {}, b)).errors).toBeUndefined();
    // a 15-minute lifetime: both sessions are 20 minutes old, so both end now (not in 12 hours)
    expect((await settings('sessionAbsoluteLifetimeMinutes: 15, sessionIdleTimeoutMinutes: 15', org.token)).errors).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, a))).toEqual(['UNAUTHENTICATED']);
    const rejected = await eventually(
      () => adminQuery<{ data: { reason: string } }>(`select data from audit.events where org_id = $1 and action = 'auth.session_rejected'`, [org.orgId]),
      (rows) => rows.length > 0,
    );
    expect(rejected[0]!.data.reason).toBe('expired');
    // idle: a fresh session, 10 minutes quiet, then the idle timeout goes down to 5
    const owner2 = await member();
    expect((await settings('sessionAbsoluteLifetimeMinutes: 60, sessionIdleTimeoutMinutes: 30', owner2)).errors).toBeUndefined();
    const c = await member();
    minutes(10);
    expect((await settings('sessionIdleTimeoutMinutes: 5', owner2)).errors).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, c))).toEqual(['UNAUTHENTICATED']);
    // the session list shows the expiry in force now
    const fresh = await member();
    const list = await gql<{ sessions: { current: boolean; createdAt: string; expiresAt: string }[] }>(stack.gatewayUrl, SESSIONS, {}, fresh);
    const mine = list.data!.sessions.find((x) => x.current)!;
    expect(new Date(mine.expiresAt).getTime() - new Date(mine.createdAt).getTime()).toBe(60 * 60_000);
  });

  it('turning MFA on ends the sessions that did not use MFA; a session that did stays', async () => {
    const org = await signUp(stack.gatewayUrl, 'MFA Turned On Org');
    let totpClock = clock;
    const code = (secret: string) => authenticator.clone({ epoch: totpClock }).generate(secret);
    const signInTo = async (email: string) => (await gql<{ signIn: { token: string; challengeToken: string } }>(stack.gatewayUrl,
      `mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } ... on MfaChallenge { challengeToken } } }`,
      { i: { email, password: PASSWORD, organizationSlug: org.slug } })).data!.signIn;
    // a member with a password-only session
    const memberEmail = (await addMember(stack.gatewayUrl, org, 'Member')).email;
    const memberToken = (await signInTo(memberEmail)).token;
    // the Owner: one password-only session, then MFA on the account (confirmed in org.token), then a sign-in with both factors
    const ownerPasswordOnly = (await signInTo(org.email)).token;
    const enrolled = await gql<{ enrollTotp: { secret: string } }>(stack.gatewayUrl, 'mutation { enrollTotp { secret } }', {}, org.token);
    const secret = enrolled.data!.enrollTotp.secret;
    expect((await gql(stack.gatewayUrl, 'mutation($c: String!) { confirmTotp(code: $c) { codes } }', { c: code(secret) }, org.token)).errors).toBeUndefined();
    totpClock += 30_000;
    const withMfa = await gql<{ completeMfaSignIn: { token: string } }>(stack.gatewayUrl, 'mutation($i: CompleteMfaInput!) { completeMfaSignIn(input: $i) { token } }',
      { i: { challengeToken: (await signInTo(org.email)).challengeToken, code: code(secret) } });
    expect(withMfa.errors).toBeUndefined();
    const mfaToken = withMfa.data!.completeMfaSignIn.token;
    for (const t of [memberToken, ownerPasswordOnly, mfaToken, org.token]) expect((await gql(stack.gatewayUrl, VIEWER, {}, t)).errors).toBeUndefined();

    expect((await gql(stack.gatewayUrl, 'mutation { updateSecuritySettings(input: { mfaRequired: true }) { id } }', {}, mfaToken)).errors).toBeUndefined();
    // password-only sessions must sign in again, the Owner's own included
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, memberToken))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, ownerPasswordOnly))).toEqual(['UNAUTHENTICATED']);
    // the session that signed in with MFA carries on, and so does the one that proved the factor by confirming it
    expect((await gql(stack.gatewayUrl, VIEWER, {}, mfaToken)).errors).toBeUndefined();
    expect((await gql(stack.gatewayUrl, VIEWER, {}, org.token)).errors).toBeUndefined();
    const rejected = await eventually(
      () => adminQuery<{ data: { reason: string } }>(`select data from audit.events where org_id = $1 and action = 'auth.session_rejected'`, [org.orgId]),
      (rows) => rows.length >= 2,
    );
    expect(rejected.map((r) => r.data.reason)).toEqual(['mfa_required', 'mfa_required']);
    // the member signs in again with the password: a session that may only enrol
    const again = (await signInTo(memberEmail)).token;
    expect(codes(await gql(stack.gatewayUrl, '{ members(first: 1) { edges { cursor } } }', {}, again))).toEqual(['FORBIDDEN']);
  });

  it('blocks an account after repeated failures, with a growing retry-after, even for the right password', async () => {
    const m = await newMember('Member');
    const attempt = (password: string) => gql<{ signIn: { __typename: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: m.email, password, organizationSlug: owner.slug } });
    for (let i = 0; i < 5; i++) expect(codes(await attempt('wrong password number ' + i))).toEqual(['UNAUTHENTICATED']);
    const sixth = await attempt('wrong password again');
    expect(codes(sixth)).toEqual(['UNAUTHENTICATED']); // the sixth failure is counted and starts the block
    const blocked = await attempt(PASSWORD);
    expect(codes(blocked)).toEqual(['RATE_LIMITED']);
    const retryAfter = blocked.errors![0]!.extensions!.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const logged = await eventually(
      () => adminQuery<{ data: { reason: string } }>(`select data from audit.events where org_id = $1 and action = 'auth.sign_in' and outcome = 'denied'`, [owner.orgId]),
      (rows) => rows.length > 0,
    );
    expect(logged[0]!.data.reason).toBe('rate_limited');
  });
});
