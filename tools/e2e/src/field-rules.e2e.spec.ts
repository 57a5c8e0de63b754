// Field-level rules, enforced by one mechanism each (reads: every field of every
// subject type of every subgraph; writes: every changed property at flush time),
// and `${user.id}` conditions for actors without a user (API keys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import {
  isNonNullType, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema,
} from 'graphql';
import {
  abilityFromPacked, graphFieldGuard, LINK, NOT_SUBJECT_ENTITIES, NOT_SUBJECT_TYPES, pack, registeredSubjects, subjectDefinition,
  subjectOfEntity, subjectOfType, viewOfType,
} from '@packets/authz';
import { FIELD_RULES, isReferenceStub, type FieldRulesMark } from '@packets/graphql';
import { codes, eventually, gql, PASSWORD, signUp, uniqueEmail, type SignedUp } from '@packets/testing';
import { identitySchema, IDENTITY_ENTITIES } from '@packets/identity';
import { complianceSchema, COMPLIANCE_ENTITIES } from '@packets/compliance';
import { auditSchema, AUDIT_ENTITIES } from '@packets/audit';
import { aiSchema, AI_ENTITIES } from '@packets/ai';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, startTestStack } from './harness';
import { pdfBytes, startComplianceStack, upload } from './compliance-harness';

const CREATE_ROLE = `mutation($i: RoleInput!) { createRole(input: $i) { id } }`;
const ASSIGN = `mutation($u: ID!, $r: [ID!]!) { assignRoles(userId: $u, roleIds: $r) { id } }`;
const CREATE_CONTROL = `mutation($i: ControlInput!) { createControl(input: $i) { id } }`;
const UPDATE_CONTROL = `mutation($id: ID!, $i: ControlInput!) { updateControl(id: $id, input: $i) { id title status } }`;

let hash: Promise<string> | null = null;

/**
 * A member holding one custom role, made through the real mutations (createRole
 * validates the rules, assignRoles checks escalation); only the user row and the
 * bare membership are written directly, as there is no sign-up into an existing org.
 */
async function memberWithRole(stack: Stack, owner: SignedUp, rules: unknown[]): Promise<{ token: string; userId: string; roleId: string }> {
  const role = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, CREATE_ROLE, {
    i: { name: `Fields ${randomUUID().slice(0, 8)}`, rules },
  }, owner.token);
  if (!role.data) throw new Error(role.raw);
  const userId = randomUUID();
  const email = uniqueEmail('fields');
  hash ??= bcrypt.hash(PASSWORD, 12);
  await adminQuery(`insert into identity.users (id, email, name, password_hash) values ($1, $2, 'Fields', $3)`, [userId, email, await hash]);
  await adminQuery(`insert into identity.memberships (id, org_id, user_id) values ($1, $2, $3)`, [randomUUID(), owner.orgId, userId]);
  const assigned = await gql(stack.gatewayUrl, ASSIGN, { u: userId, r: [role.data.createRole.id] }, owner.token);
  if (assigned.errors) throw new Error(assigned.raw);
  const signIn = await gql<{ signIn: { token: string } }>(stack.gatewayUrl,
    'mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } } }', { i: { email, password: PASSWORD, organizationSlug: owner.slug } });
  if (!signIn.data?.signIn.token) throw new Error(signIn.raw);
  return { token: signIn.data.signIn.token, userId, roleId: role.data.createRole.id };
}

describe('field-level rules through the gateway', () => {
  let stack: Stack;
  let owner: SignedUp;
  let controlId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Field Rules Org');
    const created = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, {
      i: { title: 'Encrypt backups', description: 'All of them', implementationNotes: 'KMS key arn:aws:kms:secret' },
    }, owner.token);
    controlId = created.data!.createControl.id;
  }, 60_000);
  afterAll(() => stack?.stop());

  it('a role reading Control fields [id, title, status] cannot see implementationNotes (list, one, or through evidence)', async () => {
    const narrow = await memberWithRole(stack, owner, [{ action: 'read', subject: 'Control', fields: ['id', 'title', 'status'] }]);
    const list = await gql<{ controls: { edges: { node: Record<string, unknown> }[] } }>(stack.gatewayUrl,
      '{ controls(first: 50) { edges { node { id title status description implementationNotes } } } }', {}, narrow.token);
    expect(list.errors).toBeUndefined();
    expect(list.data!.controls.edges.map((e) => e.node)).toEqual([
      { id: controlId, title: 'Encrypt backups', status: 'NOT_STARTED', description: null, implementationNotes: null },
    ]);
    const one = await gql<{ control: Record<string, unknown> }>(stack.gatewayUrl,
      'query($id: ID!) { control(id: $id) { title implementationNotes } }', { id: controlId }, narrow.token);
    expect(one.data!.control).toEqual({ title: 'Encrypt backups', implementationNotes: null });
    // a non-null field outside the rule is refused, naming the field
    const stamped = await gql(stack.gatewayUrl, 'query($id: ID!) { control(id: $id) { title createdAt } }', { id: controlId }, narrow.token);
    expect(codes(stamped)).toContain('FORBIDDEN');
    expect(stamped.errors![0]!.extensions!.field).toBe('createdAt');
    expect(stamped.raw).not.toContain('secret');
    // the Owner (no field restriction) still reads everything
    const full = await gql<{ control: { implementationNotes: string } }>(stack.gatewayUrl,
      'query($id: ID!) { control(id: $id) { implementationNotes createdAt } }', { id: controlId }, owner.token);
    expect(full.data!.control.implementationNotes).toBe('KMS key arn:aws:kms:secret');
  });

  it('applies to federated references too: a User resolved through _entities in identity hides what the role does not list', async () => {
    const owned = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Owned', ownerId: owner.userId } }, owner.token);
    const names = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'Control' },
      { action: 'read', subject: 'User', fields: ['id', 'name'] },
    ]);
    const q = 'query($id: ID!) { control(id: $id) { title owner { id name EMAIL } } }';
    const named = await gql<{ control: { owner: { id: string; name: string } } }>(stack.gatewayUrl, q.replace(' EMAIL', ''), { id: owned.data!.createControl.id }, names.token);
    expect(named.errors).toBeUndefined();
    expect(named.data!.control.owner).toEqual({ id: owner.userId, name: 'Test Owner' });
    const mailed = await gql(stack.gatewayUrl, q.replace('EMAIL', 'email'), { id: owned.data!.createControl.id }, names.token);
    expect(codes(mailed)).toContain('FORBIDDEN');
    expect(mailed.errors!.find((e) => e.extensions?.code === 'FORBIDDEN')!.extensions!.field).toBe('email');
    expect(mailed.raw).not.toContain(owner.email);
  });

  it('a role updating Control fields [status] cannot change the title: FORBIDDEN naming title, nothing written, audited once', async () => {
    const statusOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'Control' },
      { action: 'update', subject: 'Control', fields: ['status'] },
    ]);
    const refused = await gql(stack.gatewayUrl, UPDATE_CONTROL, {
      id: controlId, i: { title: 'Hijacked', status: 'IMPLEMENTED', description: 'All of them', implementationNotes: 'KMS key arn:aws:kms:secret' },
    }, statusOnly.token);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.extensions!.field).toBe('title');
    expect(refused.errors![0]!.message).toContain('title');
    const [row] = await adminQuery<{ title: string; status: string }>(`select title, status from compliance.controls where id = $1`, [controlId]);
    expect(row).toEqual({ title: 'Encrypt backups', status: 'NOT_STARTED' });
    const denied = await eventually(
      () => adminQuery<{ subject_type: string; subject_id: string; data: Record<string, unknown> }>(
        `select subject_type, subject_id, data from audit.events where org_id = $1 and actor_id = $2 and action = 'access.denied'`, [owner.orgId, statusOnly.userId]),
      (rows) => rows.length > 0,
    );
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ subject_type: 'Control', subject_id: controlId, data: { attempted: 'update', field: 'title' } });
    expect(await adminQuery(`select 1 from audit.events where org_id = $1 and actor_id = $2 and action = 'control.update'`, [owner.orgId, statusOnly.userId]))
      .toHaveLength(0);

    // the field it holds goes through
    const allowed = await gql<{ updateControl: { title: string; status: string } }>(stack.gatewayUrl, UPDATE_CONTROL, {
      id: controlId, i: { title: 'Encrypt backups', status: 'IMPLEMENTED', description: 'All of them', implementationNotes: 'KMS key arn:aws:kms:secret' },
    }, statusOnly.token);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.updateControl).toEqual({ id: controlId, title: 'Encrypt backups', status: 'IMPLEMENTED' });
  });

  it('join rows are fields too: update Control fields [status] cannot change mappings, update Membership without roles cannot assign roles', async () => {
    const MAP = 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id } }';
    const mapped = async () => (await adminQuery<{ requirement_id: string }>(
      'select requirement_id from compliance.control_requirements where control_id = $1', [controlId])).map((r) => r.requirement_id);
    const [requirement] = await adminQuery<{ id: string }>('select id from compliance.requirements order by id limit 1');
    const statusOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Requirement', 'Framework'] },
      { action: 'update', subject: 'Control', fields: ['status'] },
    ]);
    const before = await mapped();
    const refused = await gql(stack.gatewayUrl, MAP, { c: controlId, r: [requirement!.id] }, statusOnly.token);
    expect(codes(refused), refused.raw).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.extensions).toMatchObject({ field: 'requirements', subject: 'Control' });
    expect(await mapped()).toEqual(before);
    const denied = await eventually(
      () => adminQuery<{ data: Record<string, unknown> }>(
        `select data from audit.events where org_id = $1 and actor_id = $2 and action = 'access.denied'`, [owner.orgId, statusOnly.userId]),
      (rows) => rows.length > 0,
    );
    expect(denied.map((d) => d.data)).toEqual([expect.objectContaining({ attempted: 'update', field: 'requirements' })]);
    const mapper = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Requirement', 'Framework'] },
      { action: 'update', subject: 'Control', fields: ['requirements'] },
    ]);
    const allowed = await gql(stack.gatewayUrl, MAP, { c: controlId, r: [requirement!.id] }, mapper.token);
    expect(allowed.errors, allowed.raw).toBeUndefined();
    expect(await mapped()).toEqual([requirement!.id]);

    // Membership.roles: the target's roles and the new one are within the actor's reach, so only the field rule refuses
    const newRole = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, CREATE_ROLE, {
      i: { name: `Readers ${randomUUID().slice(0, 8)}`, rules: [{ action: 'read', subject: 'Role' }] },
    }, owner.token);
    expect(newRole.errors, newRole.raw).toBeUndefined();
    const target = await memberWithRole(stack, owner, [{ action: 'read', subject: 'Membership' }]);
    const roleOf = async () => (await adminQuery<{ role_id: string }>(
      `select mr.role_id from identity.membership_roles mr join identity.memberships m on m.id = mr.membership_id
        where m.org_id = $1 and m.user_id = $2`, [owner.orgId, target.userId])).map((r) => r.role_id);
    const noRoles = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Membership', 'Role'] },
      { action: 'update', subject: 'Membership', fields: ['id', 'userId'] },
    ]);
    const assign = await gql(stack.gatewayUrl, ASSIGN, { u: target.userId, r: [newRole.data!.createRole.id] }, noRoles.token);
    expect(codes(assign), assign.raw).toEqual(['FORBIDDEN']);
    expect(assign.errors![0]!.extensions).toMatchObject({ field: 'roles', subject: 'Membership' });
    expect(await roleOf()).toEqual([target.roleId]);
    const granter = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Membership', 'Role'] },
      { action: 'update', subject: 'Membership', fields: ['roles'] },
    ]);
    const granted = await gql(stack.gatewayUrl, ASSIGN, { u: target.userId, r: [newRole.data!.createRole.id] }, granter.token);
    expect(granted.errors, granted.raw).toBeUndefined();
    expect(await roleOf()).toEqual([newRole.data!.createRole.id]);
  });

  it('a role creating Control fields [title] cannot set implementationNotes on create', async () => {
    const titleOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'Control' },
      { action: 'create', subject: 'Control', fields: ['title'] },
    ]);
    const refused = await gql(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Sneaky', implementationNotes: 'set anyway' } }, titleOnly.token);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.extensions!.field).toBe('implementationNotes');
    expect(await adminQuery(`select 1 from compliance.controls where org_id = $1 and title = 'Sneaky'`, [owner.orgId])).toHaveLength(0);
    const ok = await gql(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Plain' } }, titleOnly.token);
    expect(ok.errors).toBeUndefined();
  });

  it('entity properties that store a registry field under another name are checked as that field', async () => {
    // Organization.securitySettings is stored as three columns; Invitation.roles as roleIds
    const nameOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'all' },
      { action: 'update', subject: 'Organization', fields: ['name'] },
      { action: 'create', subject: 'Invitation', fields: ['email', 'createdAt', 'expiresAt', 'invitedBy'] },
    ]);
    const settings = await gql(stack.gatewayUrl, 'mutation { updateSecuritySettings(input: { mfaRequired: true, sessionIdleTimeoutMinutes: 600 }) { id } }', {}, nameOnly.token);
    expect(codes(settings), settings.raw).toEqual(['FORBIDDEN']);
    expect(settings.errors![0]!.extensions!.field).toBe('securitySettings');
    const [org] = await adminQuery<{ mfa_required: boolean; session_idle_timeout_minutes: number }>(
      'select mfa_required, session_idle_timeout_minutes from identity.organizations where id = $1', [owner.orgId]);
    expect(org).toEqual({ mfa_required: false, session_idle_timeout_minutes: 30 });

    const roles = await gql<{ roles: { id: string; name: string }[] }>(stack.gatewayUrl, '{ roles { id name } }', {}, owner.token);
    const viewer = roles.data!.roles.find((r) => r.name === 'Viewer')!.id;
    const email = uniqueEmail('roles-field');
    const invited = await gql(stack.gatewayUrl, 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', { i: { email, roleIds: [viewer] } }, nameOnly.token);
    expect(codes(invited), invited.raw).toEqual(['FORBIDDEN']);
    expect(invited.errors![0]!.extensions!.field).toBe('roles');
    expect(await adminQuery('select 1 from identity.invitations where email = $1', [email])).toHaveLength(0);
  });

  it('the starter controls (written in one statement) obey create Control conditions and fields too', async () => {
    const ADOPT = 'mutation($k: String!) { adoptFramework(frameworkKey: $k, includeStarterControls: true) { id } }';
    const count = async () => Number((await adminQuery<{ n: string }>('select count(*) as n from compliance.controls where org_id = $1 and starter_key is not null', [owner.orgId]))[0]!.n);
    const titleOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Programme', 'Framework', 'Requirement'] },
      { action: 'create', subject: 'Programme' },
      { action: 'create', subject: 'Control', fields: ['title'] },
    ]);
    const refused = await gql(stack.gatewayUrl, ADOPT, { k: 'soc2' }, titleOnly.token);
    expect(codes(refused), refused.raw).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.extensions!.field).toBe('description');
    // the starter controls come mapped to the framework's requirements: that is setting Control.requirements
    const unmapped = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Programme', 'Framework', 'Requirement'] },
      { action: 'create', subject: 'Programme' },
      { action: 'create', subject: 'Control', fields: ['title', 'description'] },
    ]);
    const noMappings = await gql(stack.gatewayUrl, ADOPT, { k: 'soc2' }, unmapped.token);
    expect(codes(noMappings), noMappings.raw).toEqual(['FORBIDDEN']);
    expect(noMappings.errors![0]!.extensions!.field).toBe('requirements');
    const ownOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Programme', 'Framework', 'Requirement'] },
      { action: 'create', subject: 'Programme' },
      { action: 'create', subject: 'Control', conditions: { ownerId: '${user.id}' } },
    ]);
    expect(codes(await gql(stack.gatewayUrl, ADOPT, { k: 'soc2' }, ownOnly.token))).toEqual(['FORBIDDEN']);
    expect(await count()).toBe(0);
    expect(await adminQuery('select 1 from compliance.programmes where org_id = $1', [owner.orgId])).toHaveLength(0);
  });

  it('a filter on a field the role cannot read is no oracle: controls(filter: {ownerId}) matches nothing it would hide', async () => {
    const owned = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Owner owns this', ownerId: owner.userId } }, owner.token);
    const ownedId = owned.data!.createControl.id;
    const narrow = await memberWithRole(stack, owner, [{ action: 'read', subject: 'Control', fields: ['id', 'title', 'status'] }]);
    const q = 'query($o: ID!) { controls(first: 50, filter: { ownerId: $o }) { edges { node { id } } } }';
    const ids = async (ownerId: string, token: string) => {
      const res = await gql<{ controls: { edges: { node: { id: string } }[] } }>(stack.gatewayUrl, q, { o: ownerId }, token);
      expect(res.errors, res.raw).toBeUndefined();
      return res.data!.controls.edges.map((e) => e.node.id);
    };
    // the Owner reads ownerId: the filter finds the control
    expect(await ids(owner.userId, owner.token)).toContain(ownedId);
    // the narrow role gets the same answer for the real owner as for a stranger
    expect(await ids(owner.userId, narrow.token)).toEqual([]);
    expect(await ids(randomUUID(), narrow.token)).toEqual([]);
    // a filter on a field it reads still works
    const byStatus = await gql<{ controls: { edges: { node: { id: string } }[] } }>(stack.gatewayUrl,
      '{ controls(first: 50, filter: { status: NOT_STARTED }) { edges { node { id } } } }', {}, narrow.token);
    expect(byStatus.data!.controls.edges.map((e) => e.node.id)).toContain(ownedId);
  });

  it('the audit log: a filter on a hidden field matches nothing, and a role hiding any field cannot export whole events', async () => {
    const narrow = await memberWithRole(stack, owner, [{ action: 'read', subject: 'AuditEvent', fields: ['id', 'action', 'occurredAt'] }]);
    const q = 'query($f: AuditFilter) { auditEvents(first: 100, filter: $f) { edges { node { id } } } }';
    const ids = async (f: Record<string, unknown>, token: string) => {
      const res = await gql<{ auditEvents: { edges: { node: { id: string } }[] } }>(stack.gatewayUrl, q, { f }, token);
      expect(res.errors, res.raw).toBeUndefined();
      return res.data!.auditEvents.edges.map((e) => e.node.id);
    };
    const byOwner = await eventually(() => ids({ action: 'control.create', actorId: owner.userId }, owner.token), (r) => r.length > 0);
    // it may filter by action (a field it reads), not learn who did what by filtering on actorId
    expect(await ids({ action: 'control.create' }, narrow.token)).toEqual(expect.arrayContaining(byOwner));
    expect(await ids({ action: 'control.create', actorId: owner.userId }, narrow.token)).toEqual([]);
    expect(await ids({ action: 'control.create', subjectType: 'Control' }, narrow.token)).toEqual([]);

    const exported = await gql(stack.gatewayUrl,
      'mutation { exportAuditEvents(format: JSONL) { id url } }', {}, narrow.token);
    expect(codes(exported), exported.raw).toEqual(['FORBIDDEN']);
    expect(exported.errors![0]!.extensions!.field).toBe('actorType');
    expect(await adminQuery('select 1 from audit.exports where org_id = $1 and requested_by = $2', [owner.orgId, narrow.userId])).toHaveLength(0);
    const whole = await gql(stack.gatewayUrl, 'mutation { exportAuditEvents(format: JSONL) { id } }', {}, owner.token);
    expect(whole.errors, whole.raw).toBeUndefined();
  });

  it('policy coverage shows acknowledgements field by field: a role reading only PolicyAcknowledgement.id gets counts, not who or when', async () => {
    const policy = await gql<{ createPolicy: { id: string; versions: { id: string }[] } }>(stack.gatewayUrl,
      'mutation($i: PolicyInput!) { createPolicy(input: $i) { id versions { id } } }', { i: { title: 'Clean desk', body: '# Clean desk' } }, owner.token);
    expect(policy.errors, policy.raw).toBeUndefined();
    const policyId = policy.data!.createPolicy.id;
    const versionId = policy.data!.createPolicy.versions[0]!.id;
    for (const [q, v] of [
      ['mutation($v: ID!) { approvePolicy(versionId: $v) { id } }', { v: versionId }],
      ['mutation($v: ID!) { publishPolicy(id: $v) { id } }', { v: policyId }],
      ['mutation($v: ID!) { acknowledgePolicy(versionId: $v) { id } }', { v: versionId }],
    ] as const) {
      const res = await gql(stack.gatewayUrl, q, v, owner.token);
      expect(res.errors, res.raw).toBeUndefined();
    }
    const idsOnly = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'Policy' },
      { action: 'read', subject: 'PolicyAcknowledgement', fields: ['id'] },
    ]);
    const coverage = (fields: string) => gql<{ policyCoverage: Record<string, unknown> }>(stack.gatewayUrl,
      `query($p: ID!) { policyCoverage(policyId: $p) { ${fields} } }`, { p: policyId }, idsOnly.token);
    for (const fields of ['covered { user { id } }', 'covered { at }', 'uncovered { id }']) {
      const refused = await coverage(fields);
      expect(codes(refused), refused.raw).toEqual(['FORBIDDEN']);
      expect(refused.errors![0]!.extensions!.subject).toBe('PolicyAcknowledgement');
      expect(refused.raw).not.toContain(owner.userId);
      expect(refused.raw).not.toContain(idsOnly.userId);
    }
    const counts = await coverage('total coveredCount');
    expect(counts.errors, counts.raw).toBeUndefined();
    expect(counts.data!.policyCoverage.coveredCount).toBe(1);
    // the owner (no field restriction) still sees who and when
    const full = await gql<{ policyCoverage: { covered: { user: { id: string }; at: string }[] } }>(stack.gatewayUrl,
      'query($p: ID!) { policyCoverage(policyId: $p) { covered { user { id } at } uncovered { id } } }', { p: policyId }, owner.token);
    expect(full.errors, full.raw).toBeUndefined();
    expect(full.data!.policyCoverage.covered.map((c) => c.user.id)).toEqual([owner.userId]);
  });
});

describe('field-level rules on the HTTP routes outside GraphQL', () => {
  let stack: Stack;
  let owner: SignedUp;

  beforeAll(async () => {
    ({ stack } = await startComplianceStack());
    owner = await signUp(stack.gatewayUrl, 'Field Rules Upload Org');
  }, 60_000);
  afterAll(() => stack?.stop());

  it('an evidence upload by a role that may not set the title is FORBIDDEN naming title, and stores no row', async () => {
    const control = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Backups' } }, owner.token);
    const controlId = control.data!.createControl.id;
    const untitled = await memberWithRole(stack, owner, [
      { action: 'read', subject: ['Control', 'Evidence'] },
      { action: 'create', subject: 'Evidence', fields: ['controlId', 'kind', 'collectedAt', 'createdBy'] },
    ]);
    const refused = await upload(stack.gatewayUrl, untitled.token, { controlId, fileName: 'report.pdf', title: 'Quarterly report' }, 'application/pdf', pdfBytes());
    expect(refused.status, refused.body.toString()).toBe(403);
    expect(refused.json).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', field: 'title' } }] });
    expect(await adminQuery('select 1 from compliance.evidence where org_id = $1', [owner.orgId])).toHaveLength(0);
    const allowed = await upload(stack.gatewayUrl, owner.token, { controlId, fileName: 'report.pdf', title: 'Quarterly report' }, 'application/pdf', pdfBytes());
    expect(allowed.status, allowed.body.toString()).toBe(201);
  });

  it('a role reading only some Evidence fields gets no download link: the file is content, like url and text', async () => {
    const control = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Payroll' } }, owner.token);
    const stored = await upload(stack.gatewayUrl, owner.token, { controlId: control.data!.createControl.id, fileName: 'salaries.pdf', title: 'Salaries' },
      'application/pdf', pdfBytes());
    expect(stored.status, stored.body.toString()).toBe(201);
    const evidenceId = (stored.json as { evidence: { id: string } }).evidence.id;
    const titles = await memberWithRole(stack, owner, [
      { action: 'read', subject: 'Control' },
      { action: 'read', subject: 'Evidence', fields: ['id', 'title', 'kind', 'controlId'] },
    ]);
    const LINK = 'query($id: ID!) { evidenceDownloadUrl(id: $id) { url } }';
    const refused = await gql(stack.gatewayUrl, LINK, { id: evidenceId }, titles.token);
    expect(codes(refused), refused.raw).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.extensions!.field).toBe('file');
    expect(refused.raw).not.toContain('token=');
    // a role reading the whole evidence still gets its link
    const whole = await memberWithRole(stack, owner, [{ action: 'read', subject: ['Control', 'Evidence'] }]);
    const link = await gql<{ evidenceDownloadUrl: { url: string } }>(stack.gatewayUrl, LINK, { id: evidenceId }, whole.token);
    expect(link.errors, link.raw).toBeUndefined();
    expect(link.data!.evidenceDownloadUrl.url).toContain('token=');
  });
});

describe('API keys and ${user.id} conditions', () => {
  let stack: Stack;
  let owner: SignedUp;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'API Key Placeholder Org');
  }, 60_000);
  afterAll(() => stack?.stop());

  it('an API key whose role has ownerId: ${user.id} matches no control, not the unowned ones', async () => {
    const unowned = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE_CONTROL, { i: { title: 'Nobody owns me' } }, owner.token);
    const controlId = unowned.data!.createControl.id;
    const role = await gql<{ createRole: { id: string } }>(stack.gatewayUrl, CREATE_ROLE, { i: {
      name: 'Own controls',
      rules: [
        { action: 'read', subject: 'Control', conditions: { ownerId: '${user.id}' } },
        { action: 'update', subject: 'Control', conditions: { ownerId: '${user.id}' } },
      ],
    } }, owner.token);
    expect(role.errors).toBeUndefined();
    const key = await gql<{ createApiKey: { key: string } }>(stack.gatewayUrl,
      'mutation($r: ID!) { createApiKey(input: { name: "ci", roleId: $r }) { key } }', { r: role.data!.createRole.id }, owner.token);
    expect(key.errors).toBeUndefined();
    const apiKey = key.data!.createApiKey.key;

    // the only read rule names the user, so the key reads no control at all (it read the unowned ones)
    const list = await gql<{ controls: { edges: unknown[] } | null }>(stack.gatewayUrl, '{ controls(first: 50) { edges { node { id title } } } }', {}, apiKey);
    expect(codes(list)).toEqual(['FORBIDDEN']);
    expect(list.raw).not.toContain('Nobody owns me');
    const one = await gql(stack.gatewayUrl, 'query($id: ID!) { control(id: $id) { title } }', { id: controlId }, apiKey);
    expect(one.raw).not.toContain('Nobody owns me');
    const update = await gql(stack.gatewayUrl, UPDATE_CONTROL, { id: controlId, i: { title: 'Taken over' } }, apiKey);
    expect(codes(update)).toEqual(expect.arrayContaining([expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]));
    const [row] = await adminQuery<{ title: string }>(`select title from compliance.controls where id = $1`, [controlId]);
    expect(row!.title).toBe('Nobody owns me');
  });
});

// ---- coverage, driven by the registry: a new subject, type, field or entity cannot skip the mechanism ----

const SUBGRAPHS: [string, () => Promise<{ schema: GraphQLSchema }>][] = [
  ['identity', identitySchema], ['compliance', complianceSchema], ['audit', auditSchema], ['ai', aiSchema],
];
const ENTITIES: [string, { name: string }[]][] = [
  ['identity', IDENTITY_ENTITIES], ['compliance', COMPLIANCE_ENTITIES], ['audit', AUDIT_ENTITIES], ['ai', AI_ENTITIES],
];

function mark(field: GraphQLField<unknown, unknown>): FieldRulesMark | undefined {
  return (field.resolve as { [FIELD_RULES]?: FieldRulesMark } | undefined)?.[FIELD_RULES];
}

function isStub(schema: GraphQLSchema, name: string): boolean {
  const type = schema.getType(name);
  return type ? isReferenceStub(type) : false;
}

describe('field-level rules cover every subject of the registry', () => {
  let schemas: [string, GraphQLSchema][];

  beforeAll(async () => {
    schemas = await Promise.all(SUBGRAPHS.map(async ([name, build]) => [name, (await build()).schema] as [string, GraphQLSchema]));
  });

  it('every object type of every subgraph is a subject, a connection, or declared as not one', () => {
    const unknown: string[] = [];
    for (const [name, schema] of schemas) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('_') || /(Connection|Edge)$/.test(type.name) || NOT_SUBJECT_TYPES.has(type.name)) continue;
        if (!subjectOfType(type.name) && !viewOfType(type.name)) unknown.push(`${name}: ${type.name}`);
      }
    }
    expect(unknown, 'add these to the registry (libs/authz/src/subjects.ts) or to NOT_SUBJECT_TYPES').toEqual([]);
  });

  it('every subject of the registry has its type in its subgraph, and every field of it is a registry field or declared', () => {
    const problems: string[] = [];
    for (const subject of registeredSubjects()) {
      const owner = subjectDefinition(subject)!.subgraph;
      const schema = schemas.find(([n]) => n === owner)?.[1];
      if (!schema?.getType(subject)) problems.push(`${subject}: no GraphQL type in ${owner}`);
    }
    for (const [name, schema] of schemas) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || !subjectOfType(type.name) || isStub(schema, type.name)) continue;
        for (const field of Object.values(type.getFields())) {
          const guard = graphFieldGuard(type.name, field.name);
          if (!guard) problems.push(`${name}: ${type.name}.${field.name} is neither a registry field nor declared in graph-fields.ts`);
          else if (guard !== LINK && !mark(field)) problems.push(`${name}: ${type.name}.${field.name} is not guarded`);
        }
      }
      for (const type of Object.values(schema.getTypeMap())) {
        const view = isObjectType(type) ? viewOfType(type.name) : undefined;
        if (!view || !isObjectType(type)) continue;
        for (const field of Object.values(type.getFields())) {
          const guard = view.fields[field.name];
          if (!guard) problems.push(`${name}: view ${type.name}.${field.name} is not declared in graph-fields.ts`);
          else if (guard !== LINK && !mark(field)) problems.push(`${name}: view ${type.name}.${field.name} is not guarded`);
        }
      }
      for (const root of [schema.getQueryType(), schema.getMutationType()]) {
        for (const field of Object.values(root?.getFields() ?? {})) if (mark(field) !== 'root') problems.push(`${name}: ${root!.name}.${field.name} runs without the flush guard`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('each guarded field answers null or FORBIDDEN to a role that may read only another field', async () => {
    const leaks: string[] = [];
    for (const [name, schema] of schemas) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || !subjectOfType(type.name) || isStub(schema, type.name)) continue;
        const registryFields = subjectDefinition(type.name)!.fields;
        for (const field of Object.values(type.getFields())) {
          const guard = graphFieldGuard(type.name, field.name);
          if (guard === LINK || !field.resolve) continue;
          const checked = typeof guard === 'object' ? guard.reads : field.name;
          const other = registryFields.find((f) => f !== checked) ?? 'id';
          const ctx = { ability: abilityFromPacked([pack([{ action: 'read', subject: type.name, fields: [other] }])]) };
          const source = { ...Object.fromEntries(registryFields.map((f) => [f, `value of ${f}`])), [field.name]: `value of ${field.name}` };
          let outcome: unknown;
          try {
            outcome = await (field.resolve as GraphQLFieldResolver<unknown, unknown>)(source, {}, ctx, { fieldName: field.name } as GraphQLResolveInfo);
          } catch (err) {
            outcome = (err as { extensions?: { code?: string } }).extensions?.code;
          }
          const expected = isNonNullType(field.type) ? 'FORBIDDEN' : null;
          if (outcome !== expected) leaks.push(`${name}: ${type.name}.${field.name} gave ${JSON.stringify(outcome)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('every entity class is a subject or declared as not one', () => {
    const unknown = ENTITIES.flatMap(([name, list]) => list
      .filter((e) => !subjectOfEntity(e.name) && !NOT_SUBJECT_ENTITIES.has(e.name)).map((e) => `${name}: ${e.name}`));
    expect(unknown, 'map these in libs/authz/src/graph-fields.ts').toEqual([]);
    expect(new Set(ENTITIES.flatMap(([, list]) => list.map((e) => subjectOfEntity(e.name)).filter(Boolean))).size).toBeGreaterThan(15);
  });
});
