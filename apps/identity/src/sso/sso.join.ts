// Just-in-time membership of a person who already has an account (issue 8): an SSO
// sign-in never adopts them. It leaves a join request and mails them; only they,
// signed in with their own credentials (password, MFA: whatever their account
// needs), can confirm it with the mailed token. The identity provider and the
// domain's mailboxes belong to the org asking, so neither alone is their consent.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { appError, ErrorCode, notFound, unauthenticated } from '@packets/graphql';
import { SsoConnectionEntity, SsoJoinRequestEntity } from './sso.entity';
import { domainVerified } from './sso.domains';
import { jitRole } from './sso.service';
import { MembershipEntity } from '../membership/membership.entity';
import type { RoleEntity } from '../role/role.entity';
import { addMember } from '../membership/membership.service';
import { OrganizationEntity } from '../organization/organization.entity';
import type { IdentityContext, IdentityRuntime } from '../identity.context';

export const JOIN_PREFIX = 'pkj_';
const JOIN_HOURS = 24;

/**
 * Records the request (replacing an older unconfirmed one of the same person) inside
 * the org's tenant transaction; returns the token to mail, which is stored as SHA-256 only.
 */
export async function createJoinRequest(tem: EntityManager, orgId: string, userId: string, email: string, role: RoleEntity,
  now: Date): Promise<{ request: SsoJoinRequestEntity; token: string }> {
  await tem.nativeDelete(SsoJoinRequestEntity, { orgId, userId, confirmedAt: null });
  const token = randomToken(JOIN_PREFIX);
  const request = tem.create(SsoJoinRequestEntity, {
    id: randomUUID(), orgId, userId, email, roleId: role.id, tokenHash: sha256Hex(token), createdAt: now,
    expiresAt: new Date(now.getTime() + JOIN_HOURS * 3_600_000), confirmedAt: null,
  });
  await tem.flush();
  return { request, token };
}

export async function mailJoinRequest(runtime: IdentityRuntime, to: string, orgName: string, token: string, expiresAt: Date): Promise<void> {
  const link = `${runtime.publicUrl}/confirm-sso-join?token=${encodeURIComponent(token)}`;
  await runtime.mailer.send({
    to,
    subject: `Confirm joining ${orgName} on Packets`,
    text: `Someone signed in to ${orgName} through its single sign-on as ${to}. Your Packets account belongs to another `
      + `organisation, so it is not added to ${orgName} unless you confirm.\n\n`
      + `If this was you: sign in to Packets with your usual credentials, then open ${link}\n\n`
      + `Confirmation token: ${token}\n\nThe request expires on ${expiresAt.toISOString()}. If it was not you, ignore this mail: nothing changes.\n`,
  }).catch((err: unknown) => console.warn(`SSO join mail to ${to} failed: ${String(err)}`));
}

/**
 * The person confirms, signed in to their own account (a full session, not an API key
 * or a session limited to MFA enrolment). Another person's token, a used or expired one,
 * or an org that turned JIT off or gave the domain up all answer NOT_FOUND alike.
 */
export async function confirmSsoJoin(ctx: IdentityContext, rawToken: string): Promise<boolean> {
  const { actor } = ctx;
  if (actor.kind !== 'user' || !actor.userId || !actor.sessionId || actor.restriction) {
    throw unauthenticated('Sign in with your own account to confirm');
  }
  const token = rawToken.trim();
  const invalid = () => notFound('SSO join request');
  if (!token.startsWith(JOIN_PREFIX) || token.length > 200) throw invalid();
  const hash = sha256Hex(token);
  const found = await ctx.em.execute<{ join_id: string; org_id: string }[]>('select join_id, org_id from identity.sso_join_by_token(?)', [hash]);
  const orgId = found[0]?.org_id;
  if (!orgId) throw invalid();
  const now = ctx.now();
  const userId = actor.userId;
  const pending = await tenantTx(ctx.em, orgId, (em) => em.findOne(SsoJoinRequestEntity, { tokenHash: hash }));
  if (!pending || pending.confirmedAt || pending.expiresAt <= now || pending.userId !== userId) throw invalid();
  return ctx.mutate(async (em) => {
    // locked: confirmations of one token run one after the other; the later ones find it confirmed
    const request = await em.findOne(SsoJoinRequestEntity, { id: pending.id, confirmedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!request) throw invalid(); // confirmed concurrently
    const connection = await em.findOne(SsoConnectionEntity, { orgId });
    const domain = request.email.slice(request.email.lastIndexOf('@') + 1);
    if (!connection?.jitEnabled || !connection.allowedDomains.includes(domain) || !(await domainVerified(em, orgId, domain))) throw invalid();
    if (await em.findOne(MembershipEntity, { orgId, userId })) throw appError(ErrorCode.CONFLICT, 'You are already a member of this organisation');
    // the role JIT gives now: a request made before the Owner changed (or lowered) it keeps no older grant
    const role = await jitRole(em, orgId, connection.defaultRoleId);
    if (!role) throw invalid();
    request.confirmedAt = now;
    await addMember(em, orgId, userId, [role]);
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    return {
      result: true,
      audit: {
        action: 'member.join', subjectType: 'Membership', subjectId: userId, actorId: userId,
        data: { via: 'sso', confirmed: true, joinRequestId: request.id, email: request.email, newAccount: false, roles: [role.name], organization: org.slug,
          ...(role.id !== request.roleId ? { requestedRoleId: request.roleId } : {}) },
      },
    };
  }, orgId);
}
