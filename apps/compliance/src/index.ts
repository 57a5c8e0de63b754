// The compliance subgraph: frameworks, programmes, controls, evidence, policies...
import { createPublicKey } from 'node:crypto';
import { OrgKeyring } from '@packets/db';
import { startSubgraph, type RunningServer } from '@packets/graphql';
import { requireMasterKey, type SubgraphConfig } from '@packets/config';
import { complianceSchema } from './schema';
import { complianceLoaders } from './loaders';
import { ControlEntity, ControlRequirementEntity } from './control/control.entity';
import { FrameworkEntity, OrgFrameworkEntity, OrgRequirementEntity, RequirementEntity } from './framework/framework.entity';
import { ProgrammeEntity } from './programme/programme.entity';
import { EvidenceEntity } from './evidence/evidence.entity';
import { PolicyAcknowledgementEntity, PolicyEntity, PolicyVersionEntity } from './policy/policy.entity';
import { ComplianceSettingsEntity } from './settings/settings.entity';
import { createEvidenceStorage } from './evidence/storage-factory';
import { DOWNLOAD_PATH, UPLOAD_PATH, downloadRoute, uploadRoute } from './evidence/evidence.routes';
import { OSCAL_IMPORT_PATH, oscalImportRoute } from './oscal/oscal.routes';
import { IdentityClient } from './shared/identity.client';
import type { ComplianceRuntime } from './compliance.context';

export { complianceMigrations } from './migrations';
export { complianceSchema } from './schema';

export const COMPLIANCE_ENTITIES = [
  ControlEntity, ControlRequirementEntity, FrameworkEntity, RequirementEntity, OrgFrameworkEntity, OrgRequirementEntity,
  ProgrammeEntity, EvidenceEntity, PolicyEntity, PolicyVersionEntity, PolicyAcknowledgementEntity, ComplianceSettingsEntity,
];

export function startCompliance(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  return startSubgraph({
    name: 'compliance', config, entities: COMPLIANCE_ENTITIES, schema: complianceSchema, loaders: complianceLoaders, now: opts.now,
    runtime: (base): ComplianceRuntime => ({
      ...base,
      identity: new IdentityClient(config.identityUrl, config.servicePrivateKey),
      keyring: new OrgKeyring('compliance', requireMasterKey(config)),
      storage: createEvidenceStorage(config.compliance),
      settings: config.compliance,
      serviceKey: config.servicePrivateKey,
    }),
    raw: (runtime) => ({
      [`POST ${UPLOAD_PATH}`]: uploadRoute(runtime, complianceLoaders),
      [`GET ${DOWNLOAD_PATH}`]: downloadRoute(runtime, createPublicKey(config.servicePrivateKey)),
      [`POST ${OSCAL_IMPORT_PATH}`]: oscalImportRoute(runtime, complianceLoaders),
    }),
  });
}
