// Configuration is read from the environment once, at start-up, into a typed
// object; a bad or missing setting stops the process with one line per problem.
// Nothing else reads process.env. Secrets have no defaults.
import { cleanEnv, makeValidator, num, str, url, EnvError, EnvMissingError } from 'envalid';
import type { KeyObject } from 'node:crypto';
import { importPrivateKey, importPublicKey } from '@packets/crypto';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** envalid reporter: one line per bad setting, thrown as a ConfigError (no stack printed by runService). */
export const reporter = ({ errors }: { errors: Partial<Record<string, Error>> }): void => {
  const lines = Object.entries(errors).map(([name, err]) => {
    if (err instanceof EnvMissingError) return `config: ${name} is required but not set`;
    if (err instanceof EnvError) return `config: ${name} is invalid: ${err.message}`;
    return `config: ${name}: ${err?.message ?? 'invalid'}`;
  });
  if (lines.length > 0) throw new ConfigError(lines.join('\n'));
};

const privateKey = makeValidator<KeyObject>((value) => {
  try { return importPrivateKey(value); } catch { throw new EnvError('not a base64 DER (PKCS#8) Ed25519 private key'); }
});
const publicKey = makeValidator<KeyObject>((value) => {
  try { return importPublicKey(value); } catch { throw new EnvError('not a base64 DER (SPKI) Ed25519 public key'); }
});
const postgresUrl = makeValidator<string>((value) => {
  let u: URL;
  try { u = new URL(value); } catch { throw new EnvError('not a URL'); }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new EnvError('must be a postgres:// URL');
  return value;
});
/** A TCP port; 0 asks the OS for a free one (tests). */
const port = makeValidator<number>((value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new EnvError('must be a port number (0 for any free port)');
  return n;
});
const masterKey = makeValidator<Buffer>((value) => {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new EnvError('must be 32 random bytes, base64');
  return key;
});
const bcryptCost = makeValidator<number>((value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 12 || n > 16) throw new EnvError('must be an integer from 12 to 16');
  return n;
});

type Env = Record<string, string | undefined>;

const base = {
  NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'production' }),
  HOST: str({ default: '127.0.0.1', desc: 'interface to listen on' }),
};

function common(env: Env) {
  const c = cleanEnv(env, base, { reporter });
  return { dev: c.NODE_ENV !== 'production', host: c.HOST };
}

export interface SubgraphConfig {
  dev: boolean;
  host: string;
  port: number;
  databaseUrl: string;
  contextPublicKey: KeyObject;
  servicePrivateKey: KeyObject;
  /** wraps the per-organisation data keys (AES-256-GCM) */
  masterKey: Buffer;
  /** signs audit checkpoints (Ed25519); required by the audit subgraph only */
  auditSigningKey: KeyObject | null;
  auditUrl: string;
  identityUrl: string;
  bcryptCost: number;
  relayIntervalMs: number;
  /** identity: outgoing mail (invitations); unset = write mail to mailOutboxDir */
  smtpUrl: string | null;
  mailFrom: string;
  mailOutboxDir: string;
  /** identity: where people open links from mail and where SSO redirects back to (the gateway's public URL) */
  publicUrl: string;
  /** identity: shared brute-force counters across replicas; unset = PostgreSQL */
  redisUrl: string | null;
}

function auditKey(name: string, value: string): KeyObject | null {
  if (!value) {
    if (name === 'audit') throw new ConfigError('config: AUDIT_SIGNING_KEY is required but not set');
    return null;
  }
  try {
    return importPrivateKey(value);
  } catch {
    throw new ConfigError('config: AUDIT_SIGNING_KEY is invalid: not a base64 DER (PKCS#8) Ed25519 private key');
  }
}

export const DEFAULT_PORTS = { gateway: 4000, identity: 4001, compliance: 4002, audit: 4003, ai: 4004 } as const;

export function loadSubgraphConfig(name: keyof typeof DEFAULT_PORTS, env: Env): SubgraphConfig {
  const c = cleanEnv(env, {
    PORT: port({ default: DEFAULT_PORTS[name] }),
    APP_DATABASE_URL: postgresUrl({ desc: 'connection as the packets_app role' }),
    CONTEXT_PUBLIC_KEY: publicKey({ desc: "the gateway's context-signing public key" }),
    SERVICE_PRIVATE_KEY: privateKey({ desc: 'key signing service-to-service calls' }),
    MASTER_KEY: masterKey({ desc: 'wraps per-organisation data keys' }),
    AUDIT_SIGNING_KEY: str({ default: '', desc: 'Ed25519 PKCS#8 DER, base64; the audit subgraph signs checkpoints with it' }),
    AUDIT_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.audit}` }),
    IDENTITY_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.identity}` }),
    BCRYPT_COST: bcryptCost({ default: 12 }),
    AUDIT_RELAY_INTERVAL_MS: num({ default: 1000 }),
    SMTP_URL: str({ default: '', desc: 'smtp(s)://user:pass@host:port for outgoing mail' }),
    MAIL_FROM: str({ default: 'Packets <no-reply@packets.invalid>' }),
    MAIL_OUTBOX_DIR: str({ default: '.packets/outbox' }),
    PUBLIC_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.gateway}` }),
    REDIS_URL: str({ default: '' }),
  }, { reporter });
  return {
    ...common(env),
    port: c.PORT,
    databaseUrl: c.APP_DATABASE_URL,
    contextPublicKey: c.CONTEXT_PUBLIC_KEY,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    masterKey: c.MASTER_KEY,
    auditSigningKey: auditKey(name, c.AUDIT_SIGNING_KEY),
    auditUrl: c.AUDIT_URL.replace(/\/$/, ''),
    identityUrl: c.IDENTITY_URL.replace(/\/$/, ''),
    bcryptCost: c.BCRYPT_COST,
    relayIntervalMs: c.AUDIT_RELAY_INTERVAL_MS,
    smtpUrl: c.SMTP_URL || null,
    mailFrom: c.MAIL_FROM,
    mailOutboxDir: c.MAIL_OUTBOX_DIR,
    publicUrl: c.PUBLIC_URL.replace(/\/$/, ''),
    redisUrl: c.REDIS_URL || null,
  };
}

export interface GatewayConfig {
  dev: boolean;
  host: string;
  port: number;
  contextPrivateKey: KeyObject;
  /** signs service-to-service calls (access events to the audit subgraph) */
  servicePrivateKey: KeyObject;
  subgraphUrls: Record<'identity' | 'compliance' | 'audit' | 'ai', string>;
  supergraphPath: string | null;
}

export function loadGatewayConfig(env: Env): GatewayConfig {
  const c = cleanEnv(env, {
    PORT: port({ default: DEFAULT_PORTS.gateway }),
    CONTEXT_PRIVATE_KEY: privateKey({ desc: 'key signing the request context sent to subgraphs' }),
    SERVICE_PRIVATE_KEY: privateKey({ desc: 'key signing service-to-service calls' }),
    IDENTITY_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.identity}` }),
    COMPLIANCE_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.compliance}` }),
    AUDIT_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.audit}` }),
    AI_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.ai}` }),
    SUPERGRAPH_PATH: str({ default: '' }),
  }, { reporter });
  const strip = (u: string) => u.replace(/\/$/, '');
  return {
    ...common(env),
    port: c.PORT,
    contextPrivateKey: c.CONTEXT_PRIVATE_KEY,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    subgraphUrls: {
      identity: strip(c.IDENTITY_URL), compliance: strip(c.COMPLIANCE_URL), audit: strip(c.AUDIT_URL), ai: strip(c.AI_URL),
    },
    supergraphPath: c.SUPERGRAPH_PATH || null,
  };
}
