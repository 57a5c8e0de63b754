// The audit subgraph: stores the events every subgraph relays, and serves the log.
import { createOrm } from '@packets/db';
import { startSubgraphServer, type RunningServer } from '@packets/graphql';
import { publicKeyOf } from '@packets/crypto';
import type { SubgraphConfig } from '@packets/config';
import { auditSchema } from './schema';
import { AuditEventEntity } from './event/event.entity';
import { ingestRoutes } from './ingest.routes';

export { auditMigrations } from './migrations';
export { auditSchema } from './schema';

export async function startAudit(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  const orm = await createOrm({ schema: 'audit', clientUrl: config.databaseUrl, entities: [AuditEventEntity] });
  const { schema } = await auditSchema();
  const server = await startSubgraphServer({
    runtime: { name: 'audit', orm, contextKey: config.contextPublicKey, relay: null, now: opts.now },
    schema, port: config.port, host: config.host, dev: config.dev, loaders: () => ({}),
    routes: ingestRoutes(orm, publicKeyOf(config.servicePrivateKey)),
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await orm.close(true);
    },
  };
}
