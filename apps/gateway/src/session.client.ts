// Resolves a bearer token into an actor by asking identity (the sessionLookup
// protocol: identity checks expiry, idle timeout and revocation on every call; nothing
// is cached here, so a revoked session fails on the very next request).
import type { KeyObject } from 'node:crypto';
import { callService, sessionLookup, type Actor, type ServiceCaller, type ServiceResult, type SessionAnswer } from '@packets/context';
import { unauthenticated, appError, ErrorCode } from '@packets/http';
import { fetcher } from './signed-data-source';

export class SessionClient {
  private readonly caller: ServiceCaller;

  constructor(private readonly identityUrl: string, key: KeyObject) {
    this.caller = { service: 'gateway', key, fetch: fetcher };
  }

  /** The actor behind a token; UNAUTHENTICATED when it is not live. */
  async resolve(token: string, from: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null }): Promise<Actor> {
    const resolved = await this.lookup(token, from);
    if (!resolved) throw unauthenticated('Session is invalid, expired or revoked', 401);
    return resolved.actor;
  }

  /** The actor and expiry behind a token, or null when it is not live. */
  async lookup(token: string, from: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null }): Promise<{ actor: Actor; expiresAt: Date | null } | null> {
    let r: ServiceResult<SessionAnswer>;
    try {
      // where the request came from: identity records a refused (revoked, expired) session with it
      r = await callService(sessionLookup, this.caller, this.identityUrl, { token, ip: from.ip, userAgent: from.userAgent });
    } catch {
      throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service unavailable', { http: { status: 503 } });
    }
    if (r.status === 401) return null;
    if (!r.ok) throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service error', { http: { status: 503 } });
    return { actor: r.answer.actor, expiresAt: r.answer.expiresAt ? new Date(r.answer.expiresAt) : null };
  }
}
