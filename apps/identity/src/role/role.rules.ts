// What roles grant: a role's rules as they are now, a member's roles, and the packed
// rule sets the signed context carries. Shared by sessions, API keys, invitations and SSO.
import type { EntityManager } from '@mikro-orm/postgresql';
import { interpolateRules, pack, SYSTEM_ROLES, type RawRule, type SystemRoleName } from '@packets/authz';
import { RoleEntity } from './role.entity';

/**
 * A system role's rules come from the code (libs/authz, reviewed through its
 * snapshot), so a change reaches every org at once; custom roles' from their row.
 */
export function effectiveRules(role: RoleEntity): RawRule[] {
  const system = role.system ? SYSTEM_ROLES[role.name as SystemRoleName] : undefined;
  return system ? system.rules : (role.rules as RawRule[]);
}

/** A member's roles, by name (caller in the org's tenant transaction). */
export async function rolesOf(em: EntityManager, orgId: string, userId: string): Promise<RoleEntity[]> {
  return em.createQueryBuilder(RoleEntity, 'r')
    .select('r.*')
    .where({ orgId })
    .andWhere(`r.id in (select mr.role_id from identity.membership_roles mr join identity.memberships m on m.id = mr.membership_id where m.user_id = ? and m.org_id = ?)`, [userId, orgId])
    .orderBy({ name: 'asc' })
    .getResultList();
}

/** A member's permissions for the signed context: one packed rule set per role, placeholders filled. */
export async function abilityRules(em: EntityManager, orgId: string, userId: string): Promise<unknown[][]> {
  const roles = await rolesOf(em, orgId, userId);
  return roles.map((role) => pack(interpolateRules(effectiveRules(role), { userId })));
}
