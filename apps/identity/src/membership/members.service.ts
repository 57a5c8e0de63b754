// Members: listing, invitations by mail, acceptance, off-boarding and role
// assignment. The last Owner can neither leave nor lose the Owner role.
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { appError, assertFieldWrite, badInput, decodeCursor, ErrorCode, notFound, pageSize, toConnection, unauthenticated, validate, type ConnectionShape } from '@packets/graphql';
import { MembershipEntity, MembershipRoleEntity, RoleEntity } from './membership.entity';
import { addMember } from './membership.service';
import { InvitationEntity } from '../invitation/invitation.entity';
import { revokeInvitationsSentBy, senderRefusal } from '../invitation/invitation.service';
import { OrganizationEntity } from '../organization/organization.entity';
import { toOrganization } from '../organization/organization.type';
import { UserEntity } from '../user/user.entity';
import { toUser } from '../user/user.type';
import { SessionEntity } from '../session/session.entity';
import { createSession } from '../session/session.service';
import { ApiKeyEntity } from '../apikey/apikey.entity';
import { assertRolesGrantable } from '../role/role.service';
import { newPassword } from '../security/password-policy';
import { auditedRefusal } from '../security/denied';
import type { IdentityContext } from '../identity.context';
import type { AuthPayload } from '../auth/auth.types';
import type { AcceptInvitationInput, InviteMemberInput, Membership } from './membership.type';

export const INVITATION_PREFIX = 'pki_';
const INVITATION_DAYS = 7;

export async function listMembers(ctx: IdentityContext, first?: number | null, after?: string | null): Promise<ConnectionShape<Membership>> {
  ctx.authorize('read', 'Membership');
  const size = pageSize(first, 50);
  const cursor = decodeCursor(after);
  const rows = await ctx.tx((em) => em.find(MembershipEntity, {
    orgId: ctx.orgId,
    ...(cursor ? { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] } : {}),
  }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 }));
  return toConnection(rows, size, (m) => ({ id: m.id, createdAt: m.createdAt, userId: m.userId }));
}

async function rolesByIds(em: EntityManager, orgId: string, ids: string[]): Promise<RoleEntity[]> {
  const unique = [...new Set(ids)];
  if (!unique.every(validate.isUuid)) throw badInput('roleIds contains an invalid id', 'roleIds');
  const roles = unique.length ? await em.find(RoleEntity, { orgId, id: { $in: unique } }) : [];
  if (roles.length !== unique.length) throw badInput('roleIds contains an unknown role', 'roleIds');
  return roles;
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

export async function inviteMember(ctx: IdentityContext, input: InviteMemberInput) {
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
  return { invitation, roles };
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
    const invitations = await revokeInvitationsSentBy(em, ctx.orgId, userId, now);
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
      result: { id: membership.id, createdAt: membership.createdAt, userId },
      audit: { action: 'member.roles.assign', subjectType: 'Membership', subjectId: userId,
        data: { before: current.map((r) => r.name), after: next.map((r) => r.name) } },
    };
  });
}
