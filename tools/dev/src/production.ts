// `NODE_ENV=production npm start`: the secrets come from the environment, under the
// names `npm run keys` prints, and nothing is generated or written to disk.
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { ConfigError } from '@packets/config';
import { MASTER_KEY_SERVICES, SERVICES, type DevSecrets, type KeyPair } from './secrets';

type Env = Record<string, string | undefined>;

const up = (name: string) => name.toUpperCase();

/** The environment variables a production start needs (as `npm run keys` prints them). */
export function productionSecretNames(): string[] {
  return [
    'APP_DB_PASSWORD', 'CONTEXT_PRIVATE_KEY', 'CONTEXT_PUBLIC_KEY',
    ...SERVICES.flatMap((s) => [`${up(s)}_SERVICE_PRIVATE_KEY`, `${up(s)}_SERVICE_PUBLIC_KEY`]),
    ...MASTER_KEY_SERVICES.map((s) => `${up(s)}_MASTER_KEY`),
    'AUDIT_SIGNING_KEY',
  ];
}

function publicHalf(pkcs8: string): string {
  try {
    return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    return '';
  }
}

/** Reads them, naming every missing one on its own line (no defaults, nothing generated). */
export function secretsFromEnv(env: Env): DevSecrets {
  const missing = productionSecretNames().filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `config: ${name} is required but not set`).join('\n'));
  const get = (name: string) => env[name]!;
  const pair = (s: string): KeyPair => ({ privateKey: get(`${up(s)}_SERVICE_PRIVATE_KEY`), publicKey: get(`${up(s)}_SERVICE_PUBLIC_KEY`) });
  const audit = get('AUDIT_SIGNING_KEY');
  return {
    contextPrivateKey: get('CONTEXT_PRIVATE_KEY'),
    contextPublicKey: get('CONTEXT_PUBLIC_KEY'),
    serviceKeys: Object.fromEntries(SERVICES.map((s) => [s, pair(s)])) as DevSecrets['serviceKeys'],
    appDbPassword: get('APP_DB_PASSWORD'),
    embeddedPgPassword: '', // production uses DATABASE_URL's server, never an embedded one
    masterKeys: Object.fromEntries(MASTER_KEY_SERVICES.map((s) => [s, get(`${up(s)}_MASTER_KEY`)])) as DevSecrets['masterKeys'],
    auditSigningPrivateKey: audit,
    auditSigningPublicKey: publicHalf(audit), // a bad key is named by the audit subgraph's configuration
  };
}
