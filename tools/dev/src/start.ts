// `npm start`: the whole platform on one machine. Uses DATABASE_URL when set
// (an administrator URL: it creates roles and runs migrations), otherwise an
// embedded PostgreSQL under .packets/. Ctrl-C stops everything.
import 'reflect-metadata';
import { join } from 'node:path';
import { reporter } from '@packets/config';
import { cleanEnv, port, str } from 'envalid';
import { loadOrCreateSecrets } from './secrets';
import { startEmbeddedPostgres, type ProvisionedPostgres } from './postgres';
import { migrate, startStack } from './stack';

const root = join(__dirname, '../../..');

async function main(): Promise<void> {
  const env = cleanEnv(process.env, {
    DATABASE_URL: str({ default: '' }),
    PACKETS_DATA_DIR: str({ default: join(root, '.packets') }),
    EMBEDDED_PG_PORT: port({ default: 54329 }),
    GATEWAY_PORT: port({ default: 4000 }),
    IDENTITY_PORT: port({ default: 4001 }),
    COMPLIANCE_PORT: port({ default: 4002 }),
    AUDIT_PORT: port({ default: 4003 }),
    AI_PORT: port({ default: 4004 }),
  }, { reporter });
  const { secrets, created } = loadOrCreateSecrets(join(env.PACKETS_DATA_DIR, 'dev-secrets.json'));
  if (created) {
    console.warn(`!! generated development keys and passwords in ${join(env.PACKETS_DATA_DIR, 'dev-secrets.json')}`);
    console.warn('!! they are for this machine only: production takes its keys from the environment (see README)');
  }
  let pg: ProvisionedPostgres;
  if (env.DATABASE_URL) {
    pg = { adminUrl: env.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  } else {
    console.log(`starting embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT} (data in ${join(env.PACKETS_DATA_DIR, 'pgdata')})`);
    pg = await startEmbeddedPostgres({
      dataDir: join(env.PACKETS_DATA_DIR, 'pgdata'), port: env.EMBEDDED_PG_PORT, password: secrets.embeddedPgPassword,
      log: (l) => console.error(l),
    });
  }
  await migrate(pg.adminUrl, secrets.appDbPassword);
  const stack = await startStack({
    adminUrl: pg.adminUrl, secrets,
    ports: {
      gateway: env.GATEWAY_PORT, identity: env.IDENTITY_PORT, compliance: env.COMPLIANCE_PORT,
      audit: env.AUDIT_PORT, ai: env.AI_PORT,
    },
  });
  for (const [name, url] of Object.entries(stack.urls)) console.log(`  ${name.padEnd(10)} ${url}/graphql`);
  console.log(`\nPackets is up. Gateway: ${stack.gatewayUrl}/graphql  (health: ${stack.gatewayUrl}/health, ready: ${stack.gatewayUrl}/ready)`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    // Ctrl-C reaches the embedded PostgreSQL too (same process group): it may already be going down
    await stack.stop().catch((err: unknown) => console.error(`while stopping services: ${String(err)}`));
    await pg.stop().catch(() => undefined);
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
