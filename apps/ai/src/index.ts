// The AI subgraph: consent, drafts for human review, the record of what reached the AI layer.
import { createOrm } from '@packets/db';
import { OutboxRelay } from '@packets/audit-log';
import { startSubgraphServer, type RunningServer } from '@packets/graphql';
import type { SubgraphConfig } from '@packets/config';
import { aiSchema } from './schema';
import { AiSettingsEntity } from './settings/settings.entity';
import { aiLoaders } from './loaders';

export { aiMigrations } from './migrations';
export { aiSchema } from './schema';
export const AI_ENTITIES = [AiSettingsEntity];

export async function startAi(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  const orm = await createOrm({ schema: 'ai', clientUrl: config.databaseUrl, entities: [AiSettingsEntity] });
  const relay = new OutboxRelay({
    service: 'ai', schema: 'ai', databaseUrl: config.databaseUrl, auditUrl: config.auditUrl,
    serviceKey: config.servicePrivateKey, intervalMs: config.relayIntervalMs, log: (m) => console.warn(m),
  });
  const { schema } = await aiSchema();
  const server = await startSubgraphServer({
    runtime: { name: 'ai', orm, contextKey: config.contextPublicKey, relay, now: opts.now },
    schema, port: config.port, host: config.host, dev: config.dev, tls: config.tls, loaders: aiLoaders,
  });
  relay.start();
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await relay.stop();
      await orm.close(true);
    },
  };
}
