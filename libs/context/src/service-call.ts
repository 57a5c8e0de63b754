// Service-to-service calls (outbox relay, membership checks, session look-ups) are
// signed with the calling service's own key: every service, the gateway included,
// has one, and a receiver holds the public keys of the senders it accepts
// (docs/decisions/0009-key-map.md). The token binds the exact request body.
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { ContextVerificationError, seconds } from './request-context';

export const SERVICE_HEADER = 'x-packets-service';
/** the JWS `typ` of a service call */
export const SERVICE_TYP = 'packets-svc+jwt';
const SERVICE_ISSUER_PREFIX = 'packets-service:';
const SERVICE_TTL_SECONDS = 60;

/** The issuer a service signs as. */
export function serviceIssuer(service: string): string {
  return `${SERVICE_ISSUER_PREFIX}${service}`;
}

function bodyDigest(body: string): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** Signs a service-to-service call; the token binds the exact request body. Protocols sign through `callService`. */
export async function signServiceCall(
  service: string, audience: string, body: string, key: KeyObject, now: Date = new Date(), typ = SERVICE_TYP,
): Promise<string> {
  return new SignJWT({ bdy: bodyDigest(body) })
    .setProtectedHeader({ alg: 'EdDSA', typ })
    .setIssuer(serviceIssuer(service))
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

/**
 * Verifies a service call against the key of the sender it names (signature, audience,
 * `typ`, expiry, at most 60 s old, bound to this body); returns that verified sender.
 * A token signed by one service naming another fails: it is checked with the named one's key.
 */
export async function verifyServiceCall(
  token: string | undefined | null, audience: string, body: string, senders: ServiceKeys, now: Date = new Date(), typ = SERVICE_TYP,
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
      issuer: iss, audience, typ, algorithms: ['EdDSA'], currentDate: now, maxTokenAge: SERVICE_TTL_SECONDS,
    });
    if (payload.bdy !== bodyDigest(body)) throw new ContextVerificationError('service token does not match body');
    return { service };
  } catch (err) {
    if (err instanceof ContextVerificationError) throw err;
    throw new ContextVerificationError('invalid service token');
  }
}
