// The audit subgraph: appends the events every subgraph and the gateway send to
// per-organisation hash chains, serves, verifies and exports the log, raises alerts
// and delivers them. Its own mutations go through its own outbox, relayed in-process.
import { createOrm, OrgKeyring } from '@packets/db';
import { OutboxRelay, keyIdOf } from '@packets/audit-log';
import { startSubgraphServer, type RunningServer } from '@packets/graphql';
import { publicKeyOf } from '@packets/crypto';
import { serviceKeys } from '@packets/context';
import { ConfigError, requireMasterKey, type SubgraphConfig } from '@packets/config';
import { auditSchema } from './schema';
import { AuditEventEntity } from './event/event.entity';
import { AlertEntity } from './alert/alert.entity';
import { AuditSettingsEntity } from './settings/settings.entity';
import { ExportEntity } from './export/export.entity';
import { ingestRoutes } from './ingest.routes';
import { exportRoutes } from './export/export.routes';
import { appendEvents } from './chain/chain.append';
import { WebhookDeliverer } from './alert/webhook.deliverer';
import { exportTokenKey } from './export/export.token';
import type { AuditRuntime } from './audit.context';

export { auditMigrations } from './migrations';
export { auditSchema } from './schema';
export { appendEvents } from './chain/chain.append';
export { verifyOrgChain } from './chain/chain.verify';
export { runRetention, type RetentionReport } from './retention/retention.job';
export { SIGNATURE_HEADER, webhookSignature } from './alert/webhook.deliverer';
export type { AuditRuntime } from './audit.context';

export const AUDIT_ENTITIES = [AuditEventEntity, AlertEntity, AuditSettingsEntity, ExportEntity];

export async function startAudit(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  if (!config.auditSigningKey) throw new ConfigError('config: AUDIT_SIGNING_KEY is required but not set');
  const orm = await createOrm({ schema: 'audit', clientUrl: config.databaseUrl, entities: AUDIT_ENTITIES });
  const log = (m: string) => console.warn(m);
  let deliverer: WebhookDeliverer | null = null;
  const runtime: AuditRuntime = {
    name: 'audit', orm, contextKey: config.contextPublicKey, relay: null, now: opts.now, dev: config.dev,
    signingKey: config.auditSigningKey, publicKey: publicKeyOf(config.auditSigningKey), keyId: keyIdOf(config.auditSigningKey),
    exportTokenKey: exportTokenKey(requireMasterKey(config)), keyring: new OrgKeyring('audit', requireMasterKey(config)), tuning: config.audit,
    kickWebhooks: () => deliverer?.kick(),
  };
  // the audit subgraph's own events (exports, acknowledgements, settings) take the
  // same outbox path as everyone else's, delivered straight into the append
  const relay = new OutboxRelay({
    service: 'audit', schema: 'audit', databaseUrl: config.databaseUrl, auditUrl: '', serviceKey: config.servicePrivateKey,
    intervalMs: config.relayIntervalMs, log, sink: async (events) => { await appendEvents(runtime, events); },
  });
  runtime.relay = relay;
  deliverer = new WebhookDeliverer(runtime, Math.min(1000, config.audit.webhookBackoffMs), log);
  const { schema } = await auditSchema();
  // the key map (docs/decisions/0009-key-map.md): the subgraphs' relays post events, the gateway reads export pages
  const keys = config.servicePublicKeys;
  const server = await startSubgraphServer({
    runtime, schema, port: config.port, host: config.host, dev: config.dev, tls: config.tls, loaders: () => ({}),
    routes: {
      ...ingestRoutes(runtime, serviceKeys(keys, 'identity', 'compliance', 'ai')),
      ...exportRoutes(runtime, serviceKeys(keys, 'gateway')),
    },
  });
  relay.start();
  deliverer.start();
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await relay.stop();
      await deliverer?.stop();
      await orm.close(true);
    },
  };
}
