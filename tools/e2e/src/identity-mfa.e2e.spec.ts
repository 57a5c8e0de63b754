// TOTP MFA through the gateway, on an injected clock: enrolment, sign-in
// challenges, replay refused, recovery codes once, an org that requires MFA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import { codes, gql, PASSWORD, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery, startTestStack } from './harness';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on AuthPayload { token } ... on MfaChallenge { challengeToken expiresAt } } }`;
const COMPLETE = `mutation($i: CompleteMfaInput!) { completeMfaSignIn(input: $i) { token user { email } } }`;

describe('multi-factor authentication', () => {
  let stack: Stack;
  let owner: SignedUp;
  let clock = Date.UTC(2026, 10, 27, 9, 0, 0);
  const code = (secret: string) => authenticator.clone({ epoch: clock }).generate(secret);
  const seconds = (n: number) => { clock += n * 1000; };

  beforeAll(async () => {
    stack = await startTestStack({ now: () => new Date(clock) });
    owner = await signUp(stack.gatewayUrl, 'MFA Org');
  });
  afterAll(() => stack?.stop());

  async function member(): Promise<{ email: string; token: string }> {
    const m = await addMember(stack.gatewayUrl, owner, 'Member', { name: 'M' });
    return { email: m.email, token: m.token };
  }

  async function enrol(token: string): Promise<{ secret: string; recovery: string[] }> {
    const enrolled = await gql<{ enrollTotp: { secret: string; otpauthUrl: string } }>(stack.gatewayUrl, 'mutation { enrollTotp { secret otpauthUrl } }', {}, token);
    expect(enrolled.errors).toBeUndefined();
    const { secret, otpauthUrl } = enrolled.data!.enrollTotp;
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const confirmed = await gql<{ confirmTotp: { codes: string[] } }>(stack.gatewayUrl, 'mutation($c: String!) { confirmTotp(code: $c) { codes } }', { c: code(secret) }, token);
    expect(confirmed.errors).toBeUndefined();
    return { secret, recovery: confirmed.data!.confirmTotp.codes };
  }

  it('enrols with a sealed secret and ten recovery codes stored hashed', async () => {
    const m = await member();
    const bad = await gql(stack.gatewayUrl, 'mutation { confirmTotp(code: "12ab56") { codes } }', {}, m.token);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const { secret, recovery } = await enrol(m.token);
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const rows = await adminQuery<{ secret_enc: string }>(`select f.secret_enc from identity.mfa_factors f join identity.users u on u.id = f.user_id where u.email = $1`, [m.email]);
    expect(rows[0]!.secret_enc).toMatch(/^v1\./);
    expect(rows[0]!.secret_enc).not.toContain(secret);
    const hashes = await adminQuery<{ code_hash: string }>(`select r.code_hash from identity.recovery_codes r join identity.users u on u.id = r.user_id where u.email = $1`, [m.email]);
    expect(hashes).toHaveLength(10);
    for (const h of hashes) expect(recovery.join(' ')).not.toContain(h.code_hash);
    expect(codes(await gql(stack.gatewayUrl, 'mutation { enrollTotp { secret } }', {}, m.token))).toEqual(['CONFLICT']);
  });

  it('signs in in two steps, and refuses a code already used in its window', async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    seconds(30);
    const first = await gql<{ signIn: { __typename: string; challengeToken: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: m.email, password: PASSWORD, organizationSlug: owner.slug } });
    expect(first.data!.signIn.__typename).toBe('MfaChallenge');
    const used = code(secret);
    const done = await gql<{ completeMfaSignIn: { token: string; user: { email: string } } }>(stack.gatewayUrl, COMPLETE, { i: { challengeToken: first.data!.signIn.challengeToken, code: used } });
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeMfaSignIn.user.email).toBe(m.email);
    expect((await gql(stack.gatewayUrl, '{ viewer { user { email } } }', {}, done.data!.completeMfaSignIn.token)).errors).toBeUndefined();
    // the same code again, same window, fresh challenge: refused
    const second = await gql<{ signIn: { challengeToken: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: m.email, password: PASSWORD, organizationSlug: owner.slug } });
    const replay = await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: second.data!.signIn.challengeToken, code: used } });
    expect(codes(replay)).toEqual(['UNAUTHENTICATED']);
    // a challenge is single use
    expect(codes(await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: first.data!.signIn.challengeToken, code: used } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts each recovery code once; challenges expire; bad formats are BAD_USER_INPUT', async () => {
    const m = await member();
    const { recovery } = await enrol(m.token);
    const challenge = async () => (await gql<{ signIn: { challengeToken: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: m.email, password: PASSWORD, organizationSlug: owner.slug } })).data!.signIn.challengeToken;
    const ok = await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: await challenge(), recoveryCode: recovery[0] } });
    expect(ok.errors).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: await challenge(), recoveryCode: recovery[0] } }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: await challenge(), code: '12345' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: await challenge() } }))).toEqual(['BAD_USER_INPUT']);
    const late = await challenge();
    seconds(6 * 60);
    expect(codes(await gql(stack.gatewayUrl, COMPLETE, { i: { challengeToken: late, recoveryCode: recovery[1] } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('brute force: of 30 concurrent wrong second factors (codes and recovery codes), at most six are checked', async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    seconds(30);
    const challenge = (await gql<{ signIn: { challengeToken: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: m.email, password: PASSWORD, organizationSlug: owner.slug } })).data!.signIn.challengeToken;
    const near = new Set([-30_000, 0, 30_000].map((d) => authenticator.clone({ epoch: clock + d }).generate(secret)));
    const wrongCodes = Array.from({ length: 40 }, (_, i) => String(100_000 + i * 7919).slice(0, 6)).filter((c) => !near.has(c)).slice(0, 15);
    const attempts = [
      ...wrongCodes.map((c) => ({ challengeToken: challenge, code: c })),
      ...Array.from({ length: 15 }, (_, i) => ({ challengeToken: challenge, recoveryCode: `${String(i).padStart(5, '0')}-00000-00000-00000` })),
    ];
    const answers = await Promise.all(attempts.map((i) => gql(stack.gatewayUrl, COMPLETE, { i })));
    const checked = answers.filter((a) => codes(a)[0] !== 'RATE_LIMITED');
    expect(checked.every((a) => codes(a)[0] === 'UNAUTHENTICATED')).toBe(true);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(6);
  });

  it('an org that requires MFA lets a member without it do nothing but enrol', async () => {
    const ownerToken = (await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: owner.email, password: PASSWORD, organizationSlug: owner.slug } })).data!.signIn.token;
    // invited and joined before the requirement (an owner without MFA could then only enrol), signed in after it
    const joined = await addMember(stack.gatewayUrl, { token: ownerToken }, 'Member', { name: 'M' });
    const required = await gql(stack.gatewayUrl, 'mutation { updateSecuritySettings(input: { mfaRequired: true }) { securitySettings { mfaRequired } } }', {}, ownerToken);
    expect(required.errors).toBeUndefined();
    const signedIn = await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email: joined.email, password: PASSWORD, organizationSlug: owner.slug } });
    const m = { email: joined.email, token: signedIn.data!.signIn.token };
    expect(codes(await gql(stack.gatewayUrl, '{ controls(first: 1) { edges { cursor } } }', {}, m.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "before MFA" }) { id } }', {}, m.token))).toEqual(['FORBIDDEN']);
    await enrol(m.token);
    // the same session is a full one now
    expect((await gql(stack.gatewayUrl, '{ controls(first: 1) { edges { cursor } } }', {}, m.token)).errors).toBeUndefined();
    const events = await adminQuery<{ action: string }>(`select action from audit.events where org_id = $1 and action like 'mfa.%'`, [owner.orgId]);
    expect(events.length).toBeGreaterThan(0);
  });
});
