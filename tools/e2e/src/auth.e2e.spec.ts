// Sign-in, sign-out and the session behind every request; and a custom role's
// CASL conditions applied as SQL filters on lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import { codes, gql, PASSWORD, signUp, uniqueEmail, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, startTestStack } from './harness';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on AuthPayload { token user { email } organization { slug } } } }`;
const VIEWER = '{ viewer { user { email } organization { slug } roles { name system } } }';

describe('authentication', () => {
  let stack: Stack;
  let owner: SignedUp;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Auth Org');
  });
  afterAll(() => stack?.stop());

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

  it('an existing account can found a second organisation only with its own password', async () => {
    const wrong = await gql(stack.gatewayUrl, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`,
      { i: { organizationName: 'Hijack Org', name: 'X', email: owner.email, password: 'someone elses password' } });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(await adminQuery(`select id from identity.organizations where name = 'Hijack Org'`)).toEqual([]);
    const second = await gql<{ signUp: { user: { id: string } } }>(stack.gatewayUrl, `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`,
      { i: { organizationName: 'Second Org', name: 'X', email: owner.email, password: PASSWORD } });
    expect(second.data!.signUp.user.id).toBe(owner.userId);
  });
});

describe('a custom role: CASL conditions become SQL filters', () => {
  let stack: Stack;
  let owner: SignedUp;
  let limitedToken: string;
  let limitedUserId: string;
  let ownersControl: string;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Role Org');
    // A member whose only role reads the controls they own. Roles and memberships are
    // written directly here: their GraphQL operations arrive with the identity issue.
    limitedUserId = randomUUID();
    const email = uniqueEmail('limited');
    const roleId = randomUUID();
    const membershipId = randomUUID();
    await adminQuery(`insert into identity.users (id, email, name, password_hash) values ($1, $2, 'Limited', $3)`,
      [limitedUserId, email, await bcrypt.hash(PASSWORD, 12)]);
    await adminQuery(`insert into identity.roles (id, org_id, name, description, rules) values ($1, $2, 'Own controls only', '', $3)`,
      [roleId, owner.orgId, JSON.stringify([{ action: 'read', subject: 'Control', conditions: { ownerId: '${user.id}' } }])]);
    await adminQuery(`insert into identity.memberships (id, org_id, user_id) values ($1, $2, $3)`, [membershipId, owner.orgId, limitedUserId]);
    await adminQuery(`insert into identity.membership_roles (membership_id, role_id, org_id) values ($1, $2, $3)`, [membershipId, roleId, owner.orgId]);
    const create = (title: string, ownerId: string) => gql<{ createControl: { id: string } }>(stack.gatewayUrl,
      'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title, ownerId } }, owner.token);
    await create('Theirs', limitedUserId);
    ownersControl = (await create('Not theirs', owner.userId)).data!.createControl.id;
    const res = await gql<{ signIn: { token: string } }>(stack.gatewayUrl, SIGN_IN, { i: { email, password: PASSWORD, organizationSlug: owner.slug } });
    limitedToken = res.data!.signIn.token;
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
    await adminQuery(`update identity.roles set rules = '[]' where org_id = $1 and name = 'Own controls only'`, [owner.orgId]);
    const res = await gql(stack.gatewayUrl, '{ controls(first: 20) { edges { node { title } } } }', {}, limitedToken);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
