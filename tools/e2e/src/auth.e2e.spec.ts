// Sign-in, sign-up, sign-out and the session behind every request; brute-force
// limits under concurrency; and a custom role's CASL conditions applied as SQL
// filters on lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { codes, eventually, gql, PASSWORD, signUp, uniqueEmail, type GqlResponse, type SignedUp } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery, raceAtInsert, startTestStack } from './harness';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on AuthPayload { token user { email } organization { slug } } } }`;
const VIEWER = '{ viewer { user { email } organization { slug } roles { name system } } }';

describe('authentication', () => {
  let stack: Stack;
  let smtp: TestSmtp;
  let owner: SignedUp;

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startTestStack({ env: { SMTP_URL: smtp.url } });
    owner = await signUp(stack.gatewayUrl, 'Auth Org');
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('viewer is null for anonymous callers and the owner for a session', async () => {
    const anon = await gql(stack.gatewayUrl, VIEWER);
    expect(anon.errors).toBeUndefined();
    expect(anon.data).toEqual({ viewer: null });
    const me = await gql<{ viewer: { user: { email: string }; roles: { name: string }[] } }>(stack.gatewayUrl, VIEWER, {}, owner.token);
    expect(me.data!.viewer.user.email).toBe(owner.email);
    expect(me.data!.viewer.roles.map((r) => r.name)).toEqual(['Owner']);
  });

  it('signs in with the right password and gets a working token', async () => {
    const res = await gql<{ signIn: { __typename: string; token: string } }>(stack.gatewayUrl, SIGN_IN,
      { i: { email: owner.email.toUpperCase(), password: PASSWORD, organizationSlug: owner.slug } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.signIn.__typename).toBe('AuthPayload');
    expect(res.data!.signIn.token).toMatch(/^pks_[A-Za-z0-9_-]{43}$/);
    const me = await gql<{ viewer: { user: { email: string } } }>(stack.gatewayUrl, VIEWER, {}, res.data!.signIn.token);
    expect(me.data!.viewer.user.email).toBe(owner.email);
  });

  it('answers wrong password, unknown email and unknown organisation identically', async () => {
    const attempts = [
      { email: owner.email, password: 'not the password at all', organizationSlug: owner.slug },
      { email: uniqueEmail('nobody'), password: PASSWORD, organizationSlug: owner.slug },
      { email: owner.email, password: PASSWORD, organizationSlug: 'no-such-org-here' },
    ];
    const answers = [];
    for (const i of attempts) {
      const res = await gql(stack.gatewayUrl, SIGN_IN, { i });
      answers.push({ codes: codes(res), message: res.errors?.[0]?.message, data: res.data });
    }
    expect(answers[0]).toEqual({ codes: ['UNAUTHENTICATED'], message: 'Invalid email, password or organisation', data: null });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('a member of one org cannot sign in to another', async () => {
    const other = await signUp(stack.gatewayUrl, 'Other Auth Org');
    const res = await gql(stack.gatewayUrl, SIGN_IN, { i: { email: owner.email, password: PASSWORD, organizationSlug: other.slug } });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('stores only a hash of the session token', async () => {
    const rows = await adminQuery<{ token_hash: string }>('select token_hash from identity.sessions where org_id = $1', [owner.orgId]);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.token_hash).not.toContain(owner.token.slice(4, 20));
    }
  });

  it('signOut ends the session on the very next request', async () => {
    const signedIn = await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN,
      { i: { email: owner.email, password: PASSWORD, organizationSlug: owner.slug } });
    const token = signedIn.data!.signIn.token;
    const out = await gql<{ signOut: boolean }>(stack.gatewayUrl, 'mutation { signOut }', {}, token);
    expect(out.data).toEqual({ signOut: true });
    const after = await gql(stack.gatewayUrl, VIEWER, {}, token);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    // other sessions of the same user are untouched
    const still = await gql(stack.gatewayUrl, VIEWER, {}, owner.token);
    expect(still.errors).toBeUndefined();
  });

  const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } organization { id } } }`;
  const answer = (res: GqlResponse) => ({
    codes: codes(res), message: res.errors?.[0]?.message, reason: res.errors?.[0]?.extensions?.reason, data: res.data,
  });

  it('signUp checks its input before the email: a short password answers alike for a known and an unknown email', async () => {
    const known = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Short Org', name: 'X', email: owner.email, password: 'short' } });
    const unknown = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Short Org', name: 'X', email: uniqueEmail('fresh'), password: 'short' } });
    expect(answer(known)).toEqual(answer(unknown));
    expect(codes(known)).toEqual(['BAD_USER_INPUT']);
    const common = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Short Org', name: 'X', email: owner.email, password: 'password1234' } });
    expect(codes(common)).toEqual(['BAD_USER_INPUT']);
  });

  it('signUp with a known email never checks the password: the same coded answer for the right and a wrong one, a mail, an audit event', async () => {
    const victim = await signUp(stack.gatewayUrl, 'Victim Org');
    const right = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Hijack Org', name: 'X', email: victim.email, password: PASSWORD } });
    const wrong = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Hijack Org', name: 'X', email: victim.email, password: 'someone elses password' } });
    expect(answer(right)).toEqual({
      codes: ['CONFLICT'], reason: 'ACCOUNT_EXISTS', data: null,
      message: 'An account with this email already exists: sign in, then create the organisation with createOrganization',
    });
    expect(answer(wrong)).toEqual(answer(right));
    expect(right.raw).not.toContain('pks_');
    expect(await adminQuery(`select id from identity.organizations where name = 'Hijack Org'`)).toEqual([]);
    const mail = await smtp.waitFor(victim.email);
    expect(mail.text).toContain('Someone tried to sign up to Packets with this email address');
    const events = await eventually(
      () => adminQuery<{ data: { reason: string }; subject_id: string }>(`select data, subject_id from audit.events where org_id = $1 and action = 'auth.sign_up' and outcome = 'denied'`, [victim.orgId]),
      (rows) => rows.length >= 2,
    );
    expect(events.map((e) => e.data.reason)).toEqual(['account_exists', 'account_exists']);
    expect(events[0]!.subject_id).toBe(victim.userId);
  });

  it('concurrent sign-ups settle on the unique constraints: one email, one account, the others the known-email CONFLICT; one name, distinct slugs', async () => {
    const email = uniqueEmail('race');
    const answers = await raceAtInsert('identity.users', 4, () => gql(stack.gatewayUrl, SIGN_UP,
      { i: { organizationName: `Race Org ${randomUUID().slice(0, 8)}`, name: 'Racer', email, password: PASSWORD } }));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const lost of answers.filter((a) => a.errors)) {
      expect(answer(lost), lost.raw).toMatchObject({ codes: ['CONFLICT'], reason: 'ACCOUNT_EXISTS', data: null });
    }
    expect(await adminQuery('select id from identity.users where email = $1', [email])).toHaveLength(1);
    // different emails, one organisation name: every sign-up founds its own organisation
    const sameName = `Same Name ${randomUUID().slice(0, 8)}`;
    const founders = await raceAtInsert('identity.organizations', 4, () => gql(stack.gatewayUrl, SIGN_UP,
      { i: { organizationName: sameName, name: 'Founder', email: uniqueEmail('same'), password: PASSWORD } }));
    for (const f of founders) expect(f.errors, f.raw).toBeUndefined();
    expect(new Set((await adminQuery<{ slug: string }>('select slug from identity.organizations where name = $1', [sameName])).map((r) => r.slug)).size).toBe(4);
  });

  it('signUp is rate limited per email like signIn', async () => {
    const target = await signUp(stack.gatewayUrl, 'Rate Limited Sign-up Org');
    const attempt = () => gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Again Org', name: 'X', email: target.email, password: PASSWORD } });
    for (let i = 0; i < 6; i++) expect(codes(await attempt())).toEqual(['CONFLICT']);
    expect(codes(await attempt())).toEqual(['RATE_LIMITED']);
  });

  it('a signed-in user founds another organisation with createOrganization, as its Owner', async () => {
    const res = await gql<{ createOrganization: { token: string; user: { id: string }; organization: { id: string } } }>(stack.gatewayUrl,
      'mutation { createOrganization(input: { name: "Second Org" }) { token user { id } organization { id } } }', {}, owner.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.createOrganization.user.id).toBe(owner.userId);
    const me = await gql<{ viewer: { organization: { slug: string }; roles: { name: string }[] } }>(stack.gatewayUrl,
      '{ viewer { organization { slug } roles { name } } }', {}, res.data!.createOrganization.token);
    expect(me.data!.viewer.roles.map((r) => r.name)).toEqual(['Owner']);
    expect(me.data!.viewer.organization.slug).toMatch(/^second-org/);
    expect(codes(await gql(stack.gatewayUrl, 'mutation { createOrganization(input: { name: "Anon Org" }) { token } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('brute force: of 30 concurrent wrong sign-ins to one account, at most six are evaluated', async () => {
    const target = await signUp(stack.gatewayUrl, 'Concurrent Sign-in Org');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => gql(stack.gatewayUrl, SIGN_IN,
      { i: { email: target.email, password: `wrong password ${i}`, organizationSlug: target.slug } })));
    const evaluated = answers.filter((a) => codes(a)[0] !== 'RATE_LIMITED');
    expect(evaluated.every((a) => codes(a)[0] === 'UNAUTHENTICATED')).toBe(true);
    expect(evaluated.length).toBeGreaterThan(0);
    expect(evaluated.length).toBeLessThanOrEqual(6);
    // each evaluated attempt is one failed sign-in in the log; the refused ones are denials
    const failures = await eventually(
      () => adminQuery(`select id from audit.events where org_id = $1 and action = 'auth.sign_in' and outcome = 'failure'`, [target.orgId]),
      (rows) => rows.length >= evaluated.length,
    );
    expect(failures).toHaveLength(evaluated.length);
  });
});

describe('a custom role: CASL conditions become SQL filters', () => {
  let stack: Stack;
  let owner: SignedUp;
  let limitedToken: string;
  let limitedUserId: string;
  let limitedRoleId: string;
  let ownersControl: string;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Role Org');
    // A member whose only role reads the controls they own (createRole, inviteMember, acceptInvitation).
    const limited = await addMember(stack.gatewayUrl, owner,
      { name: 'Own controls only', rules: [{ action: 'read', subject: 'Control', conditions: { ownerId: '${user.id}' } }] }, { name: 'Limited' });
    limitedUserId = limited.userId;
    limitedRoleId = limited.roleIds[0]!;
    const create = (title: string, ownerId: string) => gql<{ createControl: { id: string } }>(stack.gatewayUrl,
      'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title, ownerId } }, owner.token);
    await create('Theirs', limitedUserId);
    ownersControl = (await create('Not theirs', owner.userId)).data!.createControl.id;
    limitedToken = limited.token;
  });
  afterAll(() => stack?.stop());

  it('lists only the controls the condition allows', async () => {
    const res = await gql<{ controls: { edges: { node: { title: string } }[] } }>(stack.gatewayUrl,
      '{ controls(first: 20) { edges { node { title } } } }', {}, limitedToken);
    expect(res.errors).toBeUndefined();
    expect(res.data!.controls.edges.map((e) => e.node.title)).toEqual(['Theirs']);
    const all = await gql<{ controls: { edges: unknown[] } }>(stack.gatewayUrl, '{ controls(first: 20) { edges { cursor } } }', {}, owner.token);
    expect(all.data!.controls.edges).toHaveLength(2);
  });

  it('refuses a single control outside the condition and any write', async () => {
    const one = await gql(stack.gatewayUrl, 'query($id: ID!) { control(id: $id) { title } }', { id: ownersControl }, limitedToken);
    expect(codes(one)).toEqual(['FORBIDDEN']);
    const create = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "Nope" }) { id } }', {}, limitedToken);
    expect(codes(create)).toEqual(['FORBIDDEN']);
    expect(await adminQuery(`select id from compliance.controls where title = 'Nope'`)).toEqual([]);
  });

  it('a role edit takes effect on the next request', async () => {
    const edit = await gql(stack.gatewayUrl, 'mutation($id: ID!, $i: RoleInput!) { updateRole(id: $id, input: $i) { id } }',
      { id: limitedRoleId, i: { name: 'Own controls only', rules: [] } }, owner.token);
    expect(edit.errors, edit.raw).toBeUndefined();
    const res = await gql(stack.gatewayUrl, '{ controls(first: 20) { edges { node { title } } } }', {}, limitedToken);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
