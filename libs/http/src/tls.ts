// How a service serves HTTPS (TLS_CERT_FILE / TLS_KEY_FILE): TLS 1.2 at least, forward-secret
// AEAD suites only, the server's order preferred; HSTS on every HTTPS answer.
import type { ServerOptions } from 'node:https';
import type { TlsSettings } from '@packets/config';

/** TLS 1.3 suites, then ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2 (Mozilla's "intermediate" list, without DHE). */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export const HSTS = 'max-age=31536000; includeSubDomains';

export function httpsOptions(tls: TlsSettings): ServerOptions {
  return { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true };
}
