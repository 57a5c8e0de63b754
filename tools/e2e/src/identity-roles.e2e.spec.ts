// Custom roles through the gateway: validated against the registry, no escalation,
// the last Owner kept, edits effective on the next request, refusals audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { codes, eventually, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery, startTestStack } from './harness';

const CREATE_ROLE = `mutation($i: RoleInput!) { createRole(input: $i) { id name system rules } }`;
const UPDATE_ROLE = `mutation($id: ID!, $i: RoleInput!) { updateRole(id: $id, input: $i) { id rules } }`;
const ASSIGN = `mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id roles { name } } }`;

/** A member with the given system role(s), signed in through inviteMember and acceptInvitation; returns their token and id. */
async function member(stack: Stack, org: SignedUp, roleNames: string[]): Promise<{ token: string; userId: string }> {
  const m = await addMember(stack.gatewayUrl, org, roleNames, { name: roleNames.join(' ') });
  return { token: m.token, userId: m.userId };
}

describe('custom roles', () => {
  let stack: Stack;
  let owner: SignedUp;
  let admin: { token: string; userId: string };
  let viewer: { token: string; userId: string };
  let auditor: { token: string; userId: string };
  let roleIds: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Roles Org');
    [admin, viewer, auditor] = await Promise.all([
      member(stack, owner, ['Admin']), member(stack, owner, ['Viewer']), member(stack, owner, ['Auditor']),
    ]);
    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, owner.token);
    roleIds = Object.fromEntries(roles.data!.roles.map((r) => [r.name, r.id]));
  }, 60_000);
  afterAll(() => stack?.stop());

  it('lists the five system roles with their rules', async () => {
    const res = await gql<{ roles: { name: string; system: boolean; rules: unknown[] }[] }>(stack.gatewayUrl, '{ roles { name system rules } }', {}, admin.token);
    expect(res.data!.roles.filter((r) => r.system).map((r) => r.name).sort()).toEqual(['Admin', 'Auditor', 'Member', 'Owner', 'Viewer']);
    expect(res.data!.roles.find((r) => r.name === 'Owner')!.rules).toContainEqual({ action: 'manage', subject: 'all' });
  });

  it('publishes the permission registry for role editors', async () => {
    const res = await gql<{ permissionRegistry: { subject: string; fields: string[]; operators: string[] }[] }>(stack.gatewayUrl,
      '{ permissionRegistry { subject fields operators } }', {}, admin.token);
    const control = res.data!.permissionRegistry.find((s) => s.subject === 'Control')!;
    expect(control.fields).toContain('ownerId');
    expect(control.operators).toContain('$in');
    expect(res.data!.permissionRegistry.map((s) => s.subject)).toEqual(expect.arrayContaining(['AuditEvent', 'AiSettings', 'Role']));
  });

  it('creates a custom role whose conditions apply, and an edit applies on the next request', async () => {
    const created = await gql<{ createRole: { id: string; rules: unknown[] } }>(stack.gatewayUrl, CREATE_ROLE, { i: {
      name: 'Control owner', description: 'reads and edits their own controls',
      rules: [{ action: 'read', subject: 'Control', conditions: { ownerId: '${user.id}' } }],
    } }, admin.token);
    expect(created.errors).toBeUndefined();
    const m = await member(stack, owner, ['Viewer']);
    await gql(stack.gatewayUrl, ASSIGN, { u: m.userId, r: [created.data!.createRole.id] }, admin.token);
    await gql(stack.gatewayUrl, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: 'Mine', ownerId: m.userId } }, owner.token);
    await gql(stack.gatewayUrl, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: 'Not mine' } }, owner.token);
    const list = () => gql<{ controls: { edges: { node: { title: string } }[] } }>(stack.gatewayUrl, '{ controls(first: 50) { edges { node { title } } } }', {}, m.token);
    expect((await list()).data!.controls.edges.map((e) => e.node.title)).toEqual(['Mine']);
    const updated = await gql(stack.gatewayUrl, UPDATE_ROLE, { id: created.data!.createRole.id, i: {
      name: 'Control owner', rules: [{ action: 'read', subject: 'Control' }],
    } }, admin.token);
    expect(updated.errors).toBeUndefined();
    expect((await list()).data!.controls.edges.map((e) => e.node.title).sort()).toEqual(['Mine', 'Not mine']);
  });

  it.each([
    [{ action: 'read', subject: 'Spaceship' }, 'unknown subject Spaceship'],
    [{ action: 'teleport', subject: 'Control' }, 'unknown action teleport'],
    [{ action: 'read', subject: 'Control', fields: ['salary'] }, 'salary is not a field of Control'],
    [{ action: 'read', subject: 'Control', conditions: { title: { $regex: '^A' } } }, 'operator $regex is not supported'],
    [{ action: 'read', subject: 'Control', conditions: '{"ownerId":' }, 'conditions must be an object'],
  ])('refuses the rule %j with BAD_USER_INPUT and writes nothing', async (rule, message) => {
    const name = `Bad ${randomUUID().slice(0, 8)}`;
    const res = await gql(stack.gatewayUrl, CREATE_ROLE, { i: { name, rules: [rule] } }, admin.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toContain(message);
    expect(await adminQuery('select id from identity.roles where name = $1', [name])).toEqual([]);
  });

  it('refuses escalation: manage all from an Admin, Owner to oneself, editing one’s own role upward — and audits each', async () => {
    const all = await gql(stack.gatewayUrl, CREATE_ROLE, { i: { name: 'God mode', rules: [{ action: 'manage', subject: 'all' }] } }, admin.token);
    expect(codes(all)).toEqual(['FORBIDDEN']);
    expect(all.errors![0]!.message).toContain('cannot grant');
    const self = await gql(stack.gatewayUrl, ASSIGN, { u: admin.userId, r: [roleIds.Owner] }, admin.token);
    expect(codes(self)).toEqual(['FORBIDDEN']);
    // a member who may edit roles but only holds read Control + update Role
    const editor = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, CREATE_ROLE, { i: {
      name: 'Role editor', rules: [{ action: ['read', 'update'], subject: 'Role' }, { action: 'read', subject: 'Control' }],
    } }, owner.token);
    const m = await member(stack, owner, ['Viewer']);
    await gql(stack.gatewayUrl, ASSIGN, { u: m.userId, r: [editor.data!.createRole.id] }, owner.token);
    const upward = await gql(stack.gatewayUrl, UPDATE_ROLE, { id: editor.data!.createRole.id, i: {
      name: 'Role editor', rules: [{ action: ['read', 'update'], subject: 'Role' }, { action: 'manage', subject: 'Control' }],
    } }, m.token);
    expect(codes(upward)).toEqual(['FORBIDDEN']);
    expect(await adminQuery(`select rules from identity.roles where id = $1`, [editor.data!.createRole.id]))
      .toEqual([{ rules: [{ action: ['read', 'update'], subject: 'Role' }, { action: 'read', subject: 'Control' }] }]);
    const denied = await eventually(
      () => adminQuery<{ action: string }>(`select action from audit.events where org_id = $1 and outcome = 'denied' and action in ('role.create', 'member.roles.assign', 'role.update')`, [owner.orgId]),
      (rows) => rows.length >= 3,
    );
    expect(denied.map((r) => r.action).sort()).toEqual(['member.roles.assign', 'role.create', 'role.update']);
    // a refusal inside a mutation is recorded once, under the operation's name (not again as access.denied)
    const [assign] = await adminQuery<{ request_id: string }>(`select request_id from audit.events where org_id = $1 and outcome = 'denied' and action = 'member.roles.assign'`, [owner.orgId]);
    // (the operation's own access record, graphql.mutation, is the positive signal that the request's events are all in)
    const sameRequest = await eventually(
      () => adminQuery<{ action: string }>(`select action from audit.events where org_id = $1 and outcome = 'denied' and request_id = $2 and source = 'identity' order by action`, [owner.orgId, assign!.request_id]),
      (rows) => rows.some((r) => r.action === 'graphql.mutation'),
    );
    expect(sameRequest.map((r) => r.action)).toEqual(['graphql.mutation', 'member.roles.assign']);
  });

  it('keeps the last Owner', async () => {
    const remove = await gql(stack.gatewayUrl, 'mutation($u: ID!) { removeMember(userId: $u) }', { u: owner.userId }, owner.token);
    expect(codes(remove)).toEqual(['CONFLICT']);
    const demote = await gql(stack.gatewayUrl, ASSIGN, { u: owner.userId, r: [roleIds.Admin] }, owner.token);
    expect(codes(demote)).toEqual(['CONFLICT']);
    // with a second Owner, demotion works
    const second = await gql(stack.gatewayUrl, ASSIGN, { u: admin.userId, r: [roleIds.Owner] }, owner.token);
    expect(second.errors).toBeUndefined();
    const nowOk = await gql(stack.gatewayUrl, ASSIGN, { u: owner.userId, r: [roleIds.Owner, roleIds.Admin] }, owner.token);
    expect(nowOk.errors).toBeUndefined();
  });

  it('system roles cannot be edited or deleted; a role in use cannot be deleted', async () => {
    const edit = await gql(stack.gatewayUrl, UPDATE_ROLE, { id: roleIds.Viewer, i: { name: 'Readers', rules: [] } }, owner.token);
    expect(codes(edit)).toEqual(['FORBIDDEN']);
    const named = await gql(stack.gatewayUrl, CREATE_ROLE, { i: { name: 'owner', rules: [] } }, owner.token);
    expect(codes(named)).toEqual(['BAD_USER_INPUT']);
    const del = await gql(stack.gatewayUrl, 'mutation($id: ID!) { deleteRole(id: $id) }', { id: roleIds.Viewer }, owner.token);
    expect(codes(del)).toEqual(['FORBIDDEN']);
    const inUse = await adminQuery<{ id: string }>(`select id from identity.roles where org_id = $1 and name = 'Control owner'`, [owner.orgId]);
    const delInUse = await gql(stack.gatewayUrl, 'mutation($id: ID!) { deleteRole(id: $id) }', { id: inUse[0]!.id }, owner.token);
    expect(codes(delInUse)).toEqual(['CONFLICT']);
  });

  it('a Viewer cannot call any mutation of the organisation', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['mutation { createControl(input: { title: "x" }) { id } }', {}],
      ['mutation($i: RoleInput!) { createRole(input: $i) { id } }', { i: { name: 'x', rules: [] } }],
      ['mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }', { u: viewer.userId, r: [roleIds.Owner] }],
      ['mutation($u: ID!) { removeMember(userId: $u) }', { u: admin.userId }],
      ['mutation { inviteMember(input: { email: "x@example.test" }) { id } }', {}],
      ['mutation($r: ID!) { createApiKey(input: { name: "k", roleId: $r }) { key } }', { r: roleIds.Viewer }],
      ['mutation { updateSecuritySettings(input: { mfaRequired: true }) { id } }', {}],
      ['mutation($id: ID!) { deleteRole(id: $id) }', { id: roleIds.Admin }],
    ];
    for (const [query, variables] of attempts) {
      const res = await gql(stack.gatewayUrl, query, variables, viewer.token);
      expect(codes(res), query).toEqual(['FORBIDDEN']);
    }
  });

  it('a custom "Evidence collector" (create Evidence, read Control) can do exactly that and no more', async () => {
    const role = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, CREATE_ROLE, { i: {
      name: 'Evidence collector', rules: [{ action: 'create', subject: 'Evidence' }, { action: 'read', subject: 'Control' }],
    } }, owner.token);
    expect(role.errors).toBeUndefined();
    const m = await member(stack, owner, ['Viewer']);
    expect((await gql(stack.gatewayUrl, ASSIGN, { u: m.userId, r: [role.data!.createRole.id] }, owner.token)).errors).toBeUndefined();
    const control = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "Backups tested" }) { id } }', {}, owner.token);
    const controlId = control.data!.createControl.id;
    // can: read controls, add evidence to them
    const list = await gql<{ controls: { edges: { node: { id: string } }[] } }>(stack.gatewayUrl, '{ controls(first: 50) { edges { node { id } } } }', {}, m.token);
    expect(list.data!.controls.edges.map((e) => e.node.id)).toContain(controlId);
    const added = await gql<{ addEvidence: { id: string } }>(stack.gatewayUrl,
      'mutation($i: EvidenceInput!) { addEvidence(input: $i) { id } }',
      { i: { controlId, kind: 'LINK', title: 'Restore drill log', url: 'https://wiki.example.test/restore-drill' } }, m.token);
    expect(added.errors).toBeUndefined();
    // cannot: anything else
    const refused: [string, Record<string, unknown>][] = [
      ['mutation { createControl(input: { title: "x" }) { id } }', {}],
      ['mutation($id: ID!) { updateControl(id: $id, input: { title: "renamed" }) { id } }', { id: controlId }],
      ['{ policies { id } }', {}],
      ['{ auditEvents(first: 1) { edges { cursor } } }', {}],
      ['{ members(first: 1) { edges { cursor } } }', {}],
      ['mutation { createRole(input: { name: "x", rules: [] }) { id } }', {}],
    ];
    for (const [query, variables] of refused) expect(codes(await gql(stack.gatewayUrl, query, variables, m.token)), query).toEqual(['FORBIDDEN']);
  });

  it('an Auditor reads the audit log and can change nothing', async () => {
    const log = await gql<{ auditEvents: { edges: unknown[] } }>(stack.gatewayUrl, '{ auditEvents(first: 5) { edges { node { action } } } }', {}, auditor.token);
    expect(log.errors).toBeUndefined();
    expect(log.data!.auditEvents.edges.length).toBeGreaterThan(0);
    for (const query of ['mutation { createControl(input: { title: "x" }) { id } }', 'mutation { updateSecuritySettings(input: { mfaRequired: false }) { id } }']) {
      expect(codes(await gql(stack.gatewayUrl, query, {}, auditor.token))).toEqual(['FORBIDDEN']);
    }
    // an Admin does not read the audit log by default
    const plainAdmin = await member(stack, owner, ['Admin']);
    expect(codes(await gql(stack.gatewayUrl, '{ auditEvents(first: 5) { edges { node { action } } } }', {}, plainAdmin.token))).toEqual(['FORBIDDEN']);
  });

  it("another org's role or member is NOT_FOUND", async () => {
    const other = await signUp(stack.gatewayUrl, 'Other Roles Org');
    const res = await gql(stack.gatewayUrl, ASSIGN, { u: owner.userId, r: [roleIds.Viewer] }, other.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const del = await gql(stack.gatewayUrl, 'mutation($id: ID!) { deleteRole(id: $id) }', { id: roleIds.Viewer }, other.token);
    expect(codes(del)).toEqual(['NOT_FOUND']);
    const own = await gql<{ roles: { id: string }[] }>(stack.gatewayUrl, '{ roles { id } }', {}, other.token);
    expect(own.data!.roles.map((r) => r.id)).not.toContain(roleIds.Viewer);
  });
});
