// Evidence download links: an EdDSA JWS (service key) naming one evidence file, its
// organisation and the user it was issued to, valid for EVIDENCE_LINK_TTL_SECONDS.
// The gateway checks it before forwarding; the compliance subgraph checks it again.
import type { KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const DOWNLOAD_TOKEN_TYP = 'packets-evidence+jwt';
export const DOWNLOAD_TOKEN_AUDIENCE = 'packets-evidence-download';
const ISSUER = 'packets-service:compliance';

export interface DownloadClaims {
  evidenceId: string;
  orgId: string;
  /** who the link was issued to (recorded in the audit event of the download) */
  actorKind: 'user' | 'apiKey';
  actorId: string;
}

export async function signDownloadToken(key: KeyObject, claims: DownloadClaims, now: Date, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ org: claims.orgId, akd: claims.actorKind, aid: claims.actorId })
    .setProtectedHeader({ alg: 'EdDSA', typ: DOWNLOAD_TOKEN_TYP })
    .setIssuer(ISSUER)
    .setAudience(DOWNLOAD_TOKEN_AUDIENCE)
    .setSubject(claims.evidenceId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired link token; null for anything else. */
export async function verifyDownloadToken(key: KeyObject, token: string, now: Date): Promise<DownloadClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER, audience: DOWNLOAD_TOKEN_AUDIENCE, typ: DOWNLOAD_TOKEN_TYP, algorithms: ['EdDSA'], currentDate: now,
      requiredClaims: ['exp', 'sub'],
    });
    const { sub, org, akd, aid } = payload;
    if (typeof sub !== 'string' || typeof org !== 'string' || typeof aid !== 'string' || (akd !== 'user' && akd !== 'apiKey')) return null;
    return { evidenceId: sub, orgId: org, actorKind: akd, actorId: aid };
  } catch {
    return null;
  }
}
