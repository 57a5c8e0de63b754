// `npm start`: the whole platform on one machine. Uses DATABASE_URL when set
// (an administrator URL: it creates roles and runs migrations), otherwise an
// embedded PostgreSQL under .packets/. Every other documented setting in the
// environment (SMTP_URL, PUBLIC_URL, REDIS_URL, EVIDENCE_S3_*...) reaches the
// services. With NODE_ENV=production: DATABASE_URL and every secret come from the
// environment (as `npm run keys` prints them), nothing is generated, and the
// services run in production mode. Ctrl-C stops everything and exits 0.
import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, reporter } from '@packets/config';
import { cleanEnv, port, str } from 'envalid';
import { loadOrCreateSecrets, type DevSecrets } from './secrets';
import { secretsFromEnv } from './production';
import { startEmbeddedPostgres, type ProvisionedPostgres } from './postgres';
import { migrate, startStack } from './stack';

const root = join(__dirname, '../../..');

/**
 * What the runner sets itself for each service (ports, the app's database URL, keys,
 * where the others are): never taken from its own environment. The keys are the
 * generated development ones, or in production read by secretsFromEnv.
 */
const RUNNER_OWNED = /^(NODE_ENV|PORT|DATABASE_URL|APP_DATABASE_URL|APP_DB_PASSWORD|(IDENTITY|COMPLIANCE|AUDIT|AI)_URL|CONTEXT_(PRIVATE|PUBLIC)_KEY|SERVICE_PRIVATE_KEY|MASTER_KEY|AUDIT_SIGNING_KEY|[A-Z]+_SERVICE_(PRIVATE|PUBLIC)_KEY|[A-Z]+_MASTER_KEY)$/;

function passedThrough(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !RUNNER_OWNED.test(e[0])));
}

async function main(): Promise<void> {
  const env = cleanEnv(process.env, {
    NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
    DATABASE_URL: str({ default: '' }),
    PACKETS_DATA_DIR: str({ default: join(root, '.packets') }),
    EMBEDDED_PG_PORT: port({ default: 54329 }),
    GATEWAY_PORT: port({ default: 4000 }),
    IDENTITY_PORT: port({ default: 4001 }),
    COMPLIANCE_PORT: port({ default: 4002 }),
    AUDIT_PORT: port({ default: 4003 }),
    AI_PORT: port({ default: 4004 }),
  }, { reporter });
  const production = env.NODE_ENV === 'production';
  let secrets: DevSecrets;
  let pg: ProvisionedPostgres;
  if (production) {
    // one line per missing setting
    const problems = env.DATABASE_URL ? [] : ['config: DATABASE_URL is required but not set (production uses your PostgreSQL, never an embedded one)'];
    let fromEnv: DevSecrets | null = null;
    try {
      fromEnv = secretsFromEnv(process.env);
    } catch (err) {
      problems.push((err as Error).message);
    }
    if (!fromEnv || problems.length > 0) throw new ConfigError(problems.join('\n'));
    secrets = fromEnv;
    pg = { adminUrl: env.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  } else {
    const file = join(env.PACKETS_DATA_DIR, 'dev-secrets.json');
    const loaded = loadOrCreateSecrets(file);
    secrets = loaded.secrets;
    if (loaded.created) {
      console.warn(`!! generated development keys and passwords in ${file}`);
      console.warn('!! they are for this machine only: production takes its keys from the environment (see README)');
    }
    if (env.DATABASE_URL) {
      pg = { adminUrl: env.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
    } else {
      console.log(`starting embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT} (data in ${join(env.PACKETS_DATA_DIR, 'pgdata')})`);
      pg = await startEmbeddedPostgres({
        dataDir: join(env.PACKETS_DATA_DIR, 'pgdata'), port: env.EMBEDDED_PG_PORT, password: secrets.embeddedPgPassword,
        log: (l) => console.error(l),
      });
    }
  }
  await migrate(pg.adminUrl, secrets.appDbPassword);
  const stack = await startStack({
    adminUrl: pg.adminUrl, secrets, nodeEnv: env.NODE_ENV,
    inherit: passedThrough(process.env),
    ports: {
      gateway: env.GATEWAY_PORT, identity: env.IDENTITY_PORT, compliance: env.COMPLIANCE_PORT,
      audit: env.AUDIT_PORT, ai: env.AI_PORT,
    },
  });
  for (const [name, url] of Object.entries(stack.urls)) console.log(`  ${name.padEnd(10)} ${url}/graphql`);
  console.log(`\nPackets is up${production ? ' (production mode)' : ''}. Gateway: ${stack.gatewayUrl}/graphql  (health: ${stack.gatewayUrl}/health, ready: ${stack.gatewayUrl}/ready)`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    // services first, PostgreSQL last (it runs in its own process group: Ctrl-C does not reach it)
    let code = 0;
    await stack.stop().catch((err: unknown) => { code = 1; console.error(`while stopping services: ${String(err)}`); });
    await pg.stop().catch((err: unknown) => { code = 1; console.error(`while stopping PostgreSQL: ${String(err)}`); });
    console.log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
