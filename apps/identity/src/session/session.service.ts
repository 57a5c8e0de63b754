// Sessions and API keys as bearer tokens: opaque random tokens (256 bits), stored
// as SHA-256, checked on every request (expiry, idle timeout, revocation). A
// session's limits are the org's settings as they are now, not as they were when it
// opened: its expiry is computed at each resolution from its start and the current
// absolute lifetime, its idle end from the current idle timeout, and once the org
// requires MFA a session opened without a second factor is refused (sign in again).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomToken, sha256Hex } from '@packets/crypto';
import { abilityFromPacked, firstEscalation, interpolateRules, pack, type RawRule } from '@packets/authz';
import { tenantTx } from '@packets/db';
import { buildEvent, writeAuditEvent } from '@packets/audit-log';
import type { Actor, RequestMeta } from '@packets/context';
import { abilityRules, effectiveRules } from '../membership/membership.service';
import { MembershipEntity, RoleEntity } from '../membership/membership.entity';
import { SessionEntity } from './session.entity';
import type { OrganizationEntity } from '../organization/organization.entity';
import type { IdentityRuntime } from '../identity.context';

export const SESSION_TOKEN_PREFIX = 'pks_';
export const API_KEY_PREFIX = 'pkk_';
/** last_seen_at / last_used_at are written at most this often, so reads do not each cost a write */
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
  const now = runtime.now?.() ?? new Date();
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

interface ApiKeyRow {
  id: string;
  role_id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
}

/** Whether the key's creator is still a member whose current roles cover every rule of the key's role. */
async function creatorStandsBehind(tem: EntityManager, orgId: string, creatorId: string, keyRules: RawRule[]): Promise<boolean> {
  if (!(await tem.findOne(MembershipEntity, { orgId, userId: creatorId }))) return false;
  return firstEscalation(abilityFromPacked(await abilityRules(tem, orgId, creatorId)), keyRules) === null;
}

async function resolveApiKey(runtime: IdentityRuntime, token: string): Promise<Resolved | null> {
  const em = runtime.orm.em.fork();
  const hash = sha256Hex(token);
  const found = await em.execute<{ api_key_id: string; org_id: string }[]>('select api_key_id, org_id from identity.api_key_by_hash(?)', [hash]);
  const orgId = found[0]?.org_id;
  if (!orgId) return null;
  const now = runtime.now?.() ?? new Date();
  return tenantTx(em, orgId, async (tem) => {
    const rows = await tem.execute<ApiKeyRow[]>(
      'select id, role_id, expires_at, revoked_at, last_used_at, created_by from identity.api_keys where key_hash = ?', [hash],
    );
    const k = rows[0];
    if (!k || k.revoked_at || (k.expires_at && new Date(k.expires_at) <= now)) return null;
    if (!k.last_used_at || now.getTime() - new Date(k.last_used_at).getTime() > LAST_SEEN_RESOLUTION_MS) {
      await tem.execute('update identity.api_keys set last_used_at = ? where id = ?', [now, k.id]);
    }
    const role = await tem.findOne(RoleEntity, { id: k.role_id });
    const rules: RawRule[] = role ? effectiveRules(role) : [];
    // a key is never stronger than its creator as they are now (as an invitation is re-checked
    // against its sender): once they leave, or lose a permission the key's role holds, it stops
    if (!(await creatorStandsBehind(tem, orgId, k.created_by, rules))) return null;
    return {
      actor: { kind: 'apiKey', orgId, userId: null, sessionId: null, apiKeyId: k.id, keyOwnerId: k.created_by, rules: [pack(interpolateRules(rules, { userId: null }))] },
      expiresAt: k.expires_at ? new Date(k.expires_at) : null,
    };
  });
}
