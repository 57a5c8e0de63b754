// Listing and ending sessions: your own always; another member's with the Session
// permission (admins).
import { notFound, unauthenticated, validate } from '@packets/graphql';
import { SessionEntity } from './session.entity';
import { MembershipEntity } from '../membership/membership.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { sessionExpiry, sessionRefusal } from './session.service';
import type { IdentityContext } from '../identity.context';

/** Your own sessions need no permission, only a session; anonymous callers get UNAUTHENTICATED. */
function requireSignedIn(ctx: IdentityContext): void {
  if (!ctx.isAuthenticated) throw unauthenticated();
}

export async function listSessions(ctx: IdentityContext, userId?: string | null): Promise<{ session: SessionEntity; expiresAt: Date }[]> {
  requireSignedIn(ctx);
  const self = ctx.actor.userId;
  const target = userId ?? self;
  if (!target || !validate.isUuid(target)) throw notFound('Member');
  if (target !== self) ctx.authorize('read', 'Session');
  const now = ctx.now();
  return ctx.tx(async (em) => {
    if (target !== self && !(await em.findOne(MembershipEntity, { orgId: ctx.orgId, userId: target }))) throw notFound('Member');
    const org = await em.findOneOrFail(OrganizationEntity, { id: ctx.orgId });
    const settings = { lifetimeMinutes: org.sessionAbsoluteLifetimeMinutes, idleMinutes: org.sessionIdleTimeoutMinutes, mfaRequired: org.mfaRequired };
    const open = await em.find(SessionEntity, { orgId: ctx.orgId, userId: target, revokedAt: null }, { orderBy: { lastSeenAt: 'desc' } });
    // live under the org's settings as they are now; the expiry shown is the current one
    return open.filter((s) => sessionRefusal(s, settings, now) === null)
      .map((s) => ({ session: s, expiresAt: sessionExpiry(s.createdAt, settings.lifetimeMinutes) }));
  });
}

export async function revokeSession(ctx: IdentityContext, id: string): Promise<boolean> {
  requireSignedIn(ctx);
  if (!validate.isUuid(id)) throw notFound('Session');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const session = await em.findOne(SessionEntity, { id });
    if (!session) throw notFound('Session');
    if (session.userId !== ctx.actor.userId) ctx.authorize('delete', 'Session');
    const alreadyEnded = session.revokedAt !== null;
    session.revokedAt ??= now;
    return { result: true, audit: { action: 'session.revoke', subjectType: 'Session', subjectId: id, data: { userId: session.userId, alreadyEnded } } };
  });
}
