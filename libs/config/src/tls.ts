// TLS_CERT_FILE and TLS_KEY_FILE: a service serves HTTPS when both are set, plain HTTP
// when neither is. Read and checked once, at start-up, so a bad file stops the process.
import { createSecureContext } from 'node:tls';
import { readFileSync } from 'node:fs';
import { ConfigError } from './index';

/** PEM contents of the certificate chain and its private key. */
export interface TlsSettings {
  cert: string;
  key: string;
}

type Env = Record<string, string | undefined>;

function readPem(name: string, path: string, label: RegExp): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`config: ${name} is invalid: cannot read ${path}`);
  }
  if (!label.test(text)) throw new ConfigError(`config: ${name} is invalid: ${path} holds no PEM ${name === 'TLS_CERT_FILE' ? 'certificate' : 'private key'}`);
  return text;
}

export function loadTls(env: Env): TlsSettings | null {
  const certFile = env.TLS_CERT_FILE ?? '';
  const keyFile = env.TLS_KEY_FILE ?? '';
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError('config: TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  const cert = readPem('TLS_CERT_FILE', certFile, /-----BEGIN CERTIFICATE-----/);
  const key = readPem('TLS_KEY_FILE', keyFile, /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
  try {
    createSecureContext({ cert, key }); // the key must be the certificate's
  } catch (err) {
    throw new ConfigError(`config: TLS_KEY_FILE does not match TLS_CERT_FILE (${err instanceof Error ? err.message : String(err)})`);
  }
  return { cert, key };
}

/**
 * The TLS parameters of a postgres:// URL (libs/db postgresSsl applies them): sslmode
 * disable or verify-full only, and an sslrootcert that can be read. null = fine.
 */
export function postgresTlsProblem(u: URL): string | null {
  const mode = u.searchParams.get('sslmode');
  if (mode !== null && mode !== 'disable' && mode !== 'verify-full') {
    return `sslmode=${mode} is not supported: use verify-full (with sslrootcert=<CA file>) or disable`;
  }
  const rootCert = u.searchParams.get('sslrootcert');
  if (rootCert !== null) {
    try {
      readFileSync(rootCert);
    } catch {
      return `cannot read sslrootcert ${rootCert}`;
    }
  }
  return null;
}
