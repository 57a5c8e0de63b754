// Resolves a bearer token into an actor by asking identity (which checks expiry,
// idle timeout and revocation on every call: nothing is cached here, so a revoked
// session fails on the very next request).
import type { KeyObject } from 'node:crypto';
import { SERVICE_HEADER, signServiceCall, type Actor } from '@packets/context';
import { unauthenticated, appError, ErrorCode } from '@packets/graphql';
import { fetcher } from './signed-data-source';

export const SESSION_AUDIENCE = 'identity:session';

export class SessionClient {
  constructor(private readonly identityUrl: string, private readonly key: KeyObject) {}

  async resolve(token: string): Promise<Actor> {
    const body = JSON.stringify({ token });
    const signed = await signServiceCall('gateway', SESSION_AUDIENCE, body, this.key);
    let res: Awaited<ReturnType<typeof fetcher>>;
    try {
      res = await fetcher(`${this.identityUrl}/internal/session`, {
        method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: signed }, body,
      });
    } catch {
      throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service unavailable', { http: { status: 503 } });
    }
    if (res.status === 401) throw unauthenticated('Session is invalid, expired or revoked', 401);
    if (!res.ok) throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service error', { http: { status: 503 } });
    return ((await res.json()) as { actor: Actor }).actor;
  }
}
