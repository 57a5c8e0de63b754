// Development secrets: generated once into the local data folder (never
// committed, never a default), and announced. Production passes real ones by env.
// Each service has its own service key pair, and each subgraph that holds data
// keys its own master key (docs/decisions/0009-key-map.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateSigningKeyPair } from '@packets/crypto';
import { MASTER_KEY_HOLDERS, SERVICE_SENDERS, servicePublicKeyVar } from '@packets/config';

export const SERVICES = ['gateway', 'identity', 'compliance', 'audit', 'ai'] as const;
export type Service = (typeof SERVICES)[number];
/** the subgraphs that wrap per-organisation data keys (libs/config MASTER_KEY_HOLDERS) */
export const MASTER_KEY_SERVICES = ['identity', 'compliance', 'audit'] as const;
export type MasterKeyService = (typeof MASTER_KEY_SERVICES)[number];

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export interface DevSecrets {
  contextPrivateKey: string;
  contextPublicKey: string;
  /** one Ed25519 pair per service: SERVICE_PRIVATE_KEY of that service, <NAME>_SERVICE_PUBLIC_KEY of its receivers */
  serviceKeys: Record<Service, KeyPair>;
  appDbPassword: string;
  embeddedPgPassword: string;
  /** MASTER_KEY of each subgraph that holds data keys */
  masterKeys: Record<MasterKeyService, string>;
  auditSigningPrivateKey: string;
  auditSigningPublicKey: string;
}

const each = <K extends string, V>(keys: readonly K[], make: () => V): Record<K, V> =>
  Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, V>;

export function generateSecrets(): DevSecrets {
  const context = generateSigningKeyPair();
  const audit = generateSigningKeyPair();
  return {
    contextPrivateKey: context.privateKey,
    contextPublicKey: context.publicKey,
    serviceKeys: each(SERVICES, generateSigningKeyPair),
    appDbPassword: randomBytes(24).toString('base64url'),
    embeddedPgPassword: randomBytes(24).toString('base64url'),
    masterKeys: each(MASTER_KEY_SERVICES, () => randomBytes(32).toString('base64')),
    auditSigningPrivateKey: audit.privateKey,
    auditSigningPublicKey: audit.publicKey,
  };
}

/** A data folder from before the key map had one shared master key: keep it, or its encrypted data is lost. */
interface LegacySecrets {
  masterKey?: string;
  servicePrivateKey?: string;
  servicePublicKey?: string;
}

export function loadOrCreateSecrets(file: string): { secrets: DevSecrets; created: boolean } {
  if (existsSync(file)) {
    // secrets added since the file was written are generated and kept
    const read = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets> & LegacySecrets;
    const { masterKey } = read;
    const stored: Partial<DevSecrets> & LegacySecrets = { ...read };
    // the one shared service key is retired: every service gets its own pair
    delete stored.masterKey; delete stored.servicePrivateKey; delete stored.servicePublicKey;
    const legacy = masterKey && !stored.masterKeys ? { masterKeys: each(MASTER_KEY_SERVICES, () => masterKey) } : {};
    const secrets: DevSecrets = { ...generateSecrets(), ...legacy, ...stored };
    if (JSON.stringify(stored) !== JSON.stringify(secrets)) writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    return { secrets, created: false };
  }
  const secrets = generateSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, created: true };
}

/**
 * The secret settings of one service: its own service key, the public keys of the
 * senders it accepts, its master key when it holds data keys, and the context key
 * (the private half for the gateway, the public half for the subgraphs).
 */
export function secretsEnv(secrets: DevSecrets, name: Service): Record<string, string> {
  if (name === 'gateway') {
    return {
      CONTEXT_PRIVATE_KEY: secrets.contextPrivateKey,
      SERVICE_PRIVATE_KEY: secrets.serviceKeys.gateway.privateKey,
      [servicePublicKeyVar('compliance')]: secrets.serviceKeys.compliance.publicKey,
    };
  }
  return {
    CONTEXT_PUBLIC_KEY: secrets.contextPublicKey,
    SERVICE_PRIVATE_KEY: secrets.serviceKeys[name].privateKey,
    ...Object.fromEntries(SERVICE_SENDERS[name].map((s) => [servicePublicKeyVar(s), secrets.serviceKeys[s].publicKey])),
    // a subgraph without data keys gets none, even if one is inherited from the environment
    MASTER_KEY: MASTER_KEY_HOLDERS.includes(name) ? secrets.masterKeys[name as MasterKeyService] : '',
    ...(name === 'audit' ? { AUDIT_SIGNING_KEY: secrets.auditSigningPrivateKey } : {}),
  };
}
