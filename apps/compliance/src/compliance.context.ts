import type { KeyObject } from 'node:crypto';
import type { ComplianceTuning } from '@packets/config';
import type { OrgKeyring } from '@packets/db';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { ComplianceLoaders } from './loaders';
import type { EvidenceStorage } from './evidence/evidence.storage';
import type { IdentityClient } from './shared/identity.client';

export type { ComplianceLoaders } from './loaders';

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
