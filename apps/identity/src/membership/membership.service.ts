// Members: listing, off-boarding and role assignment, and the membership rows every
// way of joining (sign-up, invitation, SSO) writes. The last Owner can neither leave
// nor lose the Owner role. Invitations live in invitation/.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appError, assertFieldWrite, badInput, decodeCursor, ErrorCode, notFound, pageSize, toConnection, validate, type ConnectionShape } from '@packets/graphql';
import { MembershipEntity, MembershipRoleEntity } from './membership.entity';
import { toMembership, type Membership } from './membership.type';
import { RoleEntity } from '../role/role.entity';
import { assertRolesGrantable, rolesByIds } from '../role/role.service';
import { InvitationEntity } from '../invitation/invitation.entity';
import { SessionEntity } from '../session/session.entity';
import { ApiKeyEntity } from '../apikey/apikey.entity';
import { auditedRefusal } from '../security/denied';
import type { IdentityContext } from '../identity.context';

export async function listMembers(ctx: IdentityContext, first?: number | null, after?: string | null): Promise<ConnectionShape<Membership>> {
  ctx.authorize('read', 'Membership');
  const size = pageSize(first, 50);
  const cursor = decodeCursor(after);
  const rows = await ctx.tx((em) => em.find(MembershipEntity, {
    orgId: ctx.orgId,
    ...(cursor ? { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] } : {}),
  }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 }));
  return toConnection(rows, size, toMembership);
}

/** Inside the joining transaction: the membership row, then its roles. */
export async function addMember(em: EntityManager, orgId: string, userId: string, roles: RoleEntity[]): Promise<MembershipEntity> {
  const membership = em.create(MembershipEntity, { id: randomUUID(), orgId, userId, createdAt: new Date() });
  await em.flush(); // the membership row before the rows that reference it
  for (const role of roles) em.create(MembershipRoleEntity, { membershipId: membership.id, roleId: role.id, orgId });
  return membership;
}

/** Which of these users are members of the org (caller must be in the org's tenant transaction). */
export async function membersAmong(em: EntityManager, orgId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await em.find(MembershipEntity, { orgId, userId: { $in: userIds } }, { fields: ['userId'] });
  return rows.map((m) => m.userId);
}

async function ownerCount(em: EntityManager, orgId: string): Promise<number> {
  const rows = await em.execute<{ n: number }[]>(
    `select count(distinct mr.membership_id)::int as n from identity.membership_roles mr
       join identity.roles r on r.id = mr.role_id where r.org_id = ? and r.system and r.name = 'Owner'`, [orgId]);
  return rows[0]?.n ?? 0;
}

function isOwnerRole(r: RoleEntity): boolean {
  return r.system && r.name === 'Owner';
}

/** Off-boarding: the membership goes, and in the same transaction every session and API key of that member and the invitations they sent. */
export async function removeMember(ctx: IdentityContext, userId: string): Promise<boolean> {
  ctx.authorize('delete', 'Membership');
  if (!validate.isUuid(userId)) throw notFound('Member');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const membership = await em.findOne(MembershipEntity, { orgId: ctx.orgId, userId });
    if (!membership) throw notFound('Member');
    const links = await em.find(MembershipRoleEntity, { membershipId: membership.id });
    const roles = links.length ? await em.find(RoleEntity, { id: { $in: links.map((l) => l.roleId) } }) : [];
    auditedRefusal(ctx, { action: 'member.remove', subjectType: 'Membership', subjectId: userId }, () => assertRolesGrantable(ctx, roles));
    if (roles.some(isOwnerRole) && (await ownerCount(em, ctx.orgId)) <= 1) {
      throw appError(ErrorCode.CONFLICT, 'The last Owner cannot be removed; make someone else Owner first');
    }
    const sessions = await em.nativeUpdate(SessionEntity, { orgId: ctx.orgId, userId, revokedAt: null }, { revokedAt: now });
    const keys = await em.nativeUpdate(ApiKeyEntity, { orgId: ctx.orgId, createdBy: userId, revokedAt: null }, { revokedAt: now });
    // the open invitations they sent: an invitation grants nothing its sender could not
    const invitations = await em.nativeUpdate(InvitationEntity, { orgId: ctx.orgId, invitedBy: userId, acceptedAt: null, revokedAt: null }, { revokedAt: now });
    await em.nativeDelete(MembershipRoleEntity, { membershipId: membership.id });
    await em.nativeDelete(MembershipEntity, { id: membership.id });
    return { result: true, audit: { action: 'member.remove', subjectType: 'Membership', subjectId: userId, data: { sessionsRevoked: sessions, apiKeysRevoked: keys, invitationsRevoked: invitations } } };
  });
}

export async function assignRoles(ctx: IdentityContext, userId: string, roleIds: string[]): Promise<Membership> {
  ctx.authorize('update', 'Membership');
  if (!validate.isUuid(userId)) throw notFound('Member');
  if (roleIds.length === 0) throw badInput('A member needs at least one role', 'roleIds');
  return ctx.mutate(async (em) => {
    const membership = await em.findOne(MembershipEntity, { orgId: ctx.orgId, userId });
    if (!membership) throw notFound('Member');
    // the roles are join rows the flush guard does not see as Membership.roles: checked here
    assertFieldWrite(ctx, 'update', 'Membership', { ...membership }, 'roles');
    const next = await rolesByIds(em, ctx.orgId, roleIds);
    const links = await em.find(MembershipRoleEntity, { membershipId: membership.id });
    const current = links.length ? await em.find(RoleEntity, { id: { $in: links.map((l) => l.roleId) } }) : [];
    // both what is granted and what is taken away must be within the actor's reach
    auditedRefusal(ctx, { action: 'member.roles.assign', subjectType: 'Membership', subjectId: userId, data: { roles: next.map((r) => r.name) } },
      () => assertRolesGrantable(ctx, [...next, ...current]));
    if (current.some(isOwnerRole) && !next.some(isOwnerRole) && (await ownerCount(em, ctx.orgId)) <= 1) {
      throw appError(ErrorCode.CONFLICT, 'The last Owner cannot lose the Owner role');
    }
    await em.nativeDelete(MembershipRoleEntity, { membershipId: membership.id });
    for (const role of next) em.create(MembershipRoleEntity, { membershipId: membership.id, roleId: role.id, orgId: ctx.orgId });
    return {
      result: toMembership(membership),
      audit: { action: 'member.roles.assign', subjectType: 'Membership', subjectId: userId,
        data: { before: current.map((r) => r.name), after: next.map((r) => r.name) } },
    };
  });
}
