// The compliance subgraph: frameworks, programmes, controls, evidence, policies...
import { createOrm } from '@packets/db';
import { OutboxRelay } from '@packets/audit-log';
import { startSubgraphServer, type RequestContext, type RunningServer } from '@packets/graphql';
import type { SubgraphConfig } from '@packets/config';
import { complianceSchema } from './schema';
import { ControlEntity } from './control/control.entity';
import { controlById } from './control/control.loaders';
import { IdentityClient } from './shared/identity.client';
import type { ComplianceLoaders, ComplianceRuntime } from './compliance.context';

export { complianceMigrations } from './migrations';
export { complianceSchema } from './schema';

export async function startCompliance(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  const orm = await createOrm({ schema: 'compliance', clientUrl: config.databaseUrl, entities: [ControlEntity] });
  const relay = new OutboxRelay({
    service: 'compliance', schema: 'compliance', databaseUrl: config.databaseUrl, auditUrl: config.auditUrl,
    serviceKey: config.servicePrivateKey, intervalMs: config.relayIntervalMs, log: (m) => console.warn(m),
  });
  const runtime: ComplianceRuntime = {
    name: 'compliance', orm, contextKey: config.contextPublicKey, relay, now: opts.now,
    identity: new IdentityClient(config.identityUrl, config.servicePrivateKey),
  };
  const { schema } = await complianceSchema();
  const server = await startSubgraphServer<ComplianceLoaders>({
    runtime, schema, port: config.port, host: config.host, dev: config.dev,
    loaders: (ctx: RequestContext<ComplianceLoaders>) => ({ controlById: controlById(ctx) }),
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
