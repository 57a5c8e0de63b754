import type DataLoader from 'dataloader';
import type { KeyObject } from 'node:crypto';
import type { ComplianceTuning } from '@packets/config';
import type { OrgKeyring } from '@packets/db';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { ControlEntity } from './control/control.entity';
import type { FrameworkRow, RequirementRow } from './framework/framework.entity';
import type { ControlRequirementRow } from './control/control.loaders';
import type { EvidenceEntity } from './evidence/evidence.entity';
import type { EvidenceStorage } from './evidence/evidence.storage';
import type { Readiness } from './programme/programme.type';
import type { PolicyAcknowledgementEntity, PolicyVersionEntity } from './policy/policy.entity';
import type { IdentityClient } from './shared/identity.client';

export interface ComplianceLoaders {
  controlById: DataLoader<string, ControlEntity | null>;
  frameworkById: DataLoader<string, FrameworkRow | null>;
  requirementsByFramework: DataLoader<string, RequirementRow[]>;
  requirementsByControl: DataLoader<string, ControlRequirementRow[]>;
  evidenceByControl: DataLoader<string, EvidenceEntity[]>;
  readinessByProgramme: DataLoader<string, Readiness>;
  policyVersionById: DataLoader<string, PolicyVersionEntity | null>;
  versionsByPolicy: DataLoader<string, PolicyVersionEntity[]>;
  myAcknowledgementByVersion: DataLoader<string, PolicyAcknowledgementEntity | null>;
}

export interface ComplianceRuntime extends SubgraphRuntime {
  identity: IdentityClient;
  /** per-org data keys (compliance.org_keys) that encrypt evidence files */
  keyring: OrgKeyring;
  storage: EvidenceStorage;
  settings: ComplianceTuning;
  /** signs evidence download links (the gateway checks them with the public half) */
  serviceKey: KeyObject;
}

export type ComplianceContext = RequestContext<ComplianceLoaders> & { runtime: ComplianceRuntime };
