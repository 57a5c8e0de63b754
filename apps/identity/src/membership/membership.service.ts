// Memberships and the roles they carry. Roles are data: a role is a list of CASL
// rules, and a member's ability is the union of their roles' rules.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { interpolateRules, pack, SYSTEM_ROLE_NAMES, SYSTEM_ROLES, type RawRule, type SystemRoleName } from '@packets/authz';
import { MembershipEntity, MembershipRoleEntity, RoleEntity } from './membership.entity';

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

export async function addMember(em: EntityManager, orgId: string, userId: string, roles: RoleEntity[]): Promise<MembershipEntity> {
  const membership = em.create(MembershipEntity, { id: randomUUID(), orgId, userId, createdAt: new Date() });
  await em.flush(); // the membership row before the rows that reference it
  for (const role of roles) em.create(MembershipRoleEntity, { membershipId: membership.id, roleId: role.id, orgId });
  return membership;
}

export async function rolesOf(em: EntityManager, orgId: string, userId: string): Promise<RoleEntity[]> {
  return em.createQueryBuilder(RoleEntity, 'r')
    .select('r.*')
    .where({ orgId })
    .andWhere(`r.id in (select mr.role_id from identity.membership_roles mr join identity.memberships m on m.id = mr.membership_id where m.user_id = ? and m.org_id = ?)`, [userId, orgId])
    .orderBy({ name: 'asc' })
    .getResultList();
}

/**
 * A system role's rules come from the code (libs/authz, reviewed through its
 * snapshot), so a change reaches every org at once; custom roles' from their row.
 */
export function effectiveRules(role: RoleEntity): RawRule[] {
  const system = role.system ? SYSTEM_ROLES[role.name as SystemRoleName] : undefined;
  return system ? system.rules : (role.rules as RawRule[]);
}

/** A member's permissions for the signed context: one packed rule set per role, placeholders filled. */
export async function abilityRules(em: EntityManager, orgId: string, userId: string): Promise<unknown[][]> {
  const roles = await rolesOf(em, orgId, userId);
  return roles.map((role) => pack(interpolateRules(effectiveRules(role), { userId })));
}

/** Which of these users are members of the org (caller must be in the org's tenant transaction). */
export async function membersAmong(em: EntityManager, orgId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await em.find(MembershipEntity, { orgId, userId: { $in: userIds } }, { fields: ['userId'] });
  return rows.map((m) => m.userId);
}
