// Download tokens: HS256 JWS (jose) binding one export and its organisation, valid
// for AUDIT_EXPORT_URL_TTL_SECONDS. The key is derived from the master key, so no
// other secret needs provisioning; it never leaves the audit subgraph.
import { hkdfSync } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const TYP = 'packets-audit-export+jwt';
const ISSUER = 'packets-audit';

export function exportTokenKey(masterKey: Buffer): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'packets-audit-export-token', 32));
}

export async function signExportToken(key: Uint8Array, exportId: string, orgId: string, expiresAt: Date, now: Date): Promise<string> {
  return new SignJWT({ org: orgId })
    .setProtectedHeader({ alg: 'HS256', typ: TYP })
    .setIssuer(ISSUER)
    .setSubject(exportId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

/** A download started in time may run this long past the link's expiry (a million events take minutes). */
export const MAX_DOWNLOAD_SECONDS = 3600;

/** `continuing`: a page after the first of a download already started, which may outlive the link. */
export async function verifyExportToken(
  key: Uint8Array, token: string, now: Date, continuing = false,
): Promise<{ exportId: string; orgId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER, typ: TYP, algorithms: ['HS256'], currentDate: now, clockTolerance: continuing ? MAX_DOWNLOAD_SECONDS : 0,
    });
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') return null;
    return { exportId: payload.sub, orgId: payload.org };
  } catch {
    return null;
  }
}
