// Resolves a bearer token into an actor by asking identity (which checks expiry,
// idle timeout and revocation on every call: nothing is cached here, so a revoked
// session fails on the very next request).
import type { KeyObject } from 'node:crypto';
import { SERVICE_HEADER, signServiceCall, type Actor } from '@packets/context';
import { unauthenticated, appError, ErrorCode } from '@packets/http';
import { fetcher } from './signed-data-source';

export const SESSION_AUDIENCE = 'identity:session';

export class SessionClient {
  constructor(private readonly identityUrl: string, private readonly key: KeyObject) {}

  /** The actor behind a token; UNAUTHENTICATED when it is not live. */
  async resolve(token: string, from: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null }): Promise<Actor> {
    const resolved = await this.lookup(token, from);
    if (!resolved) throw unauthenticated('Session is invalid, expired or revoked', 401);
    return resolved.actor;
  }

  /** The actor and expiry behind a token, or null when it is not live. */
  async lookup(token: string, from: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null }): Promise<{ actor: Actor; expiresAt: Date | null } | null> {
    // where the request came from: identity records a refused (revoked, expired) session with it
    const body = JSON.stringify({ token, ip: from.ip, userAgent: from.userAgent });
    const signed = await signServiceCall('gateway', SESSION_AUDIENCE, body, this.key);
    let res: Awaited<ReturnType<typeof fetcher>>;
    try {
      res = await fetcher(`${this.identityUrl}/internal/session`, {
        method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: signed }, body,
      });
    } catch {
      throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service unavailable', { http: { status: 503 } });
    }
    if (res.status === 401) return null;
    if (!res.ok) throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service error', { http: { status: 503 } });
    const json = (await res.json()) as { actor: Actor; expiresAt: string | null };
    return { actor: json.actor, expiresAt: json.expiresAt ? new Date(json.expiresAt) : null };
  }
}
