// Invitations by mail (through a real SMTP server on loopback), acceptance (which
// re-checks the sender), listing and revocation, off-boarding that ends sessions,
// API keys and the invitations the member sent in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, eventually, gql, PASSWORD, signUp, uniqueEmail, type SignedUp } from '@packets/testing';
import { startSmtp, type TestSmtp } from '@packets/testing/smtp';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, startTestStack } from './harness';

const INVITE = `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id email expiresAt roles { name } } }`;
const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { token user { id email name } organization { id } } }`;
const VIEWER = '{ viewer { user { id email } roles { name } } }';

function tokenFrom(text: string): string {
  const m = /Invitation token: (pki_[A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no token in mail:\n${text}`);
  return m[1]!;
}

describe('members and invitations', () => {
  let stack: Stack;
  let smtp: TestSmtp;
  let owner: SignedUp;
  let clock = Date.now();

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startTestStack({ now: () => new Date(clock), env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://console.packets.test' } });
    owner = await signUp(stack.gatewayUrl, 'Members Org');
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  async function invite(email: string, roleNames: string[] = [], by = owner.token): Promise<string> {
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, owner.token);
    const roleIds = roles.data!.roles.filter((r) => roleNames.includes(r.name)).map((r) => r.id);
    const res = await gql<{ inviteMember: { email: string; roles: { name: string }[] } }>(stack.gatewayUrl, INVITE,
      { i: { email, ...(roleIds.length ? { roleIds } : {}) } }, by);
    expect(res.errors).toBeUndefined();
    expect(res.data!.inviteMember.roles.map((r) => r.name)).toEqual(roleNames.length ? roleNames : ['Member']);
    const mail = await smtp.waitFor(email);
    const token = tokenFrom(mail.text);
    expect(mail.text).toContain(`https://console.packets.test/accept-invitation?token=${token}`);
    return token;
  }

  it('invites by mail; the token creates the account once', async () => {
    const email = uniqueEmail('invitee');
    const token = await invite(email, ['Viewer']);
    const accepted = await gql<{ acceptInvitation: { token: string; user: { email: string; name: string } } }>(stack.gatewayUrl, ACCEPT,
      { i: { token, name: 'Ivy Invitee', password: PASSWORD } });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptInvitation.user).toMatchObject({ email, name: 'Ivy Invitee' });
    const me = await gql<{ viewer: { roles: { name: string }[] } }>(stack.gatewayUrl, VIEWER, {}, accepted.data!.acceptInvitation.token);
    expect(me.data!.viewer.roles.map((r) => r.name)).toEqual(['Viewer']);
    const again = await gql(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Again', password: PASSWORD } });
    expect(codes(again)).toEqual(['UNAUTHENTICATED']);
    const tokenRows = await adminQuery<{ token_hash: string }>('select token_hash from identity.invitations where email = $1', [email]);
    expect(tokenRows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links an existing account without asking for a new password', async () => {
    const other = await signUp(stack.gatewayUrl, 'Elsewhere Org');
    const token = await invite(other.email);
    const accepted = await gql<{ acceptInvitation: { user: { id: string } } }>(stack.gatewayUrl, ACCEPT, { i: { token } });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptInvitation.user.id).toBe(other.userId);
  });

  it('refuses forged and expired invitations, a common password, and writes nothing', async () => {
    expect(codes(await gql(stack.gatewayUrl, ACCEPT, { i: { token: 'pki_forged', name: 'X', password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    const email = uniqueEmail('late');
    const token = await invite(email);
    const common = await gql(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Lazy', password: 'password1234' } });
    expect(codes(common)).toEqual(['BAD_USER_INPUT']);
    expect(common.errors![0]!.message).toContain('too common');
    const missing = await gql(stack.gatewayUrl, ACCEPT, { i: { token } });
    expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(await adminQuery('select id from identity.users where email = $1', [email])).toEqual([]);
    clock += 8 * 86_400_000; // past the 7-day expiry
    try {
      const late = await gql(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Late', password: PASSWORD } });
      expect(codes(late)).toEqual(['UNAUTHENTICATED']);
    } finally {
      clock = Date.now();
    }
  });

  it('refuses bad invitation input', async () => {
    expect(codes(await gql(stack.gatewayUrl, INVITE, { i: { email: 'not an email' } }, owner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.gatewayUrl, INVITE, { i: { email: uniqueEmail('x'), roleIds: ['00000000-0000-4000-8000-000000000000'] } }, owner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(stack.gatewayUrl, INVITE, { i: { email: owner.email } }, owner.token))).toEqual(['CONFLICT']);
  });

  it('off-boarding ends the member’s sessions and API keys at once', async () => {
    const email = uniqueEmail('leaver');
    const token = await invite(email, ['Admin']);
    const joined = await gql<{ acceptInvitation: { token: string; user: { id: string } } }>(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Lee Leaver', password: PASSWORD } });
    const leaverToken = joined.data!.acceptInvitation.token;
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, owner.token);
    const key = await gql<{ createApiKey: { key: string } }>(stack.gatewayUrl, 'mutation($r: ID!) { createApiKey(input: { name: "leaver key", roleId: $r }) { key } }',
      { r: roles.data!.roles.find((r) => r.name === 'Viewer')!.id }, leaverToken);
    expect(key.errors).toBeUndefined();
    const apiKey = key.data!.createApiKey.key;
    expect((await gql(stack.gatewayUrl, '{ controls(first: 1) { edges { cursor } } }', {}, apiKey)).errors).toBeUndefined();

    const removed = await gql(stack.gatewayUrl, 'mutation($u: ID!) { removeMember(userId: $u) }', { u: joined.data!.acceptInvitation.user.id }, owner.token);
    expect(removed.data).toEqual({ removeMember: true });
    expect(codes(await gql(stack.gatewayUrl, VIEWER, {}, leaverToken))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(stack.gatewayUrl, '{ controls(first: 1) { edges { cursor } } }', {}, apiKey))).toEqual(['UNAUTHENTICATED']);
    const event = await eventually(
      () => adminQuery<{ data: { sessionsRevoked: number; apiKeysRevoked: number } }>(`select data from audit.events where org_id = $1 and action = 'member.remove'`, [owner.orgId]),
      (rows) => rows.length > 0,
    );
    expect(event[0]!.data).toMatchObject({ sessionsRevoked: 1, apiKeysRevoked: 1 });
  });

  const INVITATIONS = '{ invitations { id email invitedBy roles { name } createdAt expiresAt } }';
  const REVOKE = 'mutation($id: ID!) { revokeInvitation(id: $id) }';
  type Listed = { invitations: { id: string; email: string; invitedBy: string; roles: { name: string }[] }[] };

  /** A member who joined through an invitation, with their session. */
  async function joined(roleNames: string[]): Promise<{ token: string; userId: string }> {
    const token = await invite(uniqueEmail('joiner'), roleNames);
    const res = await gql<{ acceptInvitation: { token: string; user: { id: string } } }>(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Joiner', password: PASSWORD } });
    expect(res.errors).toBeUndefined();
    return { token: res.data!.acceptInvitation.token, userId: res.data!.acceptInvitation.user.id };
  }

  it('lists open invitations and revokes one: its token stops working at once', async () => {
    const [keep, drop] = [uniqueEmail('keep'), uniqueEmail('drop')];
    await invite(keep, ['Viewer']);
    const dropToken = await invite(drop, ['Auditor']);
    const listed = await gql<Listed>(stack.gatewayUrl, INVITATIONS, {}, owner.token);
    expect(listed.errors).toBeUndefined();
    const mine = listed.data!.invitations.filter((i) => [keep, drop].includes(i.email));
    // (the injected clock stands still here, so both have the same createdAt: compare without order)
    expect(mine.map((i) => ({ email: i.email, roles: i.roles.map((r) => r.name), invitedBy: i.invitedBy })).sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: drop, roles: ['Auditor'], invitedBy: owner.userId },
      { email: keep, roles: ['Viewer'], invitedBy: owner.userId },
    ].sort((a, b) => a.email.localeCompare(b.email)));
    const id = mine.find((i) => i.email === drop)!.id;
    expect((await gql(stack.gatewayUrl, REVOKE, { id }, owner.token)).data).toEqual({ revokeInvitation: true });
    expect(codes(await gql(stack.gatewayUrl, ACCEPT, { i: { token: dropToken, name: 'Dropped', password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    const after = await gql<Listed>(stack.gatewayUrl, INVITATIONS, {}, owner.token);
    expect(after.data!.invitations.map((i) => i.email)).toContain(keep);
    expect(after.data!.invitations.map((i) => i.email)).not.toContain(drop);
    const event = await eventually(
      () => adminQuery<{ data: { email: string } }>(`select data from audit.events where org_id = $1 and action = 'invitation.revoke' and subject_id = $2`, [owner.orgId, id]),
      (rows) => rows.length > 0,
    );
    expect(event[0]!.data.email).toBe(drop);
  });

  it('a revocation racing an acceptance: exactly one of them wins, and a double acceptance makes one member', async () => {
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // an existing account: acceptance does no password work, so the two transactions overlap
      const { email } = await signUp(stack.gatewayUrl, `Racer Org ${round}`);
      const sent = await gql<{ inviteMember: { id: string } }>(stack.gatewayUrl, INVITE, { i: { email } }, owner.token);
      const token = tokenFrom((await smtp.waitFor(email)).text);
      const id = sent.data!.inviteMember.id;
      const [accepted, again, revoked] = await Promise.all([
        gql(stack.gatewayUrl, ACCEPT, { i: { token } }),
        gql(stack.gatewayUrl, ACCEPT, { i: { token } }),
        gql(stack.gatewayUrl, REVOKE, { id }, owner.token),
      ]);
      const joins = [accepted, again].filter((a) => a.errors === undefined);
      for (const a of [accepted, again].filter((x) => x.errors !== undefined)) expect(codes(a), a.raw).toEqual(['UNAUTHENTICATED']);
      const [row] = await adminQuery<{ accepted: boolean; revoked: boolean }>(
        'select accepted_at is not null as accepted, revoked_at is not null as revoked from identity.invitations where id = $1', [id]);
      const members = await adminQuery('select 1 from identity.memberships m join identity.users u on u.id = m.user_id where u.email = $1 and m.org_id = $2', [email, owner.orgId]);
      if (revoked.errors === undefined) {
        // the revocation won: nobody joined
        expect(joins, `round ${round}`).toEqual([]);
        expect(row).toEqual({ accepted: false, revoked: true });
        expect(members).toHaveLength(0);
      } else {
        // the acceptance won: the revocation says so instead of answering true
        expect(codes(revoked), revoked.raw).toEqual(['CONFLICT']);
        expect(joins, `round ${round}`).toHaveLength(1);
        expect(row).toEqual({ accepted: true, revoked: false });
        expect(members).toHaveLength(1);
      }
    }
  });

  it('invitations are read and revoked with the Invitation permission, and not across organisations', async () => {
    const member = await joined(['Member']);
    const id = (await gql<Listed>(stack.gatewayUrl, INVITATIONS, {}, owner.token)).data!.invitations[0]!.id;
    expect(codes(await gql(stack.gatewayUrl, INVITATIONS, {}, member.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, REVOKE, { id }, member.token))).toEqual(['FORBIDDEN']);
    const other = await signUp(stack.gatewayUrl, 'Other Members Org');
    expect(codes(await gql(stack.gatewayUrl, REVOKE, { id }, other.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(stack.gatewayUrl, REVOKE, { id: 'not-a-uuid' }, other.token))).toEqual(['NOT_FOUND']);
    expect((await gql<Listed>(stack.gatewayUrl, INVITATIONS, {}, other.token)).data!.invitations).toEqual([]);
    expect(codes(await gql(stack.gatewayUrl, INVITATIONS))).toEqual(['UNAUTHENTICATED']);
  });

  it('off-boarding revokes the invitations the member sent, in the same transaction', async () => {
    const admin = await joined(['Admin']);
    const email = uniqueEmail('friend-of-leaver');
    const token = await invite(email, ['Member'], admin.token);
    expect((await gql(stack.gatewayUrl, 'mutation($u: ID!) { removeMember(userId: $u) }', { u: admin.userId }, owner.token)).data).toEqual({ removeMember: true });
    expect(codes(await gql(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Friend', password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    expect(await adminQuery('select id from identity.users where email = $1', [email])).toEqual([]);
    const event = await eventually(
      () => adminQuery<{ data: { invitationsRevoked: number } }>(`select data from audit.events where org_id = $1 and action = 'member.remove' and subject_id = $2`, [owner.orgId, admin.userId]),
      (rows) => rows.length > 0,
    );
    expect(event[0]!.data.invitationsRevoked).toBe(1);
  });

  it('acceptance re-checks the sender: one who may no longer invite, or grant those roles, brings no one in', async () => {
    const admin = await joined(['Admin']);
    const email = uniqueEmail('invited-by-demoted');
    const token = await invite(email, ['Admin'], admin.token);
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, owner.token);
    const memberRole = roles.data!.roles.find((r) => r.name === 'Member')!.id;
    expect((await gql(stack.gatewayUrl, 'mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }', { u: admin.userId, r: [memberRole] }, owner.token)).errors).toBeUndefined();
    const refused = await gql(stack.gatewayUrl, ACCEPT, { i: { token, name: 'Too Late', password: PASSWORD } });
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(await adminQuery('select id from identity.users where email = $1', [email])).toEqual([]);
    const event = await eventually(
      () => adminQuery<{ data: { reason: string }; outcome: string }>(`select data, outcome from audit.events where org_id = $1 and action = 'member.join' and data->>'email' = $2`, [owner.orgId, email]),
      (rows) => rows.length > 0,
    );
    expect(event[0]).toMatchObject({ outcome: 'denied', data: { reason: 'inviter_cannot_invite' } });
    // and the invitation is spent: it does not come back if the sender is promoted again
    expect((await gql<Listed>(stack.gatewayUrl, INVITATIONS, {}, owner.token)).data!.invitations.map((i) => i.email)).not.toContain(email);

    // a sender who may still invite, but no longer grant the invitation's role
    const inviter = await joined(['Admin']);
    const email2 = uniqueEmail('invited-as-admin');
    const token2 = await invite(email2, ['Admin'], inviter.token);
    const custom = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, 'mutation($i: RoleInput!) { createRole(input: $i) { id } }',
      { i: { name: 'Inviter only', description: '', rules: [{ action: 'create', subject: 'Invitation' }, { action: 'read', subject: ['Role'] }] } }, owner.token);
    expect(custom.errors).toBeUndefined();
    expect((await gql(stack.gatewayUrl, 'mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }', { u: inviter.userId, r: [custom.data!.createRole.id] }, owner.token)).errors).toBeUndefined();
    expect(codes(await gql(stack.gatewayUrl, ACCEPT, { i: { token: token2, name: 'Not Admin', password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    const event2 = await eventually(
      () => adminQuery<{ data: { reason: string } }>(`select data from audit.events where org_id = $1 and action = 'member.join' and data->>'email' = $2`, [owner.orgId, email2]),
      (rows) => rows.length > 0,
    );
    expect(event2[0]!.data.reason).toBe('inviter_cannot_grant');
  });

  it('lists members with their users and roles', async () => {
    const res = await gql<{ members: { edges: { node: { user: { email: string }; roles: { name: string }[] } }[] } }>(stack.gatewayUrl,
      '{ members(first: 50) { edges { node { user { email } roles { name } } } } }', {}, owner.token);
    expect(res.errors).toBeUndefined();
    const owners = res.data!.members.edges.filter((e) => e.node.roles.some((r) => r.name === 'Owner'));
    expect(owners.map((e) => e.node.user.email)).toEqual([owner.email]);
    expect(res.data!.members.edges.length).toBeGreaterThanOrEqual(3);
  });
});
