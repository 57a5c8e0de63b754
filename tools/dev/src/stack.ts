// Boots the whole graph in one process: the four subgraphs on their ports (or
// free ones), then the gateway. Used by `npm start`, the end-to-end tests and the
// benchmarks. Each service still gets its own validated configuration.
import { loadGatewayConfig, loadSubgraphConfig, type SubgraphConfig } from '@packets/config';
import { APP_ROLE, OWNER_ROLE, appDatabaseUrl, bootstrapDatabase } from '@packets/db';
import { migrateJobs } from '@packets/jobs';
import type { RunningServer } from '@packets/http';
import { startIdentity, identityMigrations } from '@packets/identity';
import { startCompliance, complianceMigrations } from '@packets/compliance';
import { startAudit, auditMigrations } from '@packets/audit';
import { startAi, aiMigrations } from '@packets/ai';
import { startGateway } from '@packets/gateway';
import { secretsEnv, type DevSecrets } from './secrets';

export const MIGRATIONS = [
  { schema: 'identity', migrations: identityMigrations },
  { schema: 'compliance', migrations: complianceMigrations },
  { schema: 'audit', migrations: auditMigrations },
  { schema: 'ai', migrations: aiMigrations },
];

export async function migrate(adminUrl: string, appPassword: string): Promise<void> {
  await bootstrapDatabase(adminUrl, appPassword, MIGRATIONS);
  // pg-boss's schema for every service's background jobs (libs/jobs), made as the owner
  await migrateJobs(adminUrl, { owner: OWNER_ROLE, app: APP_ROLE });
}

export type ServiceName = 'identity' | 'compliance' | 'audit' | 'ai';

export interface StackOptions {
  adminUrl: string;
  secrets: DevSecrets;
  /** 0 = any free port */
  ports?: Partial<Record<ServiceName | 'gateway', number>>;
  nodeEnv?: 'development' | 'test' | 'production';
  relayIntervalMs?: number;
  now?: () => Date;
  /** identity: DNS TXT look-ups for SSO domain verification (tests inject one) */
  resolveTxt?: (hostname: string) => Promise<string[][]>;
  /** extra settings for every subgraph (e.g. audit alert thresholds in tests) */
  env?: Record<string, string>;
  /**
   * settings passed through to every service (npm start passes its environment, so
   * each documented setting works): above the defaults, below what the stack sets
   * itself (ports, database URL, keys, where the other services are)
   */
  inherit?: Record<string, string | undefined>;
}

export interface Stack {
  gatewayUrl: string;
  urls: Record<ServiceName, string>;
  services: Record<ServiceName | 'gateway', RunningServer>;
  /** stop one subgraph (to test outages) */
  stopService: (name: ServiceName) => Promise<void>;
  /** start it again on the same port */
  startService: (name: ServiceName) => Promise<void>;
  stop: () => Promise<void>;
}

const STARTERS = { identity: startIdentity, compliance: startCompliance, audit: startAudit, ai: startAi };

export async function startStack(opts: StackOptions): Promise<Stack> {
  const { secrets } = opts;
  const databaseUrl = appDatabaseUrl(opts.adminUrl, secrets.appDbPassword);
  const nodeEnv = opts.nodeEnv ?? 'development';
  const urls = {} as Record<ServiceName, string>;
  const services = {} as Record<ServiceName | 'gateway', RunningServer>;
  const configs = {} as Record<ServiceName, SubgraphConfig>;
  const subgraphEnv = (name: ServiceName, port: number) => ({
    AUDIT_RELAY_INTERVAL_MS: String(opts.relayIntervalMs ?? 500),
    BCRYPT_COST: '12',
    ...opts.inherit,
    NODE_ENV: nodeEnv,
    PORT: String(port),
    APP_DATABASE_URL: databaseUrl,
    // each service its own keys (docs/decisions/0009-key-map.md)
    ...secretsEnv(secrets, name),
    AUDIT_URL: urls.audit ?? 'http://127.0.0.1:4003',
    IDENTITY_URL: urls.identity ?? 'http://127.0.0.1:4001',
    ...opts.env,
  });
  const start = async (name: ServiceName, port: number) => {
    configs[name] = loadSubgraphConfig(name, subgraphEnv(name, port));
    services[name] = await STARTERS[name](configs[name], { now: opts.now, resolveTxt: opts.resolveTxt });
    urls[name] = services[name].url;
    configs[name] = { ...configs[name], port: services[name].port }; // a restart comes back on the same port
  };
  // audit first (relays post to it), identity before compliance (membership checks)
  for (const name of ['audit', 'identity', 'compliance', 'ai'] as const) {
    await start(name, opts.ports?.[name] ?? 0);
  }
  services.gateway = await startGateway(loadGatewayConfig({
    ...opts.inherit,
    // one public URL for the gateway and identity (SSO redirects back to it)
    ...(opts.env?.PUBLIC_URL ? { PUBLIC_URL: opts.env.PUBLIC_URL } : {}),
    // the rate limiter's counters (RATE_LIMIT_* and REDIS_URL from the test's settings win)
    GATEWAY_DATABASE_URL: databaseUrl,
    ...Object.fromEntries(Object.entries(opts.env ?? {}).filter(([k]) => k.startsWith('RATE_LIMIT_') || k === 'REDIS_URL')),
    NODE_ENV: nodeEnv,
    PORT: String(opts.ports?.gateway ?? 0),
    ...secretsEnv(secrets, 'gateway'),
    IDENTITY_URL: urls.identity, COMPLIANCE_URL: urls.compliance, AUDIT_URL: urls.audit, AI_URL: urls.ai,
  }));
  const stopped = new Set<ServiceName>();
  return {
    gatewayUrl: services.gateway.url,
    urls,
    services,
    stopService: async (name) => {
      await services[name].stop();
      stopped.add(name);
    },
    startService: async (name) => {
      services[name] = await STARTERS[name](configs[name], { now: opts.now, resolveTxt: opts.resolveTxt });
      stopped.delete(name);
    },
    stop: async () => {
      await services.gateway.stop();
      for (const name of ['ai', 'compliance', 'identity', 'audit'] as const) {
        if (!stopped.has(name)) await services[name].stop();
      }
    },
  };
}
