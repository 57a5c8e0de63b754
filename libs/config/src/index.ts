// Configuration is read from the environment once, at start-up, into a typed
// object; a bad or missing setting stops the process with one line per problem.
// Nothing else reads process.env. Secrets have no defaults.
import { bool, cleanEnv, makeValidator, num, str, url, EnvError, EnvMissingError } from 'envalid';
import type { KeyObject } from 'node:crypto';
import { importPrivateKey, importPublicKey, publicKeyOf } from '@packets/crypto';
import { loadTls, postgresTlsProblem, type TlsSettings } from './tls';
import { loadRateLimit, type RateLimitSettings } from './rate-limit';

export type { TlsSettings } from './tls';
export type { RateLimitSettings } from './rate-limit';

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
  const tlsProblem = postgresTlsProblem(u);
  if (tlsProblem) throw new EnvError(tlsProblem);
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
const positive = makeValidator<number>((value) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new EnvError('must be a positive number');
  return n;
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

export interface AuditTuning {
  /** denied requests by one actor within deniedWindowSeconds that raise an alert */
  deniedBurst: number;
  deniedWindowSeconds: number;
  /** reads by one actor in readWindowSeconds alert when >= readMin and > readFactor x the actor's own rate over the previous readBaselineHours */
  readWindowSeconds: number;
  readBaselineHours: number;
  readFactor: number;
  readMin: number;
  /** exports by one actor in exportWindowHours alert when > exportFactor x the actor's rate over the previous exportBaselineDays (a first export alerts) */
  exportWindowHours: number;
  exportBaselineDays: number;
  exportFactor: number;
  webhookMaxAttempts: number;
  /** first retry delay; doubles per attempt, capped at one hour */
  webhookBackoffMs: number;
  /** allow webhook URLs on loopback and private networks (tests, on-premises receivers) */
  webhookAllowPrivate: boolean;
  exportUrlTtlSeconds: number;
  /** when the retention job runs (cron, UTC), given auditRetentionDatabaseUrl */
  retentionCron: string;
}

export interface SubgraphConfig {
  dev: boolean;
  host: string;
  port: number;
  databaseUrl: string;
  contextPublicKey: KeyObject;
  /** this service's own key for the service-to-service calls it makes */
  servicePrivateKey: KeyObject;
  /** public keys of the services this one accepts calls from (SERVICE_SENDERS), by name */
  servicePublicKeys: Record<string, KeyObject>;
  /** wraps this subgraph's per-organisation data keys (AES-256-GCM); null for a subgraph that has none (ai) */
  masterKey: Buffer | null;
  /** signs audit checkpoints (Ed25519); required by the audit subgraph only */
  auditSigningKey: KeyObject | null;
  auditUrl: string;
  identityUrl: string;
  bcryptCost: number;
  relayIntervalMs: number;
  /** prefix of this deployment's job queues (libs/jobs): deployments or test stacks sharing one database set distinct ones; null = none */
  jobsNamespace: string | null;
  /** audit subgraph: the retention job's connection (a login granted packets_audit_retention); null = retention runs only from `npm run audit-retention` */
  auditRetentionDatabaseUrl: string | null;
  /** audit subgraph: alert thresholds, webhook delivery, export links (defaults in the README) */
  audit: AuditTuning;
  /** identity: outgoing mail (invitations); unset = write mail to mailOutboxDir */
  smtpUrl: string | null;
  mailFrom: string;
  mailOutboxDir: string;
  /** identity: where people open links from mail and where SSO redirects back to (the gateway's public URL) */
  publicUrl: string;
  /** identity: shared brute-force counters across replicas; unset = PostgreSQL */
  redisUrl: string | null;
  /** identity: accept http:// SSO issuers (tests against a loopback IdP); never in production */
  ssoAllowInsecureIssuers?: boolean;
  /** identity: SSO issuers and their endpoints may resolve to private/loopback addresses (an IdP inside your own network, tests); off by default */
  ssoAllowPrivateIssuers?: boolean;
  /** compliance subgraph: evidence files and OSCAL imports (defaults in the README) */
  compliance: ComplianceTuning;
  /** serve HTTPS from TLS_CERT_FILE and TLS_KEY_FILE; null = plain HTTP */
  tls: TlsSettings | null;
}

export interface EvidenceS3Config {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, Ceph...); null = AWS */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** both or neither; neither = the AWS SDK's default credential chain */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

export interface ComplianceTuning {
  /** local folder for evidence files, one sub-folder per organisation (used when no S3 bucket is set) */
  evidenceStorageDir: string;
  /** S3-compatible storage for evidence files; null = the local folder */
  evidenceS3: EvidenceS3Config | null;
  /** largest evidence file accepted, in bytes */
  evidenceMaxBytes: number;
  /** lifetime of an evidence download link */
  evidenceLinkTtlSeconds: number;
  /** largest OSCAL document accepted through the gateway's upload route (the GraphQL body limit stays 1 MB) */
  oscalMaxBytes: number;
}

function evidenceS3(c: { EVIDENCE_S3_BUCKET: string; EVIDENCE_S3_REGION: string; EVIDENCE_S3_ENDPOINT: string; EVIDENCE_S3_FORCE_PATH_STYLE: boolean; EVIDENCE_S3_ACCESS_KEY_ID: string; EVIDENCE_S3_SECRET_ACCESS_KEY: string }): EvidenceS3Config | null {
  if (!c.EVIDENCE_S3_BUCKET) return null;
  if (Boolean(c.EVIDENCE_S3_ACCESS_KEY_ID) !== Boolean(c.EVIDENCE_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('config: EVIDENCE_S3_ACCESS_KEY_ID and EVIDENCE_S3_SECRET_ACCESS_KEY must be set together');
  }
  return {
    bucket: c.EVIDENCE_S3_BUCKET,
    region: c.EVIDENCE_S3_REGION,
    endpoint: c.EVIDENCE_S3_ENDPOINT || null,
    forcePathStyle: c.EVIDENCE_S3_FORCE_PATH_STYLE,
    credentials: c.EVIDENCE_S3_ACCESS_KEY_ID
      ? { accessKeyId: c.EVIDENCE_S3_ACCESS_KEY_ID, secretAccessKey: c.EVIDENCE_S3_SECRET_ACCESS_KEY }
      : null,
  };
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

export type ServiceName = keyof typeof DEFAULT_PORTS;

/**
 * The key map (docs/decisions/0009-key-map.md): which services' calls each
 * subgraph accepts, and so which `<NAME>_SERVICE_PUBLIC_KEY` settings it needs.
 * audit: event ingest from the subgraphs' outbox relays, export pages for the
 * gateway; identity: session and SSO calls from the gateway, member checks from
 * compliance.
 */
export const SERVICE_SENDERS: Readonly<Record<Exclude<ServiceName, 'gateway'>, readonly ServiceName[]>> = {
  audit: ['identity', 'compliance', 'ai', 'gateway'],
  identity: ['gateway', 'compliance'],
  compliance: [],
  ai: [],
};

/** Subgraphs holding per-organisation data keys, and so a MASTER_KEY of their own. */
export const MASTER_KEY_HOLDERS: readonly ServiceName[] = ['identity', 'compliance', 'audit'];

export const servicePublicKeyVar = (name: ServiceName): string => `${name.toUpperCase()}_SERVICE_PUBLIC_KEY`;

const der = (k: KeyObject): string => k.export({ format: 'der', type: 'spki' }).toString('base64');

/** Refuses one key doing two jobs (the old single shared service key would pass every check otherwise). */
function distinctKeys(keys: Record<string, KeyObject>): void {
  const seen = new Map<string, string>();
  const lines: string[] = [];
  for (const [name, key] of Object.entries(keys)) {
    const other = seen.get(der(key));
    if (other) lines.push(`config: ${other} and ${name} are the same key: each service and the request context need their own`);
    else seen.set(der(key), name);
  }
  if (lines.length > 0) throw new ConfigError(lines.join('\n'));
}

/** The settings for the public keys of the senders a subgraph accepts. */
function senderSpec(name: Exclude<ServiceName, 'gateway'>) {
  return Object.fromEntries(SERVICE_SENDERS[name].map((s) => [servicePublicKeyVar(s), publicKey({ desc: `public half of ${s}'s SERVICE_PRIVATE_KEY` })]));
}

export function loadSubgraphConfig(name: Exclude<ServiceName, 'gateway'>, env: Env): SubgraphConfig {
  const needsMaster = MASTER_KEY_HOLDERS.includes(name);
  if (!needsMaster && env.MASTER_KEY) throw new ConfigError(`config: MASTER_KEY must not be set for ${name}: it holds no encrypted data`);
  const c = cleanEnv(env, {
    PORT: port({ default: DEFAULT_PORTS[name] }),
    APP_DATABASE_URL: postgresUrl({ desc: 'connection as the packets_app role' }),
    CONTEXT_PUBLIC_KEY: publicKey({ desc: "the gateway's context-signing public key" }),
    SERVICE_PRIVATE_KEY: privateKey({ desc: 'key signing service-to-service calls' }),
    MASTER_KEY: needsMaster ? masterKey({ desc: "wraps this subgraph's per-organisation data keys" }) : str({ default: '' }),
    ...senderSpec(name),
    AUDIT_SIGNING_KEY: str({ default: '', desc: 'Ed25519 PKCS#8 DER, base64; the audit subgraph signs checkpoints with it' }),
    AUDIT_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.audit}` }),
    IDENTITY_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.identity}` }),
    BCRYPT_COST: bcryptCost({ default: 12 }),
    AUDIT_RELAY_INTERVAL_MS: num({ default: 1000 }),
    AUDIT_ALERT_DENIED_BURST: positive({ default: 5 }),
    AUDIT_ALERT_DENIED_WINDOW_SECONDS: positive({ default: 60 }),
    AUDIT_ALERT_READ_WINDOW_SECONDS: positive({ default: 300 }),
    AUDIT_ALERT_READ_BASELINE_HOURS: positive({ default: 24 }),
    AUDIT_ALERT_READ_FACTOR: positive({ default: 10 }),
    AUDIT_ALERT_READ_MIN: positive({ default: 200 }),
    AUDIT_ALERT_EXPORT_WINDOW_HOURS: positive({ default: 24 }),
    AUDIT_ALERT_EXPORT_BASELINE_DAYS: positive({ default: 30 }),
    AUDIT_ALERT_EXPORT_FACTOR: positive({ default: 3 }),
    AUDIT_WEBHOOK_MAX_ATTEMPTS: positive({ default: 10 }),
    AUDIT_WEBHOOK_BACKOFF_MS: positive({ default: 2000 }),
    AUDIT_WEBHOOK_ALLOW_PRIVATE: bool({ default: false }),
    AUDIT_EXPORT_URL_TTL_SECONDS: positive({ default: 300 }),
    AUDIT_RETENTION_DATABASE_URL: postgresUrl({ default: '', desc: 'a login role granted packets_audit_retention; set, the audit subgraph runs retention on AUDIT_RETENTION_CRON' }),
    AUDIT_RETENTION_CRON: str({ default: '30 3 * * *', desc: 'when the audit subgraph runs retention (cron, UTC)' }),
    JOBS_NAMESPACE: str({ default: '', desc: 'prefix of the job queues; deployments sharing one database use distinct ones' }),
    SMTP_URL: str({ default: '', desc: 'smtp(s)://user:pass@host:port for outgoing mail' }),
    MAIL_FROM: str({ default: 'Packets <no-reply@packets.invalid>' }),
    MAIL_OUTBOX_DIR: str({ default: '.packets/outbox' }),
    PUBLIC_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.gateway}` }),
    REDIS_URL: str({ default: '' }),
    SSO_ALLOW_INSECURE_ISSUERS: bool({ default: false, desc: 'accept http:// OIDC issuers (tests only)' }),
    SSO_ALLOW_PRIVATE_ISSUERS: bool({ default: false, desc: 'let OIDC issuers resolve to private or loopback addresses (an IdP on your own network, or tests)' }),
    EVIDENCE_STORAGE_DIR: str({ default: '.packets/evidence', desc: 'local folder for evidence files' }),
    EVIDENCE_MAX_BYTES: positive({ default: 25 * 1024 * 1024 }),
    EVIDENCE_LINK_TTL_SECONDS: positive({ default: 300 }),
    OSCAL_MAX_BYTES: positive({ default: 10 * 1024 * 1024 }),
    EVIDENCE_S3_BUCKET: str({ default: '', desc: 'S3 bucket for evidence files; unset = EVIDENCE_STORAGE_DIR' }),
    EVIDENCE_S3_REGION: str({ default: 'us-east-1' }),
    EVIDENCE_S3_ENDPOINT: str({ default: '', desc: 'endpoint of an S3-compatible store' }),
    EVIDENCE_S3_FORCE_PATH_STYLE: bool({ default: false }),
    EVIDENCE_S3_ACCESS_KEY_ID: str({ default: '' }),
    EVIDENCE_S3_SECRET_ACCESS_KEY: str({ default: '' }),
  }, { reporter });
  const keys = c as unknown as Record<string, KeyObject>;
  const servicePublicKeys = Object.fromEntries(SERVICE_SENDERS[name].map((s) => [s, keys[servicePublicKeyVar(s)]!]));
  distinctKeys({
    CONTEXT_PUBLIC_KEY: c.CONTEXT_PUBLIC_KEY,
    SERVICE_PRIVATE_KEY: publicKeyOf(c.SERVICE_PRIVATE_KEY),
    ...Object.fromEntries(Object.entries(servicePublicKeys).map(([s, k]) => [servicePublicKeyVar(s as ServiceName), k])),
  });
  return {
    ...common(env),
    port: c.PORT,
    databaseUrl: c.APP_DATABASE_URL,
    contextPublicKey: c.CONTEXT_PUBLIC_KEY,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    servicePublicKeys,
    masterKey: typeof c.MASTER_KEY === 'string' ? null : c.MASTER_KEY,
    auditSigningKey: auditKey(name, c.AUDIT_SIGNING_KEY),
    auditUrl: c.AUDIT_URL.replace(/\/$/, ''),
    identityUrl: c.IDENTITY_URL.replace(/\/$/, ''),
    bcryptCost: c.BCRYPT_COST,
    relayIntervalMs: c.AUDIT_RELAY_INTERVAL_MS,
    jobsNamespace: jobsNamespace(c.JOBS_NAMESPACE),
    auditRetentionDatabaseUrl: c.AUDIT_RETENTION_DATABASE_URL || null,
    audit: {
      deniedBurst: c.AUDIT_ALERT_DENIED_BURST,
      deniedWindowSeconds: c.AUDIT_ALERT_DENIED_WINDOW_SECONDS,
      readWindowSeconds: c.AUDIT_ALERT_READ_WINDOW_SECONDS,
      readBaselineHours: c.AUDIT_ALERT_READ_BASELINE_HOURS,
      readFactor: c.AUDIT_ALERT_READ_FACTOR,
      readMin: c.AUDIT_ALERT_READ_MIN,
      exportWindowHours: c.AUDIT_ALERT_EXPORT_WINDOW_HOURS,
      exportBaselineDays: c.AUDIT_ALERT_EXPORT_BASELINE_DAYS,
      exportFactor: c.AUDIT_ALERT_EXPORT_FACTOR,
      webhookMaxAttempts: c.AUDIT_WEBHOOK_MAX_ATTEMPTS,
      webhookBackoffMs: c.AUDIT_WEBHOOK_BACKOFF_MS,
      webhookAllowPrivate: c.AUDIT_WEBHOOK_ALLOW_PRIVATE,
      exportUrlTtlSeconds: c.AUDIT_EXPORT_URL_TTL_SECONDS,
      retentionCron: cron('AUDIT_RETENTION_CRON', c.AUDIT_RETENTION_CRON),
    },
    smtpUrl: c.SMTP_URL || null,
    mailFrom: c.MAIL_FROM,
    mailOutboxDir: c.MAIL_OUTBOX_DIR,
    publicUrl: c.PUBLIC_URL.replace(/\/$/, ''),
    redisUrl: c.REDIS_URL || null,
    ssoAllowInsecureIssuers: c.SSO_ALLOW_INSECURE_ISSUERS,
    ssoAllowPrivateIssuers: c.SSO_ALLOW_PRIVATE_ISSUERS,
    compliance: {
      evidenceStorageDir: c.EVIDENCE_STORAGE_DIR,
      evidenceS3: evidenceS3(c),
      evidenceMaxBytes: Math.floor(c.EVIDENCE_MAX_BYTES),
      evidenceLinkTtlSeconds: Math.floor(c.EVIDENCE_LINK_TTL_SECONDS),
      oscalMaxBytes: Math.floor(c.OSCAL_MAX_BYTES),
    },
    tls: loadTls(env),
  };
}

function jobsNamespace(value: string): string | null {
  if (value === '') return null;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(value)) throw new ConfigError('config: JOBS_NAMESPACE must be 1 to 40 letters, digits, - or _');
  return value;
}

/** five or six cron fields (pg-boss parses them when the schedule is saved) */
function cron(name: string, value: string): string {
  if (!/^\S+( \S+){4,5}$/.test(value.trim())) throw new ConfigError(`config: ${name} must be a cron expression (five fields, UTC)`);
  return value.trim();
}

/** The master key of a subgraph that holds data keys (MASTER_KEY_HOLDERS; the loader already required it). */
export function requireMasterKey(config: SubgraphConfig): Buffer {
  if (!config.masterKey) throw new ConfigError('config: MASTER_KEY is required but not set');
  return config.masterKey;
}

export interface RetentionConfig {
  /** an administrator URL, or a login role granted packets_audit_retention */
  databaseUrl: string;
  auditSigningKey: KeyObject;
}

/** `npm run audit-retention`: the audit retention job (apps/audit/src/retention). */
export function loadRetentionConfig(env: Env): RetentionConfig {
  const c = cleanEnv(env, {
    AUDIT_RETENTION_DATABASE_URL: postgresUrl({ desc: 'administrator URL, or a login role granted packets_audit_retention' }),
    AUDIT_SIGNING_KEY: privateKey({ desc: 'Ed25519 PKCS#8 DER, base64: signs the retention checkpoint' }),
  }, { reporter });
  return { databaseUrl: c.AUDIT_RETENTION_DATABASE_URL, auditSigningKey: c.AUDIT_SIGNING_KEY };
}

export interface GatewayConfig {
  dev: boolean;
  host: string;
  port: number;
  /** signs request contexts, nothing else */
  contextPrivateKey: KeyObject;
  /** the gateway's own service key: session look-ups, SSO calls, export pages */
  servicePrivateKey: KeyObject;
  /** verifies the evidence download links the compliance subgraph signs */
  complianceServicePublicKey: KeyObject;
  subgraphUrls: Record<'identity' | 'compliance' | 'audit' | 'ai', string>;
  supergraphPath: string | null;
  /** the URL people reach the gateway at; https gives the session cookie its __Host- prefix */
  publicUrl: string;
  /** serve HTTPS from TLS_CERT_FILE and TLS_KEY_FILE; null = plain HTTP */
  tls: TlsSettings | null;
  /** request rate limits (RATE_LIMIT_*); null = off (RATE_LIMIT_ENABLED=false, benchmarks only) */
  rateLimit: RateLimitSettings | null;
}

export function loadGatewayConfig(env: Env): GatewayConfig {
  const c = cleanEnv(env, {
    PORT: port({ default: DEFAULT_PORTS.gateway }),
    CONTEXT_PRIVATE_KEY: privateKey({ desc: 'key signing the request context sent to subgraphs' }),
    SERVICE_PRIVATE_KEY: privateKey({ desc: "the gateway's own key for service-to-service calls" }),
    COMPLIANCE_SERVICE_PUBLIC_KEY: publicKey({ desc: "public half of compliance's SERVICE_PRIVATE_KEY (evidence download links)" }),
    IDENTITY_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.identity}` }),
    COMPLIANCE_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.compliance}` }),
    AUDIT_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.audit}` }),
    AI_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.ai}` }),
    SUPERGRAPH_PATH: str({ default: '' }),
    PUBLIC_URL: url({ default: `http://127.0.0.1:${DEFAULT_PORTS.gateway}` }),
  }, { reporter });
  const strip = (u: string) => u.replace(/\/$/, '');
  distinctKeys({
    CONTEXT_PRIVATE_KEY: publicKeyOf(c.CONTEXT_PRIVATE_KEY),
    SERVICE_PRIVATE_KEY: publicKeyOf(c.SERVICE_PRIVATE_KEY),
    COMPLIANCE_SERVICE_PUBLIC_KEY: c.COMPLIANCE_SERVICE_PUBLIC_KEY,
  });
  return {
    ...common(env),
    port: c.PORT,
    contextPrivateKey: c.CONTEXT_PRIVATE_KEY,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    complianceServicePublicKey: c.COMPLIANCE_SERVICE_PUBLIC_KEY,
    subgraphUrls: {
      identity: strip(c.IDENTITY_URL), compliance: strip(c.COMPLIANCE_URL), audit: strip(c.AUDIT_URL), ai: strip(c.AI_URL),
    },
    supergraphPath: c.SUPERGRAPH_PATH || null,
    publicUrl: c.PUBLIC_URL.replace(/\/$/, ''),
    tls: loadTls(env),
    rateLimit: loadRateLimit(env),
  };
}
