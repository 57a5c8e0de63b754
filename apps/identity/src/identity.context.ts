import type { ServiceKeys } from '@packets/context';
import type DataLoader from 'dataloader';
import type { OrgKeyring } from '@packets/db';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { OrganizationEntity } from './organization/organization.entity';
import type { UserEntity } from './user/user.entity';
import type { RoleEntity } from './membership/membership.entity';
import type { Mailer } from './mail/mailer';
import type { BruteForceGuard } from './security/brute-force';

export interface IdentityLoaders {
  /** users that are members of the actor's org; others resolve to null */
  userById: DataLoader<string, UserEntity | null>;
  organizationById: DataLoader<string, OrganizationEntity | null>;
  roleById: DataLoader<string, RoleEntity | null>;
  /** a membership's roles, by membership id */
  rolesByMembership: DataLoader<string, RoleEntity[]>;
}

export interface IdentityRuntime extends SubgraphRuntime {
  bcryptCost: number;
  /** the gateway's service key: session look-ups and the SSO flow */
  fromGateway: ServiceKeys;
  /** the services that may ask about memberships (compliance) */
  fromServices: ServiceKeys;
  keyring: OrgKeyring;
  mailer: Mailer;
  guard: BruteForceGuard;
  /** the gateway's public URL: links in mail, SSO redirects */
  publicUrl: string;
  /** SSO: accept http:// issuers (SSO_ALLOW_INSECURE_ISSUERS, tests only) */
  ssoAllowInsecureIssuers?: boolean;
  /** SSO: let issuers and their endpoints resolve to private or loopback addresses (SSO_ALLOW_PRIVATE_ISSUERS, tests only) */
  ssoAllowPrivateIssuers?: boolean;
  /** SSO domain verification: DNS TXT look-ups; default node:dns/promises resolveTxt */
  resolveTxt?: (hostname: string) => Promise<string[][]>;
}

export type IdentityContext = RequestContext<IdentityLoaders> & { runtime: IdentityRuntime };
