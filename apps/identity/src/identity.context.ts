import type { KeyObject } from 'node:crypto';
import type DataLoader from 'dataloader';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { OrganizationEntity } from './organization/organization.entity';
import type { UserEntity } from './user/user.entity';

export interface IdentityLoaders {
  /** users that are members of the actor's org; others resolve to null */
  userById: DataLoader<string, UserEntity | null>;
  organizationById: DataLoader<string, OrganizationEntity | null>;
}

export interface IdentityRuntime extends SubgraphRuntime {
  bcryptCost: number;
  /** verifies service-to-service calls (membership checks) */
  servicePublicKey: KeyObject;
}

export type IdentityContext = RequestContext<IdentityLoaders> & { runtime: IdentityRuntime };
