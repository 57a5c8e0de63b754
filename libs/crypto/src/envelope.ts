// Envelope encryption (AES-256-GCM): each organisation has a data key per subgraph,
// stored wrapped by the deployment's master key; secrets and files are encrypted
// under the org's data key. Rotating the master key re-wraps data keys only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
/** GCM accepts shorter tags unless told otherwise; a 4-byte tag is forgeable by brute force. Only full tags pass. */
export const TAG_BYTES = 16;

export class CryptoError extends Error {}

export function parseKey(base64: string, what = 'key'): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new CryptoError(`${what} must be 32 bytes, base64`);
  return key;
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts; `aad` binds the value to its place (org, field). */
export function encrypt(key: Buffer, plaintext: Buffer | string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new CryptoError('not a sealed value');
  const decipher = gcmDecipher(key, Buffer.from(iv, 'base64url'), Buffer.from(tag, 'base64url'), aad);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  } catch {
    throw new CryptoError('sealed value failed authentication');
  }
}

export const wrapDataKey = (master: Buffer, dataKey: Buffer, orgId: string): string => encrypt(master, dataKey, `data-key:${orgId}`);
export const unwrapDataKey = (master: Buffer, wrapped: string, orgId: string): Buffer => decrypt(master, wrapped, `data-key:${orgId}`);

/** Streaming AES-256-GCM for files: the IV travels in front of the ciphertext, the tag is stored apart. */
export function fileCipher(key: Buffer, aad: string) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  return { iv, cipher };
}

export function fileDecipher(key: Buffer, iv: Buffer, tag: Buffer, aad: string) {
  return gcmDecipher(key, iv, tag, aad);
}

/** The one place that opens AES-256-GCM: a 12-byte IV and a full 16-byte tag, nothing shorter. */
function gcmDecipher(key: Buffer, iv: Buffer, tag: Buffer, aad: string) {
  if (iv.length !== IV_BYTES) throw new CryptoError(`iv must be ${IV_BYTES} bytes`);
  if (tag.length !== TAG_BYTES) throw new CryptoError(`authentication tag must be ${TAG_BYTES} bytes`);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return decipher;
}
