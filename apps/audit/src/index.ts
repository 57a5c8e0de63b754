// The audit subgraph: appends the events every subgraph and the gateway send to
// per-organisation hash chains, serves, verifies and exports the log, raises alerts
// and delivers them. Its own mutations go through its own outbox, relayed in-process.
import { OrgKeyring } from '@packets/db';
import { keyIdOf } from '@packets/audit-log';
import { runtimeNow, startSubgraph, type RunningServer } from '@packets/graphql';
import { publicKeyOf } from '@packets/crypto';
import { serviceKeys } from '@packets/context';
import { ConfigError, requireMasterKey, type SubgraphConfig } from '@packets/config';
import { auditSchema } from './schema';
import { auditLoaders } from './loaders';
import { AuditEventEntity } from './event/event.entity';
import { AlertEntity } from './alert/alert.entity';
import { AuditSettingsEntity } from './settings/settings.entity';
import { ExportEntity } from './export/export.entity';
import { ingestRoutes } from './ingest.routes';
import { exportRoutes } from './export/export.routes';
import { appendEvents } from './chain/chain.append';
import { kickWebhooks, webhookJobs } from './alert/webhook.deliverer';
import { retentionJobs } from './retention/retention.schedule';
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
  const signingKey = config.auditSigningKey;
  if (!signingKey) throw new ConfigError('config: AUDIT_SIGNING_KEY is required but not set');
  const log = (m: string) => console.warn(m);
  // the key map (docs/decisions/0009-key-map.md): the subgraphs' relays post events, the gateway reads export pages
  const keys = config.servicePublicKeys;
  return startSubgraph({
    name: 'audit', config, entities: AUDIT_ENTITIES, schema: auditSchema, loaders: auditLoaders, now: opts.now,
    runtime: (base) => {
      const runtime: AuditRuntime = {
        ...base, dev: config.dev,
        signingKey, publicKey: publicKeyOf(signingKey), keyId: keyIdOf(signingKey),
        exportTokenKey: exportTokenKey(requireMasterKey(config)), keyring: new OrgKeyring('audit', requireMasterKey(config)), tuning: config.audit,
        kickWebhooks: () => kickWebhooks(runtime, log),
      };
      return runtime;
    },
    // the audit subgraph's own events (exports, acknowledgements, settings) take the
    // same outbox path as everyone else's, delivered straight into the append
    sink: async (runtime, events) => { await appendEvents(runtime, events); },
    // alert webhooks (a sweep and one job per attempt) and, given its connection, the daily retention
    jobs: (runtime) => [
      ...webhookJobs(runtime),
      ...retentionJobs({ databaseUrl: config.auditRetentionDatabaseUrl, cron: config.audit.retentionCron, signingKey, now: () => runtimeNow(runtime), log }),
    ],
    routes: (runtime) => ({
      ...ingestRoutes(runtime, serviceKeys(keys, 'identity', 'compliance', 'ai')),
      ...exportRoutes(runtime, serviceKeys(keys, 'gateway')),
    }),
  });
}
