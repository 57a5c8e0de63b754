// The signed request context. The gateway is the only holder of the context
// private key: it resolves the caller once and hands every subgraph a short-lived
// JWS naming the actor. Subgraphs trust nothing else about who is calling.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';

/** CASL rules packed with `packRules` (see libs/authz). */
export type PackedRules = unknown[];

export type ActorKind = 'user' | 'apiKey' | 'anonymous';

export interface Actor {
  kind: ActorKind;
  orgId: string | null;
  userId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
  /** an API key's creator: separation-of-duty checks count what the key does as that member's own doing */
  keyOwnerId?: string | null;
  rules: PackedRules;
  /** set when the session may do one thing only (enrol in MFA the org requires); rules are then empty */
  restriction?: 'mfa-enrollment';
}

/** The client's operation as the gateway parsed it: the subgraphs record it in their access events. */
export interface OperationMeta {
  name: string | null;
  type: 'query' | 'mutation' | 'subscription';
  documentSha256: string;
  /** top-level fields of the client's operation (at most 50) */
  fields: string[];
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** set by the gateway for GraphQL operations (not for raw routes such as uploads) */
  operation?: OperationMeta;
}

export interface RequestContextClaims {
  actor: Actor;
  meta: RequestMeta;
}

export const CONTEXT_HEADER = 'x-packets-context';
const CONTEXT_TYP = 'packets-ctx+jwt';
const ISSUER = 'packets-gateway';
export const CONTEXT_TTL_SECONDS = 60;

export const ANONYMOUS: Readonly<Actor> = Object.freeze({
  kind: 'anonymous', orgId: null, userId: null, sessionId: null, apiKeyId: null, rules: [],
});

export class ContextVerificationError extends Error {}

export function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export async function signRequestContext(
  claims: RequestContextClaims, audience: string, key: KeyObject, now: Date = new Date(),
): Promise<string> {
  return new SignJWT({ act: claims.actor, meta: claims.meta })
    .setProtectedHeader({ alg: 'EdDSA', typ: CONTEXT_TYP })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + CONTEXT_TTL_SECONDS)
    .setJti(claims.meta.requestId)
    .sign(key);
}

export async function verifyRequestContext(
  token: string | undefined | null, audience: string, key: KeyObject, now: Date = new Date(),
): Promise<RequestContextClaims> {
  if (!token) throw new ContextVerificationError('missing request context');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER, audience, typ: CONTEXT_TYP, algorithms: ['EdDSA'],
      currentDate: now, maxTokenAge: CONTEXT_TTL_SECONDS, requiredClaims: ['exp', 'iat', 'jti'],
    });
    const actor = payload.act as Actor | undefined;
    const meta = payload.meta as RequestMeta | undefined;
    if (!actor || !meta || !Array.isArray(actor.rules)) throw new ContextVerificationError('malformed request context');
    return { actor, meta };
  } catch (err) {
    if (err instanceof ContextVerificationError) throw err;
    if (err instanceof joseErrors.JOSEError) throw new ContextVerificationError(`invalid request context: ${err.code}`);
    throw new ContextVerificationError('invalid request context');
  }
}

