// Invitations by mail: sent, listed and revoked by whoever may manage them (never
// granting a role the sender could not grant), accepted with the mailed token, and
// re-checked against the sender when accepted (an invitation grants nothing its sender
// could not grant today). Off-boarding a member revokes those they sent (membership/).
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { abilityFromPacked, can, firstEscalation } from '@packets/authz';
import { randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { appError, ErrorCode, notFound, unauthenticated, validate } from '@packets/graphql';
import { InvitationEntity } from './invitation.entity';
import { toInvitation, type Invitation } from './invitation.type';
import type { AcceptInvitationInput, InviteMemberInput } from './invitation.inputs';
import { MembershipEntity } from '../membership/membership.entity';
import { addMember } from '../membership/membership.service';
import { RoleEntity } from '../role/role.entity';
import { abilityRules, effectiveRules } from '../role/role.rules';
import { assertRolesGrantable, rolesByIds } from '../role/role.service';
import { OrganizationEntity } from '../organization/organization.entity';
import { toOrganization } from '../organization/organization.type';
import { UserEntity } from '../user/user.entity';
import { toUser } from '../user/user.type';
import { createSession } from '../session/session.service';
import { newPassword } from '../security/password-policy';
import { auditedRefusal } from '../security/denied';
import type { AuthPayload } from '../auth/auth.types';
import type { IdentityContext } from '../identity.context';

export const INVITATION_PREFIX = 'pki_';
const INVITATION_DAYS = 7;
/** Pending invitations are bounded by their 7-day life; the list stops here all the same. */
const LIST_LIMIT = 1000;

async function rolesOfInvitations(em: EntityManager, orgId: string, invitations: InvitationEntity[]): Promise<Map<string, RoleEntity>> {
  const ids = [...new Set(invitations.flatMap((i) => i.roleIds))];
  const roles = ids.length ? await em.find(RoleEntity, { orgId, id: { $in: ids } }) : [];
  return new Map(roles.map((r) => [r.id, r]));
}

/** Invitations that can still be accepted (not accepted, revoked or expired), newest first, with their roles. */
export async function listInvitations(ctx: IdentityContext): Promise<Invitation[]> {
  ctx.authorize('read', 'Invitation');
  const now = ctx.now();
  return ctx.tx(async (em) => {
    const rows = await em.find(InvitationEntity, { orgId: ctx.orgId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: LIST_LIMIT });
    const roles = await rolesOfInvitations(em, ctx.orgId, rows);
    return rows.map((invitation) => toInvitation(invitation,
      invitation.roleIds.map((id) => roles.get(id)).filter((r): r is RoleEntity => !!r)));
  });
}

export async function inviteMember(ctx: IdentityContext, input: InviteMemberInput): Promise<Invitation> {
  ctx.authorize('create', 'Invitation');
  const email = validate.email(input.email);
  const now = ctx.now();
  const token = randomToken(INVITATION_PREFIX);
  const { invitation, roles, org } = await ctx.mutate(async (em) => {
    const roles = input.roleIds?.length
      ? await rolesByIds(em, ctx.orgId, input.roleIds)
      : await em.find(RoleEntity, { orgId: ctx.orgId, system: true, name: 'Member' });
    auditedRefusal(ctx, { action: 'member.invite', subjectType: 'Invitation', data: { email } }, () => assertRolesGrantable(ctx, roles));
    const existing = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from identity.memberships m join identity.users u on u.id = m.user_id where m.org_id = ? and u.email = ?`,
      [ctx.orgId, email]);
    if ((existing[0]?.n ?? 0) > 0) throw appError(ErrorCode.CONFLICT, `${email} is already a member`);
    const org = await em.findOneOrFail(OrganizationEntity, { id: ctx.orgId });
    const invitation = em.create(InvitationEntity, {
      id: randomUUID(), orgId: ctx.orgId, email, roleIds: roles.map((r) => r.id), tokenHash: sha256Hex(token),
      invitedBy: ctx.actor.userId!, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
      acceptedAt: null, revokedAt: null,
    });
    return {
      result: { invitation, roles, org },
      audit: { action: 'member.invite', subjectType: 'Invitation', subjectId: invitation.id, data: { email, roles: roles.map((r) => r.name) } },
    };
  });
  // after commit: the invitation exists even if the mail fails (it can be sent again)
  const link = `${ctx.runtime.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
  await ctx.runtime.mailer.send({
    to: email,
    subject: `You are invited to ${org.name} on Packets`,
    text: `You have been invited to join ${org.name} on Packets as ${roles.map((r) => r.name).join(', ')}.\n\n`
      + `Accept: ${link}\n\nInvitation token: ${token}\n\nThe invitation expires on ${invitation.expiresAt.toISOString()} and works once.\n`,
  }).catch((err: unknown) => console.warn(`invitation mail to ${email} failed: ${String(err)}`));
  return toInvitation(invitation, roles);
}

export async function acceptInvitation(ctx: IdentityContext, input: AcceptInvitationInput): Promise<AuthPayload> {
  // Public: the token (sent to the invited address) is the credential.
  const token = input.token.trim();
  const invalid = () => unauthenticated('The invitation is invalid, used or expired');
  if (!token.startsWith(INVITATION_PREFIX) || token.length > 200) throw invalid();
  const hash = sha256Hex(token);
  const found = await ctx.em.execute<{ invitation_id: string; org_id: string }[]>('select invitation_id, org_id from identity.invitation_by_token(?)', [hash]);
  const orgId = found[0]?.org_id;
  if (!orgId) throw invalid();
  const now = ctx.now();
  const invitation = await tenantTx(ctx.em, orgId, (em) => em.findOne(InvitationEntity, { tokenHash: hash }));
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) throw invalid();
  const existing = (await ctx.em.execute<{ user_id: string }[]>('select user_id from identity.credentials_by_email(?)', [invitation.email]))[0];
  let passwordHash: string | null = null;
  let name: string | null = null;
  if (!existing) {
    name = validate.text(input.name, 'name', { max: 200 });
    passwordHash = await bcrypt.hash(newPassword(input.password ?? ''), ctx.runtime.bcryptCost);
  }
  let sessionToken = '';
  const result = await ctx.mutate<Omit<AuthPayload, 'token'> | null>(async (em) => {
    // locked: a concurrent acceptance or revocation waits, then finds it used
    const inv = await em.findOne(InvitationEntity, { id: invitation.id, acceptedAt: null, revokedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!inv) throw invalid(); // accepted or revoked concurrently
    const roles = await em.find(RoleEntity, { orgId, id: { $in: inv.roleIds } });
    // the sender must still be a member who may grant these roles, as they are now
    const refusal = await senderRefusal(em, orgId, inv.invitedBy, roles);
    if (refusal) {
      inv.revokedAt = now;
      return { result: null, audit: { action: 'member.join', outcome: 'denied' as const, subjectType: 'Invitation', subjectId: inv.id,
        data: { email: inv.email, reason: refusal } } };
    }
    inv.acceptedAt = now;
    const userId = existing?.user_id ?? randomUUID();
    if (!existing) em.create(UserEntity, { id: userId, email: inv.email, name: name!, passwordHash: passwordHash!, createdAt: now });
    await em.flush();
    const already = await em.findOne(MembershipEntity, { orgId, userId });
    if (already) throw appError(ErrorCode.CONFLICT, 'You are already a member of this organisation');
    await addMember(em, orgId, userId, roles);
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    const user = await em.findOneOrFail(UserEntity, { id: userId });
    const { token, session } = createSession(em, org, userId, ctx.meta, now, { method: 'invitation', mfaEnrollmentRequired: org.mfaRequired });
    sessionToken = token;
    return {
      result: { expiresAt: session.expiresAt, user: toUser(user), organization: toOrganization(org) },
      audit: { action: 'member.join', subjectType: 'Membership', subjectId: userId, actorId: userId,
        data: { invitationId: inv.id, email: inv.email, newAccount: !existing, roles: roles.map((r) => r.name) } },
    };
  }, orgId);
  if (!result) throw invalid();
  return { token: sessionToken, ...result };
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

/**
 * Why the sender can no longer stand behind this invitation (null when they can): they
 * left, may no longer invite, or may no longer grant one of its roles. Runs in the
 * accepting transaction, against the sender's roles as they are now.
 */
async function senderRefusal(em: EntityManager, orgId: string, senderId: string, roles: RoleEntity[]): Promise<string | null> {
  if (!(await em.findOne(MembershipEntity, { orgId, userId: senderId }))) return 'inviter_not_member';
  const ability = abilityFromPacked(await abilityRules(em, orgId, senderId));
  if (!can(ability, 'create', 'Invitation')) return 'inviter_cannot_invite';
  if (roles.some((role) => firstEscalation(ability, effectiveRules(role)) !== null)) return 'inviter_cannot_grant';
  return null;
}
