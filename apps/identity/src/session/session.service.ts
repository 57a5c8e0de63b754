// Sessions: opened by sign-in, sign-up, MFA, invitations and SSO; listed and ended by
// their member (another member's with the Session permission); and bearer tokens
// resolved for the gateway (API keys by apikey/). Tokens are opaque random (256 bits),
// stored as SHA-256, checked on every request (expiry, idle timeout, revocation). A
// session's limits are the org's settings as they are now, not as they were when it
// opened: its expiry is computed at each resolution from its start and the current
// absolute lifetime, its idle end from the current idle timeout, and once the org
// requires MFA a session opened without a second factor is refused (sign in again).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomToken, sha256Hex } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { buildEvent, writeAuditEvent } from '@packets/audit-log';
import type { Actor, RequestMeta } from '@packets/context';
import { notFound, runtimeNow, unauthenticated, validate } from '@packets/graphql';
import { abilityRules } from '../role/role.rules';
import { MembershipEntity } from '../membership/membership.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { API_KEY_PREFIX, resolveApiKey } from '../apikey/apikey.service';
import { SessionEntity } from './session.entity';
import { toSession, type Session } from './session.type';
import type { IdentityContext, IdentityRuntime } from '../identity.context';

export const SESSION_TOKEN_PREFIX = 'pks_';
/** last_seen_at is written at most this often, so reads do not each cost a write */
const LAST_SEEN_RESOLUTION_MS = 15_000;

export function createSession(
  em: EntityManager, org: OrganizationEntity, userId: string, meta: RequestMeta, now: Date,
  opts: { method?: SessionEntity['method']; mfaEnrollmentRequired?: boolean } = {},
): { token: string; session: SessionEntity } {
  const token = randomToken(SESSION_TOKEN_PREFIX);
  const session = em.create(SessionEntity, {
    id: randomUUID(),
    orgId: org.id,
    userId,
    tokenHash: sha256Hex(token),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + org.sessionAbsoluteLifetimeMinutes * 60_000),
    revokedAt: null,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
    method: opts.method ?? 'password',
    mfaVerified: opts.method === 'mfa',
    mfaEnrollmentRequired: opts.mfaEnrollmentRequired ?? false,
  });
  return { token, session };
}

interface SessionRow {
  id: string;
  user_id: string;
  org_id: string;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
  idle_minutes: number;
  lifetime_minutes: number;
  mfa_required: boolean;
  mfa_verified: boolean;
  mfa_enrollment_required: boolean;
}

/** When a session ends under its org's current absolute lifetime (the value stored at creation is only a first guess). */
export function sessionExpiry(createdAt: Date, lifetimeMinutes: number): Date {
  return new Date(createdAt.getTime() + lifetimeMinutes * 60_000);
}

/** Why a session may not be used now, or null when it may. */
export function sessionRefusal(
  s: { revokedAt: Date | null; createdAt: Date; lastSeenAt: Date; mfaVerified: boolean; mfaEnrollmentRequired: boolean },
  org: { lifetimeMinutes: number; idleMinutes: number; mfaRequired: boolean }, now: Date,
): 'revoked' | 'expired' | 'idle' | 'mfa_required' | null {
  if (s.revokedAt) return 'revoked';
  if (sessionExpiry(s.createdAt, org.lifetimeMinutes) <= now) return 'expired';
  if (s.lastSeenAt.getTime() + org.idleMinutes * 60_000 <= now.getTime()) return 'idle';
  // an enrolment-only session is already restricted to setting MFA up
  if (org.mfaRequired && !s.mfaVerified && !s.mfaEnrollmentRequired) return 'mfa_required';
  return null;
}

export interface Resolved { actor: Actor; expiresAt: Date | null }

/** The actor behind a bearer token (session or API key), or null when unknown, revoked or expired. */
export async function resolveBearer(
  runtime: IdentityRuntime, token: string, from: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): Promise<Resolved | null> {
  if (token.length > 200) return null;
  if (token.startsWith(SESSION_TOKEN_PREFIX)) return resolveSession(runtime, token, from);
  if (token.startsWith(API_KEY_PREFIX)) return resolveApiKey(runtime, token);
  return null;
}

async function resolveSession(runtime: IdentityRuntime, token: string, from: { ip: string | null; userAgent: string | null }): Promise<Resolved | null> {
  const em = runtime.orm.em.fork();
  const hash = sha256Hex(token);
  const found = await em.execute<{ session_id: string; org_id: string }[]>(
    'select session_id, org_id from identity.session_by_token(?)', [hash],
  );
  const orgId = found[0]?.org_id;
  if (!orgId) return null;
  const now = runtimeNow(runtime);
  let refused = null as { session: SessionRow; reason: string } | null; // set inside the transaction
  const resolved = await tenantTx(em, orgId, async (tem) => {
    const rows = await tem.execute<SessionRow[]>(
      `select s.id, s.user_id, s.org_id, s.created_at, s.last_seen_at, s.revoked_at, s.mfa_enrollment_required, s.mfa_verified,
              o.session_idle_timeout_minutes as idle_minutes, o.session_absolute_lifetime_minutes as lifetime_minutes,
              o.mfa_required
         from identity.sessions s join identity.organizations o on o.id = s.org_id
        where s.token_hash = ?`, [hash],
    );
    const s = rows[0];
    if (!s) return null;
    const lastSeen = new Date(s.last_seen_at);
    const reason = sessionRefusal(
      { revokedAt: s.revoked_at, createdAt: new Date(s.created_at), lastSeenAt: lastSeen, mfaVerified: s.mfa_verified, mfaEnrollmentRequired: s.mfa_enrollment_required },
      { lifetimeMinutes: s.lifetime_minutes, idleMinutes: s.idle_minutes, mfaRequired: s.mfa_required }, now,
    );
    if (reason) {
      refused = { session: s, reason };
      return null;
    }
    if (now.getTime() - lastSeen.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await tem.execute('update identity.sessions set last_seen_at = ? where id = ?', [now, s.id]);
    }
    const base = { kind: 'user' as const, orgId: s.org_id, userId: s.user_id, sessionId: s.id, apiKeyId: null };
    const expiresAt = sessionExpiry(new Date(s.created_at), s.lifetime_minutes);
    // an org that requires MFA: until this member enrols, the session can do nothing else
    if (s.mfa_enrollment_required) return { actor: { ...base, rules: [], restriction: 'mfa-enrollment' as const }, expiresAt };
    return { actor: { ...base, rules: await abilityRules(tem, s.org_id, s.user_id) }, expiresAt };
  });
  if (refused) await recordRefusedSession(runtime, em, refused.session, refused.reason, from);
  return resolved;
}

/**
 * A known session that is revoked, expired or idle is an UNAUTHENTICATED attempt on a
 * known session: it goes to the audit log (feeding the denied-burst alert), in its own
 * transaction since resolution writes nothing else.
 */
async function recordRefusedSession(
  runtime: IdentityRuntime, em: EntityManager, s: SessionRow, reason: string, from: { ip: string | null; userAgent: string | null },
): Promise<void> {
  const actor: Actor = { kind: 'user', orgId: s.org_id, userId: s.user_id, sessionId: s.id, apiKeyId: null, rules: [] };
  const event = buildEvent(runtime.name, actor, { requestId: randomUUID(), ...from }, {
    action: 'auth.session_rejected', outcome: 'denied', subjectType: 'Session', subjectId: s.id, data: { reason },
  });
  await tenantTx(em, s.org_id, (tem) => writeAuditEvent(tem, runtime.name, event));
  runtime.relay?.kick();
}

/** Your own sessions need no permission, only a session; anonymous callers get UNAUTHENTICATED. */
function requireSignedIn(ctx: IdentityContext): void {
  if (!ctx.isAuthenticated) throw unauthenticated();
}

/** Your open sessions, or another member's with the Session permission; the expiry shown is the current one. */
export async function listSessions(ctx: IdentityContext, userId?: string | null): Promise<Session[]> {
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
      .map((s) => toSession(s, ctx.actor.sessionId, sessionExpiry(s.createdAt, settings.lifetimeMinutes)));
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
