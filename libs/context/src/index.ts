// The signed request context. The gateway is the only holder of the context
// private key: it resolves the caller once and hands every subgraph a short-lived
// JWS naming the actor. Subgraphs trust nothing else about who is calling.
// Service-to-service calls (outbox relay, membership checks) use a second key.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';

/** CASL rules packed with `packRules` (see libs/authz). */
export type PackedRules = unknown[];

export type ActorKind = 'user' | 'apiKey' | 'anonymous';

export interface Actor {
  kind: ActorKind;
  orgId: string | null;
  userId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
  rules: PackedRules;
  /** set when the session may do one thing only (enrol in MFA the org requires); rules are then empty */
  restriction?: 'mfa-enrollment';
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface RequestContextClaims {
  actor: Actor;
  meta: RequestMeta;
}

export const CONTEXT_HEADER = 'x-packets-context';
export const SERVICE_HEADER = 'x-packets-service';
const CONTEXT_TYP = 'packets-ctx+jwt';
const SERVICE_TYP = 'packets-svc+jwt';
const ISSUER = 'packets-gateway';
export const CONTEXT_TTL_SECONDS = 60;
const SERVICE_TTL_SECONDS = 60;

export const ANONYMOUS: Readonly<Actor> = Object.freeze({
  kind: 'anonymous', orgId: null, userId: null, sessionId: null, apiKeyId: null, rules: [],
});

export class ContextVerificationError extends Error {}

function seconds(date: Date): number {
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

function bodyDigest(body: string): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** Signs a service-to-service call; the token binds the exact request body. */
export async function signServiceCall(
  service: string, audience: string, body: string, key: KeyObject, now: Date = new Date(),
): Promise<string> {
  return new SignJWT({ bdy: bodyDigest(body) })
    .setProtectedHeader({ alg: 'EdDSA', typ: SERVICE_TYP })
    .setIssuer(`packets-service:${service}`)
    .setAudience(audience)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + SERVICE_TTL_SECONDS)
    .sign(key);
}

export async function verifyServiceCall(
  token: string | undefined | null, audience: string, body: string, key: KeyObject, now: Date = new Date(),
): Promise<{ service: string }> {
  if (!token) throw new ContextVerificationError('missing service token');
  try {
    const { payload } = await jwtVerify(token, key, {
      audience, typ: SERVICE_TYP, algorithms: ['EdDSA'], currentDate: now, maxTokenAge: SERVICE_TTL_SECONDS,
    });
    if (payload.bdy !== bodyDigest(body)) throw new ContextVerificationError('service token does not match body');
    const iss = payload.iss ?? '';
    if (!iss.startsWith('packets-service:')) throw new ContextVerificationError('unknown service issuer');
    return { service: iss.slice('packets-service:'.length) };
  } catch (err) {
    if (err instanceof ContextVerificationError) throw err;
    throw new ContextVerificationError('invalid service token');
  }
}
