// Custom roles: rules validated against the one subject registry, never granting
// more than the editor holds; system roles are fixed. A change reaches every
// member on their next request (rules are resolved per request).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { firstEscalation, RuleError, SYSTEM_ROLE_NAMES, SYSTEM_ROLES, validateRules, type RawRule } from '@packets/authz';
import { appError, badInput, ErrorCode, notFound, validate } from '@packets/graphql';
import { RoleEntity } from './role.entity';
import { effectiveRules } from './role.rules';
import { toRole, type Role } from './role.type';
import { permissionRegistry, type PermissionSubject } from './permission.type';
import { MembershipRoleEntity } from '../membership/membership.entity';
import { ApiKeyEntity } from '../apikey/apikey.entity';
import type { IdentityContext } from '../identity.context';
import { auditedRefusal } from '../security/denied';
import type { RoleInput } from './role.inputs';

function rulesFrom(input: RoleInput): RawRule[] {
  try {
    return validateRules(input.rules);
  } catch (err) {
    if (err instanceof RuleError) throw badInput(err.message, 'rules');
    throw err;
  }
}

/** Creates the five system roles of a new organisation. */
export function seedSystemRoles(em: EntityManager, orgId: string): Map<string, RoleEntity> {
  const roles = new Map<string, RoleEntity>();
  for (const name of SYSTEM_ROLE_NAMES) {
    const def = SYSTEM_ROLES[name];
    roles.set(name, em.create(RoleEntity, {
      id: randomUUID(), orgId, name, description: def.description, system: true, rules: def.rules, createdAt: new Date(),
    }));
  }
  return roles;
}

/** The org's roles with these ids; BAD_USER_INPUT when one is malformed or unknown. */
export async function rolesByIds(em: EntityManager, orgId: string, ids: string[]): Promise<RoleEntity[]> {
  const unique = [...new Set(ids)];
  if (!unique.every(validate.isUuid)) throw badInput('roleIds contains an invalid id', 'roleIds');
  const roles = unique.length ? await em.find(RoleEntity, { orgId, id: { $in: unique } }) : [];
  if (roles.length !== unique.length) throw badInput('roleIds contains an unknown role', 'roleIds');
  return roles;
}

/**
 * Refuses (FORBIDDEN, audited by the caller as denied) any grant beyond what the
 * actor holds right now.
 */
export function assertNoEscalation(ctx: IdentityContext, rules: RawRule[]): void {
  const excess = firstEscalation(ctx.ability, rules);
  if (excess) throw appError(ErrorCode.FORBIDDEN, `You cannot grant a permission you do not hold: ${excess}`, { escalation: excess });
}

/** Each role on its own: a member holds the union of their roles, never their rules merged. */
export function assertRolesGrantable(ctx: IdentityContext, roles: RoleEntity[]): void {
  for (const role of roles) assertNoEscalation(ctx, effectiveRules(role));
}

export async function listRoles(ctx: IdentityContext): Promise<Role[]> {
  ctx.authorize('read', 'Role');
  const rows = await ctx.tx((em) => em.find(RoleEntity, { orgId: ctx.orgId }, { orderBy: { system: 'desc', name: 'asc' } }));
  return rows.map(toRole);
}

/** What custom roles can name: readable by whoever may read roles. */
export function listPermissionSubjects(ctx: IdentityContext): PermissionSubject[] {
  ctx.authorize('read', 'Role');
  return permissionRegistry();
}

function cleanRoleInput(input: RoleInput) {
  const name = validate.text(input.name, 'name', { max: 100 });
  if ((SYSTEM_ROLE_NAMES as readonly string[]).some((n) => n.toLowerCase() === name.toLowerCase())) {
    throw badInput(`${name} is the name of a system role`, 'name');
  }
  return { name, description: validate.optionalText(input.description, 'description', 1000) ?? '', rules: rulesFrom(input) };
}

async function nameTaken(em: EntityManager, orgId: string, name: string, except?: string): Promise<boolean> {
  const rows = await em.find(RoleEntity, { orgId, name: { $ilike: name } });
  return rows.some((r) => r.id !== except);
}

export async function createRole(ctx: IdentityContext, input: RoleInput): Promise<Role> {
  ctx.authorize('create', 'Role');
  const data = cleanRoleInput(input);
  auditedRefusal(ctx, { action: 'role.create', subjectType: 'Role', data: { name: data.name } }, () => assertNoEscalation(ctx, data.rules));
  const role = await ctx.mutate(async (em) => {
    if (await nameTaken(em, ctx.orgId, data.name)) throw appError(ErrorCode.CONFLICT, `A role named ${data.name} exists`);
    const role = em.create(RoleEntity, { id: randomUUID(), orgId: ctx.orgId, ...data, system: false, createdAt: new Date() });
    return { result: role, audit: { action: 'role.create', subjectType: 'Role', subjectId: role.id, data: { name: data.name, rules: data.rules } } };
  });
  return toRole(role);
}

export async function updateRole(ctx: IdentityContext, id: string, input: RoleInput): Promise<Role> {
  ctx.authorize('update', 'Role');
  const data = cleanRoleInput(input);
  if (!validate.isUuid(id)) throw notFound('Role');
  auditedRefusal(ctx, { action: 'role.update', subjectType: 'Role', subjectId: id, data: { name: data.name } }, () => assertNoEscalation(ctx, data.rules));
  const role = await ctx.mutate(async (em) => {
    const role = await em.findOne(RoleEntity, { id });
    if (!role) throw notFound('Role');
    if (role.system) throw appError(ErrorCode.FORBIDDEN, 'System roles cannot be edited');
    // the role as it is must be within the editor's reach too (no editing a stronger role down or up)
    assertRolesGrantable(ctx, [role]);
    if (await nameTaken(em, ctx.orgId, data.name, id)) throw appError(ErrorCode.CONFLICT, `A role named ${data.name} exists`);
    const before = { name: role.name, rules: role.rules };
    Object.assign(role, data);
    return { result: role, audit: { action: 'role.update', subjectType: 'Role', subjectId: id, data: { before, after: { name: data.name, rules: data.rules } } } };
  });
  return toRole(role);
}

export async function deleteRole(ctx: IdentityContext, id: string): Promise<boolean> {
  ctx.authorize('delete', 'Role');
  if (!validate.isUuid(id)) throw notFound('Role');
  return ctx.mutate(async (em) => {
    const role = await em.findOne(RoleEntity, { id });
    if (!role) throw notFound('Role');
    if (role.system) throw appError(ErrorCode.FORBIDDEN, 'System roles cannot be deleted');
    assertRolesGrantable(ctx, [role]);
    const [members, keys] = await Promise.all([em.count(MembershipRoleEntity, { roleId: id }), em.count(ApiKeyEntity, { roleId: id, revokedAt: null })]);
    if (members + keys > 0) throw appError(ErrorCode.CONFLICT, `The role is in use by ${members} member(s) and ${keys} API key(s)`);
    em.remove(role);
    return { result: true, audit: { action: 'role.delete', subjectType: 'Role', subjectId: id, data: { name: role.name } } };
  });
}
