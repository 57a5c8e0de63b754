// Development secrets: generated once into the local data folder (never
// committed, never a default), and announced. Production passes real ones by env.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateSigningKeyPair } from '@packets/crypto';

export interface DevSecrets {
  contextPrivateKey: string;
  contextPublicKey: string;
  servicePrivateKey: string;
  servicePublicKey: string;
  appDbPassword: string;
  embeddedPgPassword: string;
  masterKey: string;
  auditSigningPrivateKey: string;
  auditSigningPublicKey: string;
}

export function generateSecrets(): DevSecrets {
  const context = generateSigningKeyPair();
  const service = generateSigningKeyPair();
  const audit = generateSigningKeyPair();
  return {
    contextPrivateKey: context.privateKey,
    contextPublicKey: context.publicKey,
    servicePrivateKey: service.privateKey,
    servicePublicKey: service.publicKey,
    appDbPassword: randomBytes(24).toString('base64url'),
    embeddedPgPassword: randomBytes(24).toString('base64url'),
    masterKey: randomBytes(32).toString('base64'),
    auditSigningPrivateKey: audit.privateKey,
    auditSigningPublicKey: audit.publicKey,
  };
}

export function loadOrCreateSecrets(file: string): { secrets: DevSecrets; created: boolean } {
  if (existsSync(file)) {
    // secrets added since the file was written are generated and kept
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    const secrets = { ...generateSecrets(), ...stored };
    if (Object.keys(stored).length !== Object.keys(secrets).length) writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    return { secrets, created: false };
  }
  const secrets = generateSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, created: true };
}
