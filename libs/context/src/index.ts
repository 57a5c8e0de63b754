// The signed request context. The gateway is the only holder of the context
// private key: it resolves the caller once and hands every subgraph a short-lived
// JWS naming the actor. Subgraphs trust nothing else about who is calling.
// Service-to-service calls (outbox relay, membership checks, session look-ups) are
// signed with the calling service's own key: every service, the gateway included,
// has one, and a receiver holds the public keys of the senders it accepts
// (docs/decisions/0009-key-map.md). The context key signs request contexts only.
import { SignJWT, decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
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
export const SERVICE_HEADER = 'x-packets-service';
const CONTEXT_TYP = 'packets-ctx+jwt';
const SERVICE_TYP = 'packets-svc+jwt';
const SERVICE_ISSUER_PREFIX = 'packets-service:';
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
    .setIssuer(`${SERVICE_ISSUER_PREFIX}${service}`)
    .setAudience(audience)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + SERVICE_TTL_SECONDS)
    .sign(key);
}

/**
 * The senders a receiver accepts, by service name, each with its public key.
 * A call is verified with the key of the service it names, so the verified
 * signer is known: nothing signed by one service passes as another.
 */
export type ServiceKeys = ReadonlyMap<string, KeyObject>;

/** The accepted senders among all known service public keys; a name without a key is a configuration error. */
export function serviceKeys(known: Readonly<Record<string, KeyObject | undefined>>, ...senders: string[]): ServiceKeys {
  return new Map(senders.map((name) => {
    const key = known[name];
    if (!key) throw new Error(`no service public key for ${name}`);
    return [name, key] as const;
  }));
}

/** Verifies a service call against the key of the sender it names; returns that verified sender. */
export async function verifyServiceCall(
  token: string | undefined | null, audience: string, body: string, senders: ServiceKeys, now: Date = new Date(),
): Promise<{ service: string }> {
  if (!token) throw new ContextVerificationError('missing service token');
  let iss: string;
  try {
    iss = decodeJwt(token).iss ?? '';
  } catch {
    throw new ContextVerificationError('invalid service token');
  }
  const service = iss.startsWith(SERVICE_ISSUER_PREFIX) ? iss.slice(SERVICE_ISSUER_PREFIX.length) : '';
  const key = senders.get(service);
  if (!key) throw new ContextVerificationError('service not accepted here');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: iss, audience, typ: SERVICE_TYP, algorithms: ['EdDSA'], currentDate: now, maxTokenAge: SERVICE_TTL_SECONDS,
    });
    if (payload.bdy !== bodyDigest(body)) throw new ContextVerificationError('service token does not match body');
    return { service };
  } catch (err) {
    if (err instanceof ContextVerificationError) throw err;
    throw new ContextVerificationError('invalid service token');
  }
}
