// The identity subgraph: organisations, users, memberships, roles and sessions.
import { OrgKeyring } from '@packets/db';
import { startSubgraph, type RunningServer } from '@packets/graphql';
import { serviceKeys } from '@packets/context';
import { requireMasterKey, type SubgraphConfig } from '@packets/config';
import { identitySchema } from './schema';
import { identityLoaders } from './loaders';
import { internalRoutes } from './internal.routes';
import { OrganizationEntity } from './organization/organization.entity';
import { UserEntity } from './user/user.entity';
import { MembershipEntity, MembershipRoleEntity } from './membership/membership.entity';
import { RoleEntity } from './role/role.entity';
import { SessionEntity } from './session/session.entity';
import { InvitationEntity } from './invitation/invitation.entity';
import { ApiKeyEntity } from './apikey/apikey.entity';
import { MfaChallengeEntity, MfaFactorEntity, RecoveryCodeEntity } from './mfa/mfa.entity';
import { SsoConnectionEntity, SsoDomainEntity, SsoJoinRequestEntity, SsoStateEntity } from './sso/sso.entity';
import { Mailer } from './mail/mailer';
import { postgresStore, redisStore } from '@packets/rate-limit';
import { BruteForceGuard } from './security/brute-force';
import type { IdentityRuntime } from './identity.context';

export { identityMigrations } from './migrations';
export { identitySchema } from './schema';

export const IDENTITY_ENTITIES = [
  OrganizationEntity, UserEntity, MembershipEntity, RoleEntity, MembershipRoleEntity, SessionEntity, InvitationEntity,
  ApiKeyEntity, MfaFactorEntity, RecoveryCodeEntity, MfaChallengeEntity, SsoConnectionEntity, SsoStateEntity,
  SsoDomainEntity, SsoJoinRequestEntity,
];

export interface StartOptions {
  now?: () => Date;
  /** SSO domain verification: DNS TXT look-ups (default node:dns/promises resolveTxt; tests inject one) */
  resolveTxt?: (hostname: string) => Promise<string[][]>;
}

export function startIdentity(config: SubgraphConfig, opts: StartOptions = {}): Promise<RunningServer> {
  return startSubgraph({
    name: 'identity', config, entities: IDENTITY_ENTITIES, schema: identitySchema, loaders: identityLoaders, now: opts.now,
    runtime: (base): IdentityRuntime => ({
      ...base,
      bcryptCost: config.bcryptCost,
      fromGateway: serviceKeys(config.servicePublicKeys, 'gateway'), fromServices: serviceKeys(config.servicePublicKeys, 'compliance'),
      keyring: new OrgKeyring('identity', requireMasterKey(config)),
      mailer: new Mailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: config.mailOutboxDir }),
      guard: new BruteForceGuard(config.redisUrl ? redisStore(config.redisUrl) : postgresStore(config.databaseUrl, { poolMax: 2, clearExpired: false }), 'signin'),
      publicUrl: config.publicUrl,
      ssoAllowInsecureIssuers: config.ssoAllowInsecureIssuers ?? false,
      ssoAllowPrivateIssuers: config.ssoAllowPrivateIssuers ?? false,
      resolveTxt: opts.resolveTxt,
    }),
    routes: internalRoutes,
    close: async (runtime) => {
      await runtime.guard.close();
      runtime.mailer.close();
    },
  });
}
