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
}

export function generateSecrets(): DevSecrets {
  const context = generateSigningKeyPair();
  const service = generateSigningKeyPair();
  return {
    contextPrivateKey: context.privateKey,
    contextPublicKey: context.publicKey,
    servicePrivateKey: service.privateKey,
    servicePublicKey: service.publicKey,
    appDbPassword: randomBytes(24).toString('base64url'),
    embeddedPgPassword: randomBytes(24).toString('base64url'),
  };
}

export function loadOrCreateSecrets(file: string): { secrets: DevSecrets; created: boolean } {
  if (existsSync(file)) return { secrets: JSON.parse(readFileSync(file, 'utf8')) as DevSecrets, created: false };
  const secrets = generateSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, created: true };
}
