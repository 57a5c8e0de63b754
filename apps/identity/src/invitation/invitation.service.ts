// Open invitations: listed and revoked by whoever may manage them, revoked with
// their sender when the sender is off-boarded, and re-checked against the sender
// when accepted (an invitation grants nothing its sender could not grant today).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { abilityFromPacked, can, firstEscalation } from '@packets/authz';
import { appError, ErrorCode, notFound, validate } from '@packets/graphql';
import { InvitationEntity } from './invitation.entity';
import { MembershipEntity, RoleEntity } from '../membership/membership.entity';
import { abilityRules, effectiveRules } from '../membership/membership.service';
import { assertRolesGrantable } from '../role/role.service';
import { auditedRefusal } from '../security/denied';
import type { IdentityContext } from '../identity.context';

/** Pending invitations are bounded by their 7-day life; the list stops here all the same. */
const LIST_LIMIT = 1000;

async function rolesOfInvitations(em: EntityManager, orgId: string, invitations: InvitationEntity[]): Promise<Map<string, RoleEntity>> {
  const ids = [...new Set(invitations.flatMap((i) => i.roleIds))];
  const roles = ids.length ? await em.find(RoleEntity, { orgId, id: { $in: ids } }) : [];
  return new Map(roles.map((r) => [r.id, r]));
}

/** Invitations that can still be accepted (not accepted, revoked or expired), newest first, with their roles. */
export async function listInvitations(ctx: IdentityContext): Promise<{ invitation: InvitationEntity; roles: RoleEntity[] }[]> {
  ctx.authorize('read', 'Invitation');
  const now = ctx.now();
  return ctx.tx(async (em) => {
    const rows = await em.find(InvitationEntity, { orgId: ctx.orgId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: LIST_LIMIT });
    const roles = await rolesOfInvitations(em, ctx.orgId, rows);
    return rows.map((invitation) => ({
      invitation, roles: invitation.roleIds.map((id) => roles.get(id)).filter((r): r is RoleEntity => !!r),
    }));
  });
}

/** Revokes an open invitation: its token stops working at once. Only someone who could grant its roles may. */
export async function revokeInvitation(ctx: IdentityContext, id: string): Promise<boolean> {
  ctx.authorize('delete', 'Invitation');
  if (!validate.isUuid(id)) throw notFound('Invitation');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    // locked: an acceptance in flight finishes first, and then this answers CONFLICT instead of true
    const invitation = await em.findOne(InvitationEntity, { id, orgId: ctx.orgId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!invitation) throw notFound('Invitation');
    const roles = await em.find(RoleEntity, { orgId: ctx.orgId, id: { $in: invitation.roleIds } });
    auditedRefusal(ctx, { action: 'invitation.revoke', subjectType: 'Invitation', subjectId: id }, () => assertRolesGrantable(ctx, roles));
    if (invitation.acceptedAt) throw appError(ErrorCode.CONFLICT, 'The invitation has been accepted: remove the member instead');
    const alreadyRevoked = invitation.revokedAt !== null;
    invitation.revokedAt ??= now;
    return { result: true, audit: { action: 'invitation.revoke', subjectType: 'Invitation', subjectId: id, data: { email: invitation.email, alreadyRevoked } } };
  });
}

/** Off-boarding: the open invitations this member sent, revoked in the caller's transaction. Returns how many. */
export function revokeInvitationsSentBy(em: EntityManager, orgId: string, userId: string, now: Date): Promise<number> {
  return em.nativeUpdate(InvitationEntity, { orgId, invitedBy: userId, acceptedAt: null, revokedAt: null }, { revokedAt: now });
}

/**
 * Why the sender can no longer stand behind this invitation (null when they can): they
 * left, may no longer invite, or may no longer grant one of its roles. Runs in the
 * accepting transaction, against the sender's roles as they are now.
 */
export async function senderRefusal(em: EntityManager, orgId: string, senderId: string, roles: RoleEntity[]): Promise<string | null> {
  if (!(await em.findOne(MembershipEntity, { orgId, userId: senderId }))) return 'inviter_not_member';
  const ability = abilityFromPacked(await abilityRules(em, orgId, senderId));
  if (!can(ability, 'create', 'Invitation')) return 'inviter_cannot_invite';
  if (roles.some((role) => firstEscalation(ability, effectiveRules(role)) !== null)) return 'inviter_cannot_grant';
  return null;
}
