import type DataLoader from 'dataloader';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { ControlEntity } from './control/control.entity';
import type { IdentityClient } from './shared/identity.client';

export interface ComplianceLoaders {
  controlById: DataLoader<string, ControlEntity | null>;
}

export interface ComplianceRuntime extends SubgraphRuntime {
  identity: IdentityClient;
}

export type ComplianceContext = RequestContext<ComplianceLoaders> & { runtime: ComplianceRuntime };
