// Sessions: opaque random tokens (256 bits), stored as SHA-256, with the org's
// idle and absolute limits enforced on every resolution.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomToken, sha256Hex } from '@packets/crypto';
import { abilityRules } from '../membership/membership.service';
import { tenantTx } from '@packets/db';
import type { Actor, RequestMeta } from '@packets/context';
import { SessionEntity } from './session.entity';
import type { OrganizationEntity } from '../organization/organization.entity';
import type { IdentityRuntime } from '../identity.context';

export const SESSION_TOKEN_PREFIX = 'pks_';
/** last_seen_at is written at most this often, so reads do not each cost a write */
const LAST_SEEN_RESOLUTION_MS = 15_000;

export function createSession(
  em: EntityManager, org: OrganizationEntity, userId: string, meta: RequestMeta, now: Date,
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
  });
  return { token, session };
}

interface SessionRow {
  id: string;
  user_id: string;
  org_id: string;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  idle_minutes: number;
}

/** The actor behind a bearer token, or null when the token is unknown, revoked or expired. */
export async function resolveSession(runtime: IdentityRuntime, token: string): Promise<Actor | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 200) return null;
  const em = runtime.orm.em.fork();
  const hash = sha256Hex(token);
  const found = await em.execute<{ session_id: string; org_id: string }[]>(
    'select session_id, org_id from identity.session_by_token(?)', [hash],
  );
  const orgId = found[0]?.org_id;
  if (!orgId) return null;
  const now = runtime.now?.() ?? new Date();
  return tenantTx(em, orgId, async (tem) => {
    const rows = await tem.execute<SessionRow[]>(
      `select s.id, s.user_id, s.org_id, s.last_seen_at, s.expires_at, s.revoked_at, o.session_idle_timeout_minutes as idle_minutes
         from identity.sessions s join identity.organizations o on o.id = s.org_id
        where s.token_hash = ?`, [hash],
    );
    const s = rows[0];
    if (!s || s.revoked_at) return null;
    const lastSeen = new Date(s.last_seen_at);
    if (new Date(s.expires_at) <= now) return null;
    if (lastSeen.getTime() + s.idle_minutes * 60_000 <= now.getTime()) return null;
    if (now.getTime() - lastSeen.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await tem.execute('update identity.sessions set last_seen_at = ? where id = ?', [now, s.id]);
    }
    const rules = await abilityRules(tem, s.org_id, s.user_id);
    return { kind: 'user', orgId: s.org_id, userId: s.user_id, sessionId: s.id, apiKeyId: null, rules };
  });
}
