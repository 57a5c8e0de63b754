import type { ServiceKeys } from '@packets/context';
import type { OrgKeyring } from '@packets/db';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { IdentityLoaders } from './loaders';
import type { Mailer } from './mail/mailer';
import type { BruteForceGuard } from './security/brute-force';

export type { IdentityLoaders } from './loaders';

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
